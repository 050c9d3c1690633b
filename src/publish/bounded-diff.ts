// Diffs with a time budget. Myers' algorithm costs the product of the texts' length and their difference: a 500 KB
// terms rewritten from end to end kept a word diff busy for more than ten minutes, and tracking never ended. Every
// diff of this stage runs within a budget shared by one change; past it, the texts are compared coarsely (the old
// text removed whole, the new one added whole), and the change says so.
import { type ChangeObject, createTwoFilesPatch, diffArrays, diffLines, diffWords } from 'diff';

/** How long all the diffs of one change may take together. */
export const DIFF_BUDGET_MS = 2000;

/** Myers' algorithm steps a line diff may take ((lines of both texts) × (lines changed)): tens of milliseconds. */
const LINE_DIFF_STEPS = 2_000_000;

/** Items one list has more times than the other, counted on both sides: no diff of the two edits fewer. */
export function unmatched(before: readonly string[], after: readonly string[]): number {
  const balance = new Map<string, number>();
  for (const item of before) balance.set(item, (balance.get(item) ?? 0) - 1);
  for (const item of after) balance.set(item, (balance.get(item) ?? 0) + 1);
  let total = 0;
  for (const count of balance.values()) total += Math.abs(count);
  return total;
}

export class DiffBudget {
  private readonly deadline: number;
  /** Set once a diff ran out of time: the change was compared coarsely. */
  isExceeded = false;

  constructor(milliseconds = DIFF_BUDGET_MS) {
    this.deadline = Date.now() + milliseconds;
  }

  /** What is left, at least 1 ms (jsdiff reads 0 as "no limit"). */
  private left(): number {
    return Math.max(1, this.deadline - Date.now());
  }

  lines(before: string, after: string): ChangeObject<string>[] {
    const parts = this.isExceeded ? undefined : diffLines(before, after, { timeout: this.left() });
    return parts ?? this.coarse(before, after);
  }

  words(before: string, after: string): ChangeObject<string>[] {
    const parts = this.isExceeded ? undefined : diffWords(before, after, { timeout: this.left() });
    return parts ?? this.coarse(before, after);
  }

  /**
   * A word diff when the two texts differ by at most `maxEditLength` words (cheap: Myers' cost grows with it), else
   * 'too-different', and so past the budget (the caller then counts words without a diff). `fewestEdits`, a lower
   * bound of the edits (the words one text has more of), spares trying a diff that cannot succeed.
   */
  wordsWithin(before: string, after: string, maxEditLength: number, fewestEdits: number): ChangeObject<string>[] | 'too-different' {
    if (this.isExceeded || fewestEdits > maxEditLength) return 'too-different';
    const parts = diffWords(before, after, { timeout: this.left(), maxEditLength });
    if (parts) return parts;
    if (Date.now() >= this.deadline) this.isExceeded = true;
    return 'too-different';
  }

  /**
   * Lines as arrays (already split). Texts that differ in more lines than LINE_DIFF_STEPS allows for their length
   * (a long terms replaced by another), or past the budget, are compared coarsely: the old lines removed whole and
   * the new ones added whole. The steps make the first cut the same on every machine, whatever its load.
   */
  arrays(before: string[], after: string[]): ChangeObject<string[]>[] {
    const maxEditLength = Math.max(64, Math.floor(LINE_DIFF_STEPS / Math.max(1, before.length + after.length)));
    // a diff is not even tried when more lines are in one text and not the other than it may edit
    const parts = this.isExceeded || unmatched(before, after) > maxEditLength ? undefined : diffArrays(before, after, { timeout: this.left(), maxEditLength });
    return parts ?? this.whole(before, after);
  }

  /** Lines compared as a whole: the old ones removed, the new ones added (and the change says so). */
  whole(before: string[], after: string[]): ChangeObject<string[]>[] {
    this.isExceeded = true;
    return [
      ...(before.length > 0 ? [{ value: before, removed: true, added: false, count: before.length }] : []),
      ...(after.length > 0 ? [{ value: after, removed: false, added: true, count: after.length }] : []),
    ];
  }

  /** A unified patch; past the budget, one hunk that replaces every line. */
  patch(file: string, before: string, after: string, fromHeader: string, toHeader: string): string {
    const patch = this.isExceeded ? undefined : createTwoFilesPatch(file, file, before, after, fromHeader, toHeader, { timeout: this.left() });
    if (patch !== undefined) return patch;
    this.isExceeded = true;
    const lines = (text: string): string[] => (text === '' ? [] : text.replace(/\n$/, '').split('\n'));
    const [removed, added] = [lines(before), lines(after)];
    return [
      '===================================================================',
      `--- ${file}\t${fromHeader}`,
      `+++ ${file}\t${toHeader}`,
      `@@ -${String(removed.length > 0 ? 1 : 0)},${String(removed.length)} +${String(added.length > 0 ? 1 : 0)},${String(added.length)} @@`,
      ...removed.map(line => `-${line}`),
      ...added.map(line => `+${line}`),
      '',
    ].join('\n');
  }

  /** The old text removed whole and the new one added whole. */
  private coarse(before: string, after: string): ChangeObject<string>[] {
    this.isExceeded = true;
    const parts: ChangeObject<string>[] = [];
    if (before !== '') parts.push({ value: before, removed: true, added: false, count: 1 });
    if (after !== '') parts.push({ value: after, removed: false, added: true, count: 1 });
    return parts;
  }
}
