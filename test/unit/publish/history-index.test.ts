import { describe, expect, it } from 'vitest';

import { describeChange, HistoryIndex } from '../../../src/publish/index.js';
import { MemoryVersionRepository } from '../../../src/record/index.js';

async function record(repository: MemoryVersionRepository, content: string, day: number, isTechnicalUpgrade = false): Promise<void> {
  await repository.record({
    serviceId: 'Acme',
    termsType: 'Terms of Service',
    fetchDate: new Date(Date.UTC(2026, 0, day)),
    content,
    snapshotIds: ['0123456789abcdef0123456789abcdef01234567'],
    isTechnicalUpgrade,
    metadata: { 'x-engine-version': 'test' },
  });
}

describe('HistoryIndex', () => {
  it('indexes kinds and changes once, catches up incrementally, leaves technical upgrades out of feeds, and rebuilds', async () => {
    const repository = new MemoryVersionRepository();
    await record(repository, '# Terms\n\nOne.\n', 1);
    await record(repository, '# Terms\n\nOne, reworded.\n', 2);
    const index = HistoryIndex.open(repository);
    try {
      expect(await index.catchUp()).toBe(2);
      expect(await index.catchUp()).toBe(0);
      await record(repository, '# Terms\n\nOne, reworded!\n', 3, true);
      expect(await index.catchUp()).toBe(1);
      expect(index.versions({ limit: 10 }).map(version => version.kind)).toEqual(['change', 'first']);
      expect(index.versions({ limit: 10, includeTechnicalUpgrades: true }).map(version => version.kind)).toEqual(['upgrade', 'change', 'first']);
      expect(index.versionAt('Acme', 'Terms of Service', new Date(Date.UTC(2026, 0, 2, 12)))?.kind).toBe('change');
      expect(index.versions({ limit: 1 })[0]).toMatchObject({ linesAdded: 1, linesRemoved: 1, wordsAdded: 1, wordsRemoved: 0, sections: ['Terms'] });
      expect(index.versions({ limit: 1 })[0]?.subject).toBe('Record new changes of Acme Terms of Service');

      // history rewritten under the index (a repository replaced by an import): it starts over
      const [first] = index.versions({ limit: 10 }).slice(-1);
      repository.rewindTo(first?.id);
      await record(repository, '# Terms\n\nTwo.\n', 4);
      expect(await index.catchUp()).toBe(2);
      expect(index.count({ includeTechnicalUpgrades: true })).toBe(2);
      expect(await index.rebuild()).toBe(2);
    } finally {
      index.close();
    }
  });

  it('answers "latest" and "in force at a date" in commit order, as OTA and git do, when an upgrade is back-dated', async () => {
    const repository = new MemoryVersionRepository();
    await record(repository, '# Terms\n\nA.\n', 1);
    await record(repository, '# Terms\n\nB.\n', 10);
    // committed after B but dated day 5 (the date of the snapshot it re-extracted)
    await record(repository, '# Terms\n\nA, upgraded.\n', 5, true);
    const index = HistoryIndex.open(repository);
    try {
      await index.catchUp();
      const at = (day: number): string | undefined => index.versionAt('Acme', 'Terms of Service', new Date(Date.UTC(2026, 0, day)))?.kind;
      expect(index.latest('Acme', 'Terms of Service')?.kind).toBe('upgrade');
      expect([at(1), at(4), at(5), at(9), at(10), at(20)]).toEqual(['first', 'first', 'upgrade', 'upgrade', 'upgrade', 'upgrade']);
      const latest = index.latest('Acme', 'Terms of Service');
      // its change was computed against B, the version committed before it, whatever their dates
      expect(latest && index.previous(latest)?.kind).toBe('change');
      // listings stay newest first by date, as OTA's feeds are
      expect(index.versions({ limit: 10, includeTechnicalUpgrades: true }).map(version => version.kind)).toEqual(['change', 'upgrade', 'first']);
    } finally {
      index.close();
    }
  });

  it('stops once its signal is aborted, keeps what it indexed, and goes on at the next catch-up', async () => {
    const repository = new MemoryVersionRepository();
    for (const day of [1, 2, 3]) await record(repository, `# Terms\n\nVersion ${String(day)}.\n`, day);
    const index = HistoryIndex.open(repository);
    try {
      const stop = new AbortController();
      // SIGTERM arrives while the first version is indexed
      expect(await index.catchUp(() => { stop.abort(); }, stop.signal)).toBe(1);
      expect(index.count({ includeTechnicalUpgrades: true })).toBe(1);
      expect(await index.catchUp()).toBe(2);
      expect(index.count({ includeTechnicalUpgrades: true })).toBe(3);
    } finally {
      index.close();
    }
  });

  it('has nothing to index in a repository without versions, and says so without an error (a first run where every page failed)', async () => {
    const index = HistoryIndex.open(new MemoryVersionRepository());
    try {
      expect(await index.catchUp()).toBe(0);
      expect(index.versions({ limit: 10 })).toEqual([]);
    } finally {
      index.close();
    }
  });
});

describe('describeChange', () => {
  it('counts lines and words, names the sections touched, trims context and escapes the text', () => {
    const before = 'Title\n=====\n\n1\n2\n3\n4\n5\n6\n\n## 2\\. Fees\n\nYou pay <b>10</b> €.\n\n## End\n\nBye.\n';
    const after = before.replace('You pay <b>10</b> €.', 'You pay <b>12</b> € monthly.').replace('Bye.', 'Bye now.');
    const change = describeChange(before, after);
    expect(change).toMatchObject({ linesAdded: 2, linesRemoved: 2, wordsAdded: 3, wordsRemoved: 1, sections: ['2. Fees', 'End'] });
    expect(change.summary).toBe('Sections “2. Fees”, “End”: 3 words added, 1 removed (2 lines added, 2 removed)');
    expect(change.html).toContain('<del>- You pay &lt;b&gt;10&lt;/b&gt; €.</del>\n<ins>+ You pay &lt;b&gt;12&lt;/b&gt; € monthly.</ins>');
    expect(change.html).toContain('  …'); // the unchanged lines 1–6 are trimmed
    expect(change.html).not.toContain('\n  3\n');
  });
});
