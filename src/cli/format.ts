// Tables for people: columns as wide as their content (and the one plural helper, for the commands).
export { plural } from '../plural.js';

/** Rows of cells as lines, each column padded to its widest cell (the last column is not padded). */
export function columns(rows: readonly (readonly string[])[], gap = '  '): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, widthOf(cell))));
  return rows.map(row => row.map((cell, index) => (index === row.length - 1 ? cell : cell + ' '.repeat((widths[index] ?? 0) - widthOf(cell)))).join(gap));
}

/** Characters a cell takes on a terminal (code points: what our labels and IDs hold). */
function widthOf(text: string): number {
  return Array.from(text).length;
}
