// Words and tables for people: counts with their noun in the right number, columns as wide as their content.

/** `1 service`, `2 services`; `plural(3, 'entry', 'entries')`. */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count.toLocaleString('en')} ${count === 1 ? noun : nouns}`;
}

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
