// The line diff that a change's figures, HTML and label are computed from. Real histories are long documents with
// a few lines changed: the lines the two texts share at their start and at their end are set aside first (a string
// comparison), and the diff runs on the lines between, as arrays (no second split). What is computed next (words,
// sections, labels) reads only the changed parts and a little context, never the whole texts again.
import type { DiffBudget } from './bounded-diff.js';

export interface LinePart {
  readonly kind: 'same' | 'removed' | 'added';
  readonly lines: readonly string[];
  /** Where the part starts: its first line's index in the old text (removed, same) or the new one (added, same). */
  readonly oldStart: number;
  readonly newStart: number;
}

export interface LineDiff {
  readonly oldLines: readonly string[];
  readonly newLines: readonly string[];
  /** In order; a removed part comes before the added part that replaces it. */
  readonly parts: readonly LinePart[];
}

/** A text's lines, without the empty string after a final line break. */
export function linesOf(value: string): string[] {
  const lines = value.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

export function diffByLines(before: string, after: string, budget: DiffBudget): LineDiff {
  const oldLines = linesOf(before);
  const newLines = linesOf(after);
  let prefix = 0;
  const shortest = Math.min(oldLines.length, newLines.length);
  while (prefix < shortest && oldLines[prefix] === newLines[prefix]) prefix++;
  let suffix = 0;
  while (suffix < shortest - prefix && oldLines[oldLines.length - 1 - suffix] === newLines[newLines.length - 1 - suffix]) suffix++;
  const parts: LinePart[] = [];
  if (prefix === oldLines.length && prefix === newLines.length && before !== after && prefix > 0) {
    // the same lines, not the same text: only the final line break was added or removed, shown on the last line
    const last = oldLines.slice(-1);
    if (prefix > 1) parts.push({ kind: 'same', lines: oldLines.slice(0, -1), oldStart: 0, newStart: 0 });
    parts.push({ kind: 'removed', lines: last, oldStart: prefix - 1, newStart: prefix - 1 }, { kind: 'added', lines: last, oldStart: prefix, newStart: prefix - 1 });
    return { oldLines, newLines, parts };
  }
  if (prefix > 0) parts.push({ kind: 'same', lines: oldLines.slice(0, prefix), oldStart: 0, newStart: 0 });
  let oldAt = prefix;
  let newAt = prefix;
  for (const part of anchoredDiff(oldLines.slice(prefix, oldLines.length - suffix), newLines.slice(prefix, newLines.length - suffix), budget)) {
    const kind = part.added ? 'added' : part.removed ? 'removed' : 'same';
    parts.push({ kind, lines: part.value, oldStart: oldAt, newStart: newAt });
    if (kind !== 'added') oldAt += part.value.length;
    if (kind !== 'removed') newAt += part.value.length;
  }
  if (suffix > 0) parts.push({ kind: 'same', lines: oldLines.slice(oldLines.length - suffix), oldStart: oldAt, newStart: newAt });
  return { oldLines, newLines, parts };
}

type ArrayPart = { readonly value: string[]; readonly added: boolean; readonly removed: boolean };

/**
 * A line diff anchored on the lines that occur once in each text, in the same order (the longest such sequence, as
 * git's patience diff does): the lines between two anchors are diffed alone, so that edits scattered through a long
 * terms cost a few small diffs, not one that spans them all. Without anchors, one diff of the whole.
 */
function anchoredDiff(before: string[], after: string[], budget: DiffBudget): ArrayPart[] {
  const counts = countLines(before, after);
  if (isRewrite(counts, before.length + after.length)) return budget.whole(before, after);
  const anchors = uniqueCommonLines(counts);
  if (anchors.length === 0) return budget.arrays(before, after);
  const parts: ArrayPart[] = [];
  const add = (part: ArrayPart): void => {
    const last = parts.at(-1);
    // runs of unchanged lines across anchors are one part, as a diff of the whole would give
    if (last && !last.added && !last.removed && !part.added && !part.removed) last.value.push(...part.value);
    else parts.push({ value: [...part.value], added: part.added, removed: part.removed });
  };
  let [oldAt, newAt] = [0, 0];
  for (const [oldIndex, newIndex] of [...anchors, [before.length, after.length] as const]) {
    if (oldIndex > oldAt || newIndex > newAt) for (const part of budget.arrays(before.slice(oldAt, oldIndex), after.slice(newAt, newIndex))) add(part);
    if (oldIndex < before.length) add({ value: [before[oldIndex] as string], added: false, removed: false });
    [oldAt, newAt] = [oldIndex + 1, newIndex + 1];
  }
  return parts;
}

/** Changed stretches of at least this many lines (both texts) are compared as a whole when they were rewritten. */
const REWRITE_LINES = 200;

/**
 * Whether two long stretches share under a tenth of their non-blank lines: a text replaced by another. A line diff
 * would pair their blank lines and show a long interleaving of unrelated paragraphs; they are compared as a whole.
 */
function isRewrite(counts: ReadonlyMap<string, LineCount>, lines: number): boolean {
  if (lines < REWRITE_LINES) return false;
  let [nonBlankBefore, nonBlankAfter, shared] = [0, 0, 0];
  for (const [line, count] of counts) {
    if (line.trim() === '') continue;
    nonBlankBefore += count.oldCount;
    nonBlankAfter += count.newCount;
    shared += Math.min(count.oldCount, count.newCount);
  }
  return shared * 10 < Math.max(nonBlankBefore, nonBlankAfter);
}

interface LineCount {
  /** The line's first index in each text, -1 when absent. */
  old: number;
  new: number;
  oldCount: number;
  newCount: number;
}

/** Each line of the two texts, with where it first occurs in each and how many times. */
function countLines(before: readonly string[], after: readonly string[]): Map<string, LineCount> {
  const counts = new Map<string, LineCount>();
  before.forEach((line, index) => {
    const count = counts.get(line);
    if (count) count.oldCount++;
    else counts.set(line, { old: index, new: -1, oldCount: 1, newCount: 0 });
  });
  after.forEach((line, index) => {
    const count = counts.get(line);
    if (!count) counts.set(line, { old: -1, new: index, oldCount: 0, newCount: 1 });
    else if (++count.newCount === 1) count.new = index;
  });
  return counts;
}

/** Pairs of indexes of the lines found once in each text, the longest run increasing in both (patience sorting). */
function uniqueCommonLines(counts: ReadonlyMap<string, LineCount>): (readonly [number, number])[] {
  const pairs: (readonly [number, number])[] = [];
  for (const count of counts.values()) if (count.oldCount === 1 && count.newCount === 1) pairs.push([count.old, count.new]);
  pairs.sort((a, b) => a[0] - b[0]);
  // the longest subsequence increasing in the new index
  const tails: number[] = [];
  const previous = new Array<number>(pairs.length).fill(-1);
  pairs.forEach(([, newIndex], index) => {
    let [low, high] = [0, tails.length];
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((pairs[tails[middle] as number] as readonly [number, number])[1] < newIndex) low = middle + 1;
      else high = middle;
    }
    if (low > 0) previous[index] = tails[low - 1] as number;
    tails[low] = index;
  });
  const run: (readonly [number, number])[] = [];
  for (let index = tails.at(-1) ?? -1; index !== -1; index = previous[index] as number) run.push(pairs[index] as readonly [number, number]);
  return run.reverse();
}

