// The history index computes a change on the window of two texts that holds their changed lines, cut from their
// bytes. Its figures, sections, HTML and label must be those of the whole texts: checked here on generated terms
// (headings of both kinds, lists, dates, links, blank lines, non-ASCII text) under many kinds of edit.
import { describe, expect, it } from 'vitest';

import { computeChange } from '../../../src/publish/indexed-change.js';
import { describeChange, labelChange } from '../../../src/publish/index.js';
import { withoutDates, withoutFormatting, withoutLinkTargets } from '../../../src/publish/labels.js';

/** The label rules as documented, on the whole texts: what the word-by-word comparison must answer. */
function documentedLabel(before: string, after: string): string {
  const [plainBefore, plainAfter] = [withoutFormatting(before), withoutFormatting(after)];
  if (plainBefore === plainAfter) return 'formatting-only';
  if (withoutLinkTargets(plainBefore) === withoutLinkTargets(plainAfter)) return 'links-only';
  if (withoutDates(plainBefore) === withoutDates(plainAfter)) return 'dates-only';
  return 'substantive';
}

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['données', 'service', 'account', 'the', 'law', 'Nutzer', 'privacy', 'terms', 'droit', 'content', 'we', 'may'];

function terms(next: () => number): string[] {
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const sentence = (): string => Array.from({ length: 4 + Math.floor(next() * 20) }, () => pick(WORDS)).join(' ');
  const lines: string[] = ['Terms of Service', '================', '', 'Last updated: January 5, 2024', ''];
  for (let section = 1; section <= 12; section++) {
    if (next() < 0.7) lines.push(`## ${String(section)}\\. ${sentence()}`, '');
    else lines.push(sentence(), '-'.repeat(8), '');
    for (let paragraph = 0; paragraph < 1 + Math.floor(next() * 6); paragraph++) {
      const kind = next();
      if (kind < 0.2) lines.push(`*   ${sentence()}`, `*   **${sentence()}**`, '');
      else if (kind < 0.3) lines.push(`See [our policy](https://example.com/${String(section)}) of 12 March 2023 — ${sentence()}.`, '');
      else lines.push(`${sentence()}.`, '');
    }
  }
  return lines;
}

type Edit = (lines: string[], next: () => number) => void;
const at = (lines: readonly string[], next: () => number): number => Math.floor(next() * lines.length);
const EDITS: Record<string, Edit> = {
  reword: (lines, next) => { const line = at(lines, next); lines[line] = `${lines[line] ?? ''} amended`; },
  date: lines => { lines[3] = 'Last updated: March 12, 2025'; },
  link: lines => { const line = lines.findIndex(text => text.includes('](https://')); if (line >= 0) lines[line] = (lines[line] ?? '').replace('https://example.com/', 'https://example.org/legal/'); },
  emphasis: lines => { const line = lines.findIndex(text => text.includes('**')); if (line >= 0) lines[line] = (lines[line] ?? '').replace(/\*\*/g, ''); },
  insert: (lines, next) => { lines.splice(at(lines, next), 0, 'A new clause on arbitration.', ''); },
  remove: (lines, next) => { lines.splice(at(lines, next), 2); },
  first: lines => { lines[0] = 'Conditions of Service'; },
  last: lines => { lines.push('', 'A closing clause.'); },
  underline: lines => { const line = lines.findIndex(text => /^-{8}$/.test(text)); if (line >= 0) lines[line] = 'not an underline'; },
  heading: lines => { const line = lines.findIndex(text => text.startsWith('## ')); if (line >= 0) lines[line] = `${lines[line] ?? ''} (revised)`; },
  rewrap: (lines, next) => { const line = at(lines, next); lines.splice(line, 1, ...(lines[line] ?? '').split(' ')); },
  scattered: (lines, next) => { for (let edit = 0; edit < 6; edit++) { const line = at(lines, next); lines[line] = `${lines[line] ?? ''} also`; } },
};

describe('changes computed on the window of two long texts', () => {
  it('give the figures, sections, HTML and label of the whole texts', () => {
    const next = random(7);
    const names = Object.keys(EDITS);
    let cases = 0;
    for (let round = 0; round < 40; round++) {
      const lines = terms(next);
      for (const name of names) {
        const edited = [...lines];
        (EDITS[name] as Edit)(edited, next);
        // with and without a final line break on either side
        const endings = [['\n', '\n'], ['\n', ''], ['', '\n']] as const;
        const [beforeEnd, afterEnd] = endings[round % endings.length] ?? ['\n', '\n'];
        const before = `${lines.join('\n')}${beforeEnd}`;
        const after = `${edited.join('\n')}${afterEnd}`;
        if (before === after) continue;
        const windowed = computeChange({ kind: 'change', previous: Buffer.from(before), content: Buffer.from(after) });
        const whole = { change: describeChange(before, after), labelled: labelChange('change', before, after) };
        expect(windowed, `${name} in round ${String(round)}`).toEqual(whole);
        expect(whole.labelled.label, `${name} in round ${String(round)}`).toBe(documentedLabel(before, after));
        cases++;
      }
    }
    expect(cases).toBeGreaterThan(400);
  });

  it('finds the heading of a change far below it, above the window', () => {
    const filler = Array.from({ length: 300 }, (_, line) => `Paragraph ${String(line)} of the long first section.\n`).join('\n');
    const before = `Préambule\n=========\n\n${filler}\nThe last clause.\n`;
    const after = before.replace('The last clause.', 'The last clause, amended.');
    const { change } = computeChange({ kind: 'change', previous: Buffer.from(before), content: Buffer.from(after) });
    expect(change.sections).toEqual(['Préambule']);
    expect(change.summary).toBe('Section “Préambule”: 1 word added, 0 removed (1 line added, 1 removed)');
  });
});
