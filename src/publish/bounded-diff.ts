// Diffs with a time budget. Myers' algorithm costs the product of the texts' length and their difference: a 500 KB
// terms rewritten from end to end kept a word diff busy for more than ten minutes, and tracking never ended. Every
// diff of this stage runs within a budget shared by one change; past it, the texts are compared coarsely (the old
// text removed whole, the new one added whole), and the change says so.
import { type ChangeObject, createTwoFilesPatch, diffLines, diffWords } from 'diff';

/** How long all the diffs of one change may take together. */
export const DIFF_BUDGET_MS = 2000;

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