/** Changed passages with the unchanged lines around them, as the label rules compare them. */
export interface ChangedPassage {
  readonly before: string;
  readonly after: string;
}

/**
 * Unchanged stretches with fewer than this many non-blank lines join the changes around them into one passage;
 * a passage then takes half as many non-blank lines of context on each side, so that a pattern spanning a few
 * lines (a date cut by a line break) is seen whole, as in the whole text.
 */
const PASSAGE_GAP = 6;

/**
 * The passages that changed. Comparing them one by one, with any normalisation that works within a few lines,
 * tells the same as comparing the two whole texts: outside them, the texts are the same lines.
 */
export function changedPassages(diff: LineDiff): ChangedPassage[] {
  const { oldLines, newLines, parts } = diff;
  const spans: { oldFrom: number; oldTo: number; newFrom: number; newTo: number }[] = [];
  for (const [index, part] of parts.entries()) {
    if (part.kind === 'same') continue;
    const oldEnd = part.kind === 'removed' ? part.oldStart + part.lines.length : part.oldStart;
    const newEnd = part.kind === 'added' ? part.newStart + part.lines.length : part.newStart;
    const last = spans.at(-1);
    const gap = parts[index - 1];
    if (last && (gap?.kind !== 'same' || nonBlank(gap.lines, PASSAGE_GAP) < PASSAGE_GAP)) {
      spans[spans.length - 1] = { ...last, oldTo: oldEnd, newTo: newEnd };
    } else spans.push({ oldFrom: part.oldStart, oldTo: oldEnd, newFrom: part.newStart, newTo: newEnd });
  }
  return spans.map(span => {
    const before = contextBefore(oldLines, span.oldFrom);
    const after = contextAfter(oldLines, span.oldTo);
    return {
      before: oldLines.slice(span.oldFrom - before, span.oldTo + after).join('\n'),
      after: newLines.slice(span.newFrom - before, span.newTo + after).join('\n'),
    };
  });
}

/** Non-blank lines among these, counted up to `enough`. */
function nonBlank(lines: readonly string[], enough: number): number {
  let count = 0;
  for (const line of lines) if (line.trim() !== '' && ++count >= enough) break;
  return count;
}

/** How many lines before `index` hold PASSAGE_GAP / 2 non-blank lines (or all of them). */
function contextBefore(lines: readonly string[], index: number): number {
  let taken = 0;
  for (let at = index - 1, found = 0; at >= 0 && found < PASSAGE_GAP / 2; at--, taken++) if ((lines[at] ?? '').trim() !== '') found++;
  return taken;
}

function contextAfter(lines: readonly string[], index: number): number {
  let taken = 0;
  for (let at = index, found = 0; at < lines.length && found < PASSAGE_GAP / 2; at++, taken++) if ((lines[at] ?? '').trim() !== '') found++;
  return taken;
}
