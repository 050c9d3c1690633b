// What changed between two versions of a document, computed once (when the version is indexed) with the `diff`
// package: lines and words added and removed, the sections touched, and the change as HTML for feeds and pages.
import { plural } from '../plural.js';
import { DIFF_BUDGET_MS, DiffBudget } from './bounded-diff.js';

export interface ChangeStats {
  readonly linesAdded: number;
  readonly linesRemoved: number;
  readonly wordsAdded: number;
  readonly wordsRemoved: number;
  /** Headings above the changed lines, in document order, without repeats. */
  readonly sections: readonly string[];
  /** The texts differed too much to be diffed within the budget: compared as the old text replaced whole. */
  readonly isCoarse?: boolean;
}

export interface RenderedChange extends ChangeStats {
  /** The change as HTML: unchanged context trimmed, removed lines in <del>, added lines in <ins>, all escaped. */
  readonly html: string;
  /** One line: sections touched, words added and removed. */
  readonly summary: string;
}

const CONTEXT_LINES = 3;

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function linesOf(value: string): string[] {
  const lines = value.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** A heading as people read it: turndown's backslash escapes (`1\\.`, `\\*`) removed. */
function unescapeMarkdown(text: string): string {
  return text.replace(/\\([\\`*_{}[\]()#+\-.!>|~])/g, '$1');
}

/** For each line, the nearest heading at or above it (`#` headings and underlined ones). */
function headingsByLine(lines: readonly string[]): string[] {
  const result: string[] = [];
  let current = '';
  lines.forEach((line, index) => {
    const atx = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (atx) current = unescapeMarkdown(atx[1] ?? '');
    else if (/^(=+|-+)\s*$/.test(line) && index > 0 && (lines[index - 1] ?? '').trim() !== '' && !/^\s*-\s+-/.test(line)) current = unescapeMarkdown(lines[index - 1] ?? '');
    result.push(current);
  });
  return result;
}

/** Words: runs without spaces that hold a letter or a digit (punctuation alone is not a word). */
function countWords(text: string): number {
  return text.match(/[^\s\p{L}\p{N}]*[\p{L}\p{N}]\S*/gu)?.length ?? 0;
}

export function describeChange(before: string, after: string, budget = new DiffBudget()): RenderedChange {
  const parts = budget.lines(before, after);
  const oldHeadings = headingsByLine(linesOf(before));
  const newHeadings = headingsByLine(linesOf(after));
  const sections = new Set<string>();
  let linesAdded = 0;
  let linesRemoved = 0;
  let wordsAdded = 0;
  let wordsRemoved = 0;
  let oldLine = 0;
  let newLine = 0;
  const html: string[] = [];
  parts.forEach((part, index) => {
    const lines = linesOf(part.value);
    if (part.added) {
      linesAdded += lines.length;
      for (let offset = 0; offset < lines.length; offset++) sections.add(newHeadings[newLine + offset] ?? '');
      newLine += lines.length;
      for (const line of lines) html.push(`<ins>+ ${escapeHtml(line)}</ins>`);
      return;
    }
    if (part.removed) {
      linesRemoved += lines.length;
      for (let offset = 0; offset < lines.length; offset++) sections.add(oldHeadings[oldLine + offset] ?? '');
      oldLine += lines.length;
      // words: against the lines added in their place, when the next part is that
      const next = parts[index + 1];
      if (next?.added) {
        for (const word of budget.words(part.value, next.value)) {
          if (word.added) wordsAdded += countWords(word.value);
          if (word.removed) wordsRemoved += countWords(word.value);
        }
      } else wordsRemoved += countWords(part.value);
      for (const line of lines) html.push(`<del>- ${escapeHtml(line)}</del>`);
      return;
    }
    const isFirst = index === 0;
    const isLast = index === parts.length - 1;
    const head = isFirst ? [] : lines.slice(0, CONTEXT_LINES);
    const tail = isLast ? [] : lines.slice(Math.max(head.length, lines.length - CONTEXT_LINES));
    const skipped = lines.length - head.length - tail.length;
    for (const line of head) html.push(`  ${escapeHtml(line)}`);
    if (skipped > 0) html.push('  …');
    for (const line of tail) html.push(`  ${escapeHtml(line)}`);
    oldLine += lines.length;
    newLine += lines.length;
  });
  // a pure addition has no removed part before it: its words all count as added
  parts.forEach((part, index) => {
    if (part.added && !parts[index - 1]?.removed) wordsAdded += countWords(part.value);
  });
  const sectionList = [...sections].filter(section => section !== '');
  const stats = { linesAdded, linesRemoved, wordsAdded, wordsRemoved, sections: sectionList, ...(budget.isExceeded && { isCoarse: true }) };
  return { ...stats, html: `<pre>${capped(html).join('\n')}</pre>`, summary: summaryOf(stats) };
}

/** Diff lines kept in the HTML of one change: a rewrite of a whole long document stays readable and small. */
export const MAX_DIFF_LINES = 400;

function capped(lines: readonly string[]): string[] {
  if (lines.length <= MAX_DIFF_LINES) return [...lines];
  return [...lines.slice(0, MAX_DIFF_LINES), `  … ${lines.length - MAX_DIFF_LINES} more lines: see the full diff`];
}

/** The first record of a document: no diff, its size as the summary. */
export function firstRecordChange(content: string): RenderedChange {
  const lines = linesOf(content).length;
  const words = countWords(content);
  return { linesAdded: lines, linesRemoved: 0, wordsAdded: words, wordsRemoved: 0, sections: [], html: '', summary: `First record: ${plural(words, 'word')}, ${plural(lines, 'line')}` };
}

export function summaryOf(stats: ChangeStats): string {
  const where = stats.sections.length === 0 ? '' : `${stats.sections.length === 1 ? 'Section' : 'Sections'} ${stats.sections.map(section => `“${section}”`).join(', ')}: `;
  const coarse = stats.isCoarse ? `; compared as a whole: the texts differ too much to be diffed within ${String(DIFF_BUDGET_MS / 1000)} s` : '';
  return `${where}${plural(stats.wordsAdded, 'word')} added, ${stats.wordsRemoved} removed (${plural(stats.linesAdded, 'line')} added, ${stats.linesRemoved} removed${coarse})`;
}
