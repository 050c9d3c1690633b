import { describe, expect, it } from 'vitest';

import { HistoryIndex, paragraphsOf, SearchSyntaxError } from '../../../src/publish/index.js';
import { paragraphWindow } from '../../../src/publish/paragraphs.js';
import { queryTerms, snippetOf } from '../../../src/publish/snippet.js';
import { MemoryVersionRepository } from '../../../src/record/index.js';

async function record(repository: MemoryVersionRepository, serviceId: string, content: string, day: number, isTechnicalUpgrade = false): Promise<void> {
  await repository.record({
    serviceId,
    termsType: 'Privacy Policy',
    fetchDate: new Date(Date.UTC(2026, 0, day)),
    content,
    snapshotIds: ['0123456789abcdef0123456789abcdef01234567'],
    isTechnicalUpgrade,
    metadata: { 'x-engine-version': 'test' },
  });
}

/** Paragraph → count, the multiset a text splits into. */
function counts(paragraphs: readonly string[]): Map<string, number> {
  const result = new Map<string, number>();
  for (const paragraph of paragraphs) result.set(paragraph, (result.get(paragraph) ?? 0) + 1);
  return result;
}

function difference(before: readonly string[], after: readonly string[]): Record<string, number> {
  const result: Record<string, number> = {};
  const a = counts(before);
  const b = counts(after);
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const delta = (b.get(key) ?? 0) - (a.get(key) ?? 0);
    if (delta !== 0) result[key] = delta;
  }
  return result;
}

describe('paragraphWindow', () => {
  it('gives the same paragraph changes as splitting both whole texts, on 2,000 random edits', () => {
    let state = 7;
    const next = (n: number): number => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state % n;
    };
    const pieces = ['a', 'b b', 'c', '\n', '\n\n', ' \n', 'é', 'word', '# T', '\n \n', '-'];
    for (let round = 0; round < 2000; round++) {
      const text = Array.from({ length: 5 + next(40) }, () => pieces[next(pieces.length)]).join('');
      const at = next(text.length + 1);
      const removed = next(6);
      const inserted = Array.from({ length: next(4) }, () => pieces[next(pieces.length)]).join('');
      const changed = text.slice(0, at) + inserted + text.slice(at + removed);
      const window = paragraphWindow(Buffer.from(text), Buffer.from(changed));
      expect(difference(window.before, window.after), JSON.stringify([text, changed])).toEqual(difference(paragraphsOf(text), paragraphsOf(changed)));
    }
  });

  it('splits only the paragraphs around a change', () => {
    const text = Array.from({ length: 1000 }, (_, n) => `Paragraph ${n}.`).join('\n\n');
    const window = paragraphWindow(Buffer.from(text), Buffer.from(text.replace('Paragraph 500.', 'Paragraph 500, amended.')));
    expect(window.before.length).toBeLessThanOrEqual(3);
    expect(window.after).toContain('Paragraph 500, amended.');
  });
});

