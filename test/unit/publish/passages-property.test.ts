// The passages of the history index against a brute force: on random histories (paragraphs drawn from a small
// vocabulary, so that they repeat, leave and come back), search of the latest versions, search at a date and trace
// give what reading every version whole gives.
import { describe, expect, it } from 'vitest';

import { HistoryIndex } from '../../../src/publish/index.js';
import { MemoryVersionRepository } from '../../../src/record/index.js';

const WORDS = ['data', 'share', 'model', 'train', 'court', 'fees', 'cookie', 'child', 'delete', 'export', 'law', 'ads'];
const TERMS = ['Acme', 'Beta', 'Gamma'];
const DAY = 86_400_000;
const START = Date.UTC(2024, 0, 1);

function generator(seed: number): (n: number) => number {
  let state = seed;
  return n => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
}

interface Recorded {
  readonly serviceId: string;
  readonly date: number;
  readonly paragraphs: readonly string[];
}

const holds = (paragraphs: readonly string[], word: string): number => paragraphs.filter(paragraph => paragraph.split(' ').includes(word)).length;

describe('passages against reading every version whole', () => {
  it('agree on 5 random histories of 3 terms and 80 versions', async () => {
    for (let seed = 1; seed <= 5; seed++) {
      const next = generator(seed);
      const paragraph = (): string => Array.from({ length: 2 + next(3) }, () => WORDS[next(WORDS.length)]).join(' ');
      const repository = new MemoryVersionRepository();
      const recorded: Recorded[] = [];
      const current = new Map<string, string[]>();
      for (let version = 0; version < 80; version++) {
        const serviceId = TERMS[next(TERMS.length)] ?? 'Acme';
        const before = current.get(serviceId);
        let paragraphs: string[];
        if (!before) paragraphs = Array.from({ length: 3 + next(4) }, paragraph);
        else {
          paragraphs = [...before];
          const draw = next(5);
          const at = next(paragraphs.length);
          if (draw === 0) paragraphs.splice(at, 1, paragraph());
          else if (draw === 1) paragraphs.splice(at, 0, paragraph());
          else if (draw === 2 && paragraphs.length > 2) paragraphs.splice(at, 1);
          else if (draw === 3) paragraphs.push(paragraphs[at] ?? paragraph()); // a repeated paragraph
          else {
            // an earlier text of any terms comes back
            const earlier = recorded[next(recorded.length)];
            paragraphs = [...(earlier?.paragraphs ?? paragraphs)];
          }
          if (paragraphs.join('\n\n') === before.join('\n\n')) paragraphs.push(paragraph());
        }
        current.set(serviceId, paragraphs);
        const date = START + version * DAY;
        recorded.push({ serviceId, date, paragraphs });
        await repository.record({ serviceId, termsType: 'Terms of Service', fetchDate: new Date(date), content: `${paragraphs.join('\n\n')}\n`, snapshotIds: ['0123456789abcdef0123456789abcdef01234567'], isTechnicalUpgrade: false, metadata: {} });
      }
      const index = HistoryIndex.open(repository);
      try {
        await index.catchUp();
        for (const word of WORDS) {
          // the latest versions, and those in force at ten dates
          for (const at of [undefined, ...Array.from({ length: 10 }, (_, step) => START + step * 8 * DAY + DAY / 2)]) {
            const expected = TERMS.flatMap(serviceId => {
              const inForce = recorded.filter(entry => entry.serviceId === serviceId && (at === undefined || entry.date <= at)).at(-1);
              const count = inForce ? new Set(inForce.paragraphs.filter(text => text.split(' ').includes(word))).size : 0;
              return count > 0 ? [[serviceId, count]] : [];
            });
            const found = index.passages.search({ text: word, ...(at !== undefined && { at: new Date(at) }) }).map(hit => [hit.serviceId, hit.matches]);
            expect(found, `seed ${String(seed)}, "${word}" at ${at === undefined ? 'latest' : new Date(at).toISOString()}`).toEqual(expected);
          }
          // trace: the periods in which each terms held the word
          for (const serviceId of TERMS) {
            const versions = recorded.filter(entry => entry.serviceId === serviceId);
            const periods: [string, string | null][] = [];
            versions.forEach((entry, position) => {
              const isPresent = holds(entry.paragraphs, word) > 0;
              const wasPresent = position > 0 && holds(versions[position - 1]?.paragraphs ?? [], word) > 0;
              if (isPresent && !wasPresent) periods.push([new Date(entry.date).toISOString(), null]);
              if (!isPresent && wasPresent) (periods.at(-1) as [string, string | null])[1] = new Date(entry.date).toISOString();
            });
            const traced = (index.passages.trace(serviceId, 'Terms of Service', word) ?? []).map(period => [period.from.fetchDate, period.until?.fetchDate ?? null]);
            expect(traced, `seed ${String(seed)}, trace "${word}" in ${serviceId}`).toEqual(periods);
          }
        }
      } finally {
        index.close();
      }
    }
  });
});
