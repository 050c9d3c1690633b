// Every diff of a change is bounded: a long terms rewritten from end to end is compared as replaced whole, and says
// so, instead of keeping the process busy for minutes (a 500 KB rewrite once ran a word diff for over ten minutes).
import { describe, expect, it } from 'vitest';

import { describeChange, DiffBudget } from '../../../src/publish/index.js';

/** A document of `lines` lines of words drawn from a seeded generator: two seeds give two unrelated texts. */
function document(seed: number, lines: number): string {
  let state = seed;
  const next = (): number => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648);
  const words = ['terms', 'service', 'data', 'user', 'account', 'law', 'court', 'privacy', 'notice', 'right', 'party', 'content'];
  // each line ends with its own number and seed: two seeds share no line, as two unrelated texts
  return Array.from({ length: lines }, (_, line) => `${Array.from({ length: 12 }, () => words[next() % words.length]).join(' ')} (${String(seed)}.${String(line)})`).join('\n\n');
}

describe('bounded diffs', () => {
  it('compares a whole rewrite of a 500 KB document as replaced whole once the budget is spent, and says so', () => {
    const before = document(1, 6000);
    const after = document(2, 6000);
    expect(before.length).toBeGreaterThan(500_000);
    const change = describeChange(before, after, new DiffBudget(50));
    expect(change.isCoarse).toBe(true);
    expect(change.linesRemoved).toBe(11_999);
    expect(change.linesAdded).toBe(11_999);
    expect(change.summary).toMatch(/; compared as a whole: the texts differ too much to be diffed line by line\)$/);
  });

  it('compares a long rewrite as replaced whole by its size alone, whatever the time left: the same answer on any machine', () => {
    const before = document(1, 3000);
    const after = document(2, 3000);
    const change = describeChange(before, after, new DiffBudget(600_000));
    expect(change.isCoarse).toBe(true);
    expect(change.linesRemoved).toBe(5999);
    // compared as a whole: every word of the old text removed, every word of the new one added
    const words = (text: string): number => text.split(/\s+/).filter(run => /[\p{L}\p{N}]/u.test(run)).length;
    expect([change.wordsRemoved, change.wordsAdded]).toEqual([words(before), words(after)]);
  });

  it('diffs a small change in full, within the budget', () => {
    const before = document(1, 200);
    const after = before.replace(/^(\w+)/m, 'conditions');
    const change = describeChange(before, after, new DiffBudget(2000));
    expect(change.isCoarse).toBeUndefined();
    expect(change.linesAdded).toBe(1);
    expect(change.wordsAdded).toBe(1);
  });

  it('writes a unified patch that replaces every line once the budget is spent', () => {
    const budget = new DiffBudget(1);
    const patch = budget.patch('Acme/Terms.md', document(1, 3000), document(2, 3000), 'a', 'b');
    expect(budget.isExceeded).toBe(true);
    expect(patch.split('\n').slice(1, 4)).toEqual(['--- Acme/Terms.md\ta', '+++ Acme/Terms.md\tb', '@@ -1,5999 +1,5999 @@']);
  });
});