describe('passages of the history index', () => {
  it('searches the versions in force (latest, at a date) and over history, with snippets', async () => {
    const repository = new MemoryVersionRepository();
    await record(repository, 'Acme', '# Privacy\n\nWe collect your data.\n\nWe may use your content for training AI models.\n', 1);
    await record(repository, 'Beta', '# Privacy\n\nWe never sell data.\n', 2);
    await record(repository, 'Acme', '# Privacy\n\nWe collect your data.\n', 10);
    await record(repository, 'Beta', '# Privacy\n\nWe never sell data.\n\nModels are trained on public posts.\n', 12);
    const index = HistoryIndex.open(repository);
    try {
      await index.catchUp();
      const search = index.passages.search.bind(index.passages);
      expect(search({ text: 'training' })).toEqual([]);
      expect(search({ text: 'train*' }).map(hit => hit.serviceId)).toEqual(['Beta']);
      const [atDay5] = search({ text: '"training AI"', at: new Date(Date.UTC(2026, 0, 5)) });
      expect(atDay5).toMatchObject({ serviceId: 'Acme', termsType: 'Privacy Policy', matches: 1, version: { fetchDate: '2026-01-01T00:00:00.000Z', kind: 'first' } });
      expect(atDay5?.snippet).toBe('We may use your content for training AI models.');
      expect(atDay5?.highlights.map(([start, end]) => atDay5.snippet.slice(start, end))).toEqual(['training AI']);
      expect(search({ text: 'model*' }).map(hit => hit.serviceId)).toEqual(['Beta']);
      expect(search({ text: 'data NOT sell' }).map(hit => hit.serviceId)).toEqual(['Acme']);
      expect(search({ text: 'data', serviceIds: ['Beta'] }).map(hit => hit.serviceId)).toEqual(['Beta']);

      const history = search({ text: 'model*', history: {} });
      expect(history.map(hit => [hit.serviceId, hit.version.fetchDate.slice(0, 10), hit.until?.fetchDate.slice(0, 10) ?? null])).toEqual([
        ['Acme', '2026-01-01', '2026-01-10'],
        ['Beta', '2026-01-12', null],
      ]);
      expect(search({ text: 'model*', history: { from: new Date(Date.UTC(2026, 0, 11)) } }).map(hit => hit.serviceId)).toEqual(['Beta']);
      expect(search({ text: 'model*', history: { to: new Date(Date.UTC(2026, 0, 11)) } }).map(hit => hit.serviceId)).toEqual(['Acme']);
      expect(() => search({ text: '"unclosed' })).toThrow(SearchSyntaxError);
    } finally {
      index.close();
    }
  });

  it('traces a passage through removals and returns, and blames each paragraph on the version that brought it, skipping upgrades', async () => {
    const repository = new MemoryVersionRepository();
    const clause = 'Disputes go to binding arbitration.';
    await record(repository, 'Acme', '# Terms\n\nIntro.\n\nSection.\n', 1);
    await record(repository, 'Acme', `# Terms\n\nIntro.\n\n${clause}\n\nSection.\n`, 2);
    await record(repository, 'Acme', '# Terms\n\nIntro.\n\nSection.\n', 3);
    await record(repository, 'Acme', `# Terms\n\nIntro, amended.\n\n${clause}\n\nSection.\n`, 4);
    // a technical upgrade that changes how every paragraph is written
    await record(repository, 'Acme', `# Terms\n\nIntro, amended\\.\n\n${clause.replace('.', '\\.')}\n\nSection\\.\n`, 5, true);
    const index = HistoryIndex.open(repository);
    try {
      await index.catchUp();
      const periods = index.passages.trace('Acme', 'Privacy Policy', 'disputes go to BINDING arbitration') ?? [];
      const days = periods.map(period => [period.from.fetchDate.slice(8, 10), period.until?.fetchDate.slice(8, 10) ?? null]);
      // the upgrade re-wrote the paragraph, but its words are the same: one period, still open
      expect(days).toEqual([['02', '03'], ['04', null]]);
      expect(index.passages.trace('Acme', 'Privacy Policy', 'Intro.\n\nDisputes go')?.map(period => period.from.fetchDate.slice(8, 10))).toEqual(['02', '04']);
      expect(index.passages.trace('Acme', 'Privacy Policy', 'nowhere to be found')).toEqual([]);
      expect(index.passages.trace('Acme', 'Privacy Policy', '…')).toBeUndefined();

      const latest = index.latest('Acme', 'Privacy Policy');
      const content = (await repository.read(latest?.id ?? '', 'Acme', 'Privacy Policy')) ?? '';
      const blamed = index.passages.blame('Acme', 'Privacy Policy', latest?.id ?? '', content);
      expect(blamed.map(paragraph => [paragraph.text, paragraph.since?.fetchDate.slice(8, 10)])).toEqual([
        ['# Terms', '01'],
        ['Intro, amended\\.', '04'],
        ['Disputes go to binding arbitration\\.', '04'],
        ['Section\\.', '01'],
      ]);
    } finally {
      index.close();
    }
  });

  it('keeps a repeated paragraph open until its last copy goes', async () => {
    const repository = new MemoryVersionRepository();
    await record(repository, 'Acme', 'A\n\n---\n\nB\n\n---\n\nC\n', 1);
    await record(repository, 'Acme', 'A\n\n---\n\nB, amended\n\nC\n', 2);
    await record(repository, 'Acme', 'A\n\nB, amended\n\nC\n', 3);
    const index = HistoryIndex.open(repository);
    try {
      await index.catchUp();
      expect(index.passages.trace('Acme', 'Privacy Policy', 'B amended')?.map(period => period.until)).toEqual([null]);
      const [, second] = index.versions({ serviceId: 'Acme', limit: 3 });
      // the second version still holds one of the two copies, kept since the first
      const blamed = index.passages.blame('Acme', 'Privacy Policy', second?.id ?? '', 'A\n\n---\n\nB, amended\n\nC\n');
      expect(blamed.map(paragraph => paragraph.since?.fetchDate.slice(8, 10))).toEqual(['01', '01', '02', '01']);
      const latest = index.latest('Acme', 'Privacy Policy');
      expect(index.passages.blame('Acme', 'Privacy Policy', latest?.id ?? '', 'A\n\n---\n').map(paragraph => paragraph.since?.fetchDate.slice(8, 10))).toEqual(['01', undefined]);
    } finally {
      index.close();
    }
  });
});

describe('snippets', () => {
  it('marks the words a query looks for, case and accents aside, and leaves out operators and what NOT excludes', () => {
    expect(queryTerms('"Données personnelles" AND train* NOT (cookies OR tracking) NEAR(a b, 5)').map(term => `${term.word}${term.isPrefix ? '*' : ''}`)).toEqual(['donnees', 'personnelles', 'train*', 'a', 'b']);
    const { snippet, highlights } = snippetOf('Nous traitons vos DONNÉES personnelles pour entraîner nos modèles.', queryTerms('"données personnelles" OR entrain*'));
    expect(highlights.map(([start, end]) => snippet.slice(start, end))).toEqual(['DONNÉES personnelles', 'entraîner']);
  });

  it('cuts a long paragraph around its first match', () => {
    const text = Array.from({ length: 100 }, (_, index) => (index === 60 ? 'arbitration' : `word${String(index)}`)).join(' ');
    const { snippet, highlights } = snippetOf(text, queryTerms('arbitration'));
    expect(snippet.startsWith('…word54 ')).toBe(true);
    expect(snippet.endsWith('word77…')).toBe(true);
    expect(highlights.map(([start, end]) => snippet.slice(start, end))).toEqual(['arbitration']);
  });
});

describe('snippets of long paragraphs', () => {
  it('gives the same snippet reading around the first match as reading the whole paragraph', () => {
    const words = Array.from({ length: 3000 }, (_, index) => (index === 1500 ? 'Arbitration' : index === 1510 ? 'métadonnées' : `w${String(index)}`));
    const text = words.join(' ');
    const whole = snippetOf(text.slice(0, 1990), queryTerms('w10'));
    expect(whole.highlights).toHaveLength(1);
    const { snippet, highlights } = snippetOf(text, queryTerms('arbitration OR metadonnees'));
    expect(snippet).toMatch(/^…w1494 .* w1517…$/);
    expect(highlights.map(([start, end]) => snippet.slice(start, end))).toEqual(['Arbitration', 'métadonnées']);
  });
});
