// What changed between two versions of a document, computed once (when the version is indexed) from their line
// diff: lines and words added and removed, the sections touched, and the change as HTML for feeds and pages. Only
// the changed lines and those near them are read, so that a one-word change to a long terms costs little.
import { plural } from '../plural.js';
import { DiffBudget } from './bounded-diff.js';
import { diffByLines, type LineDiff, linesOf } from './line-diff.js';

export interface ChangeStats {
  readonly linesAdded: number;
  readonly linesRemoved: number;
  readonly wordsAdded: number;
  readonly wordsRemoved: number;
  /** Headings above the changed lines, in document order, without repeats. */
  readonly sections: readonly string[];
  /** The texts differed too much to be diffed (in lines changed, or in time): compared as the old text replaced whole. */
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

/** A heading as people read it: turndown's backslash escapes (`1\\.`, `\\*`) removed. */
function unescapeMarkdown(text: string): string {
  return text.replace(/\\([\\`*_{}[\]()#+\-.!>|~])/g, '$1');
}

/** The heading a line starts (`#` headings, or the text above an underline), undefined for other lines. */
function headingOf(lines: readonly string[], index: number, lineAbove = ''): string | undefined {
  const line = lines[index] ?? '';
  const first = line.charCodeAt(0);
  if (first === 35 /* # */) {
    const atx = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    return atx ? unescapeMarkdown(atx[1] ?? '') : undefined;
  }
  const above = index > 0 ? (lines[index - 1] ?? '') : lineAbove;
  if ((first === 61 /* = */ || first === 45) /* - */ && /^(=+|-+)\s*$/.test(line) && above.trim() !== '') return unescapeMarkdown(above);
  return undefined;
}

/** The nearest heading at or above the last of these lines, undefined when there is none. */
export function lastHeading(lines: readonly string[]): string | undefined {
  for (let at = lines.length - 1; at >= 0; at--) {
    const heading = headingOf(lines, at);
    if (heading !== undefined) return heading;
  }
  return undefined;
}

/** The texts above the lines a change was computed on, when it was computed on a window of two long texts. */
export interface TextAbove {
  readonly lineAbove: string;
  readonly headingAbove: () => string;
}

/**
 * The nearest heading at or above a line, asked in increasing line order: each answer scans back only to the line
 * of the previous one, so a change reads the lines near it, not the whole document.
 */
class Headings {
  private index = -1;
  private heading: string | undefined;
  private above: string | undefined;

  constructor(
    private readonly lines: readonly string[],
    private readonly textAbove: TextAbove | undefined,
  ) {}

  at(index: number): string {
    if (index < this.index) return this.lookBack(index, -1, undefined);
    this.heading = this.lookBack(index, this.index, this.heading);
    this.index = index;
    return this.heading;
  }

  private lookBack(index: number, stop: number, known: string | undefined): string {
    for (let at = index; at > stop; at--) {
      const heading = headingOf(this.lines, at, this.textAbove?.lineAbove);
      if (heading !== undefined) return heading;
    }
    if (known !== undefined && stop >= 0) return known;
    return (this.above ??= this.textAbove?.headingAbove() ?? '');
  }
}

/** Words: runs without spaces that hold a letter or a digit (punctuation alone is not a word). */
function wordsOf(text: string): string[] {
  return text.split(/\s+/).filter(hasLetterOrDigit);
}

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/** Whether a run holds a letter or a digit: ASCII read directly, other characters by their Unicode class. */
function hasLetterOrDigit(run: string): boolean {
  for (let at = 0; at < run.length; at++) {
    const code = run.charCodeAt(at);
    if ((code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122)) return true;
    if (code >= 128) return LETTER_OR_DIGIT.test(run);
  }
  return false;
}

/** How each character above ASCII reads: 1 white space, 2 a letter or digit, 0 neither (found once, then kept). */
const CLASSES = new Map<number, number>();

function classOf(codePoint: number): number {
  if (codePoint < 128) {
    if (codePoint === 32 || (codePoint >= 9 && codePoint <= 13)) return 1;
    return (codePoint >= 48 && codePoint <= 57) || (codePoint >= 65 && codePoint <= 90) || (codePoint >= 97 && codePoint <= 122) ? 2 : 0;
  }
  let known = CLASSES.get(codePoint);
  if (known === undefined) {
    const character = String.fromCodePoint(codePoint);
    known = /\s/.test(character) ? 1 : LETTER_OR_DIGIT.test(character) ? 2 : 0;
    CLASSES.set(codePoint, known);
  }
  return known;
}

/** The number of words of `wordsOf`, counted without making them. */
function countWords(text: string): number {
  let count = 0;
  let isCounted = false; // whether the run of non-space characters at hand was counted
  for (let at = 0; at < text.length; at++) {
    const codePoint = text.codePointAt(at) as number;
    if (codePoint > 0xffff) at++; // the second half of a surrogate pair
    const kind = classOf(codePoint);
    if (kind === 1) isCounted = false;
    else if (kind === 2 && !isCounted) {
      count++;
      isCounted = true;
    }
  }
  return count;
}

/**
 * Word diffs cost the product of the passage's length and its number of edits. A passage of SHORT_PASSAGE characters
 * or more that shares fewer than half its words with the one it replaces, or whose diff would take more than this many steps, has its words added and
 * removed counted as the words that occur more, or fewer, times after than before: the same figures for a passage
 * reworded in place; for one rewritten, the words it keeps in another order are not counted as changed.
 */
const WORD_DIFF_STEPS = 2_000_000;

/** Passages shorter than this (in characters, both together) are always diffed word by word: it costs little. */
const SHORT_PASSAGE = 1500;

function countWordChanges(removed: string, added: string, budget: DiffBudget): { added: number; removed: number } {
  // a short passage costs little to diff, whatever it became
  if (removed.length + added.length < SHORT_PASSAGE) return countDiffWords(budget.words(removed, added));
  const [oldWords, newWords] = [wordsOf(removed), wordsOf(added)];
  const balance = new Map<string, number>();
  for (const word of oldWords) balance.set(word, (balance.get(word) ?? 0) - 1);
  for (const word of newWords) balance.set(word, (balance.get(word) ?? 0) + 1);
  let [moreAfter, moreBefore] = [0, 0];
  for (const count of balance.values()) {
    if (count > 0) moreAfter += count;
    else moreBefore -= count;
  }
  // long passages that share fewer than half their words were rewritten, not edited: their counts are the answer
  const words = oldWords.length + newWords.length;
  if (2 * (moreAfter + moreBefore) > words) return { added: moreAfter, removed: moreBefore };
  const tokens = Math.max(1, (removed.length + added.length) / 3);
  const parts = budget.wordsWithin(removed, added, Math.max(16, Math.floor(WORD_DIFF_STEPS / tokens)), moreAfter + moreBefore);
  return parts === 'too-different' ? { added: moreAfter, removed: moreBefore } : countDiffWords(parts);
}

function countDiffWords(parts: readonly { readonly added?: boolean; readonly removed?: boolean; readonly value: string }[]): { added: number; removed: number } {
  let [added, removed] = [0, 0];
  for (const part of parts) {
    if (part.added) added += countWords(part.value);
    if (part.removed) removed += countWords(part.value);
  }
  return { added, removed };
}

export function describeChange(before: string, after: string, budget = new DiffBudget()): RenderedChange {
  return describeLineDiff(diffByLines(before, after, budget), budget);
}

/** The figures, sections and HTML of a change, from its line diff. */
export function describeLineDiff(diff: LineDiff, budget: DiffBudget, textAbove?: TextAbove): RenderedChange {
  const { parts } = diff;
  const oldHeadings = new Headings(diff.oldLines, textAbove);
  const newHeadings = new Headings(diff.newLines, textAbove);
  const sections = new Set<string>();
  let linesAdded = 0;
  let linesRemoved = 0;
  let wordsAdded = 0;
  let wordsRemoved = 0;
  // the HTML keeps MAX_DIFF_LINES lines: the others are counted, not escaped
  const html: string[] = [];
  let htmlLines = 0;
  const emit = (prefix: string, line: string, suffix = ''): void => {
    if (htmlLines++ < MAX_DIFF_LINES) html.push(`${prefix}${escapeHtml(line)}${suffix}`);
  };
  parts.forEach((part, index) => {
    const { lines } = part;
    if (part.kind === 'added') {
      linesAdded += lines.length;
      for (let offset = 0; offset < lines.length; offset++) sections.add(newHeadings.at(part.newStart + offset));
      // a pure addition has no removed part before it: its words all count as added
      if (parts[index - 1]?.kind !== 'removed') wordsAdded += countWords(lines.join('\n'));
      for (const line of lines) emit('<ins>+ ', line, '</ins>');
      return;
    }
    if (part.kind === 'removed') {
      linesRemoved += lines.length;
      for (let offset = 0; offset < lines.length; offset++) sections.add(oldHeadings.at(part.oldStart + offset));
      // words: against the lines added in their place, when the next part is that
      const next = parts[index + 1];
      if (next?.kind === 'added' && budget.isExceeded) {
        // compared as a whole: the old words removed, the new ones added
        wordsRemoved += countWords(lines.join('\n'));
        wordsAdded += countWords(next.lines.join('\n'));
      } else if (next?.kind === 'added') {
        const words = countWordChanges(`${lines.join('\n')}\n`, `${next.lines.join('\n')}\n`, budget);
        wordsAdded += words.added;
        wordsRemoved += words.removed;
      } else wordsRemoved += countWords(lines.join('\n'));
      for (const line of lines) emit('<del>- ', line, '</del>');
      return;
    }
    const isFirst = index === 0;
    const isLast = index === parts.length - 1;
    const head = isFirst ? [] : lines.slice(0, CONTEXT_LINES);
    const tail = isLast ? [] : lines.slice(Math.max(head.length, lines.length - CONTEXT_LINES));
    const skipped = lines.length - head.length - tail.length;
    for (const line of head) emit('  ', line);
    if (skipped > 0) emit('  ', '…');
    for (const line of tail) emit('  ', line);
  });
  const sectionList = [...sections].filter(section => section !== '');
  const stats = { linesAdded, linesRemoved, wordsAdded, wordsRemoved, sections: sectionList, ...(budget.isExceeded && { isCoarse: true }) };
  if (htmlLines > MAX_DIFF_LINES) html.push(`  … ${htmlLines - MAX_DIFF_LINES} more lines: see the full diff`);
  return { ...stats, html: `<pre>${html.join('\n')}</pre>`, summary: summaryOf(stats) };
}

/** Diff lines kept in the HTML of one change: a rewrite of a whole long document stays readable and small. */
export const MAX_DIFF_LINES = 400;

/** The first record of a document: no diff, its size as the summary. */
export function firstRecordChange(content: string): RenderedChange {
  const lines = linesOf(content).length;
  const words = countWords(content);
  return { linesAdded: lines, linesRemoved: 0, wordsAdded: words, wordsRemoved: 0, sections: [], html: '', summary: `First record: ${plural(words, 'word')}, ${plural(lines, 'line')}` };
}

export function summaryOf(stats: ChangeStats): string {
  const where = stats.sections.length === 0 ? '' : `${stats.sections.length === 1 ? 'Section' : 'Sections'} ${stats.sections.map(section => `“${section}”`).join(', ')}: `;
  const coarse = stats.isCoarse ? '; compared as a whole: the texts differ too much to be diffed line by line' : '';
  return `${where}${plural(stats.wordsAdded, 'word')} added, ${stats.wordsRemoved} removed (${plural(stats.linesAdded, 'line')} added, ${stats.linesRemoved} removed${coarse})`;
}
