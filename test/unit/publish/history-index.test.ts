import { existsSync } from 'node:fs';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { describeChange, HistoryIndex } from '../../../src/publish/index.js';
import { GitVersionRepository } from '../../../src/record/index.js';
import { git } from '../../helpers/git.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const environment = { PATH: process.env.PATH ?? '' };
let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
});
afterEach(() => cleanup());

async function record(repository: GitVersionRepository, content: string, day: number, isTechnicalUpgrade = false): Promise<void> {
  await repository.record({
    serviceId: 'Acme',
    termsType: 'Terms of Service',
    fetchDate: new Date(Date.UTC(2026, 0, day)),
    content,
    snapshotIds: ['0123456789abcdef0123456789abcdef01234567'],
    isTechnicalUpgrade,
    metadata: { 'x-engine-version': 'test' },
  });
  await repository.finalize();
}

describe('HistoryIndex', () => {
  it('indexes kinds and changes once, catches up incrementally, leaves technical upgrades out of feeds, and rebuilds', async () => {
    const repository = new GitVersionRepository({ directory: dir, authorName: 'T', authorEmail: 't@t', environment });
    await repository.initialize();
    await record(repository, '# Terms\n\nOne.\n', 1);
    await record(repository, '# Terms\n\nOne, reworded.\n', 2);
    const index = HistoryIndex.open(dir, environment);
    try {
      expect(await index.catchUp()).toBe(2);
      expect(await index.catchUp()).toBe(0);
      await record(repository, '# Terms\n\nOne, reworded!\n', 3, true);
      expect(await index.catchUp()).toBe(1);
      expect(index.versions({ limit: 10 }).map(version => version.kind)).toEqual(['change', 'first']);
      expect(index.versions({ limit: 10, includeTechnicalUpgrades: true }).map(version => version.kind)).toEqual(['upgrade', 'change', 'first']);
      expect(index.versionAt('Acme', 'Terms of Service', new Date(Date.UTC(2026, 0, 2, 12)))?.kind).toBe('change');
      expect(index.versions({ limit: 1 })[0]).toMatchObject({ linesAdded: 1, linesRemoved: 1, wordsAdded: 1, wordsRemoved: 0, sections: ['Terms'] });

      // history rewritten under the index (a repository replaced by an import): it starts over
      git(dir, 'reset', '-q', '--hard', 'HEAD~2');
      await record(repository, '# Terms\n\nTwo.\n', 4);
      expect(await index.catchUp()).toBe(2);
      expect(index.count({ includeTechnicalUpgrades: true })).toBe(2);
      expect(await index.rebuild()).toBe(2);
    } finally {
      index.close();
    }
  });
});

describe('HistoryIndex without a repository', () => {
  it('refuses a folder that is not a repository, and leaves it untouched', () => {
    expect(() => HistoryIndex.open(dir, environment)).toThrow(/is not a versions repository yet: run "terms-archive track" first/);
    expect(existsSync(path.join(dir, '.git'))).toBe(false);
  });
});

describe('HistoryIndex on a repository without commits', () => {
  it('has nothing to index, and says so without an error (a first run where every page failed)', async () => {
    const repository = new GitVersionRepository({ directory: dir, authorName: 'T', authorEmail: 't@t', environment });
    await repository.initialize();
    const index = HistoryIndex.open(dir, environment);
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
    expect(change.summary).toBe('Sections “2. Fees”, “End”: 3 word(s) added, 1 removed (2 line(s) added, 2 removed)');
    expect(change.html).toContain('<del>- You pay &lt;b&gt;10&lt;/b&gt; €.</del>\n<ins>+ You pay &lt;b&gt;12&lt;/b&gt; € monthly.</ins>');
    expect(change.html).toContain('  …'); // the unchanged lines 1–6 are trimmed
    expect(change.html).not.toContain('\n  3\n');
  });
});
