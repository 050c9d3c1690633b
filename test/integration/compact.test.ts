// Repositories stay compact: fast-import leaves a pack a pass, and `git gc --auto` after each pass merges them once
// git's own threshold is reached.
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli } from '../../src/cli/run.js';
import { compactRepository } from '../../src/record/index.js';
import { git } from '../helpers/git.js';
import { html, startServer, type TestServer } from '../helpers/http-server.js';
import { captureIo } from '../helpers/silent.js';
import { makeTempDir } from '../helpers/temp-dir.js';

let site: TestServer;
let dir: string;
let cleanup: () => Promise<void>;
let edition = 1;

beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir());
  site = await startServer();
  site.route('/terms', () => ({ body: html(`<main><h1>Terms</h1><p>Edition ${String(edition)} of the terms of the service, with words enough to be read as terms.</p></main>`) }));
  await mkdir(path.join(dir, 'declarations'));
  await writeFile(path.join(dir, 'declarations', 'Acme.json'), JSON.stringify({ name: 'Acme', terms: { 'Terms of Service': { fetch: site.url('/terms'), select: 'main' } } }));
});
afterAll(async () => {
  await site.close();
  await cleanup();
});

function packs(repository: string): number {
  return Number(/^packs: (\d+)$/m.exec(git(repository, 'count-objects', '-v'))?.[1]);
}

describe('repository compaction', { timeout: 30_000 }, () => {
  it('merges the packs of passes once git says there are too many, and keeps every commit', async () => {
    const versions = path.join(dir, 'versions-repo');
    const snapshots = path.join(dir, 'snapshots-repo');
    const track = async (env: Record<string, string> = {}): Promise<string[]> => {
      edition++;
      const io = captureIo(dir, env);
      expect(await runCli(['track'], io)).toBe(0);
      return io.errors;
    };
    await track();
    for (const repository of [versions, snapshots]) git(repository, 'config', 'gc.autoPackLimit', '3');
    // turned off: the packs pile up
    for (let pass = 0; pass < 3; pass++) await track({ TERMS_ARCHIVE_COMPACT_REPOSITORIES: 'false' });
    expect(packs(versions)).toBe(4);
    expect(packs(snapshots)).toBe(4);
    const before = git(versions, 'log', '--format=%H %aI %s');
    // on (the default): the run's first pass (technical upgrades, which record nothing here) merges the 4 packs into
    // one (or two, when git keeps the largest as it is), then its tracking pass adds its own
    const errors = await track();
    expect(errors).toEqual(expect.arrayContaining([expect.stringMatching(/^Compacted the versions repository: 4 packs into [12]$/), expect.stringMatching(/^Compacted the snapshots repository: 4 packs into [12]$/)]));
    expect(packs(versions)).toBeLessThanOrEqual(3);
    expect(packs(snapshots)).toBeLessThanOrEqual(3);
    expect(git(versions, 'log', '--format=%H %aI %s').endsWith(before)).toBe(true);
    expect(git(versions, 'rev-list', '--count', 'HEAD').trim()).toBe('5');
    execFileSync('git', ['fsck', '--no-progress'], { cwd: versions });
    // below the threshold (git's default, 50) nothing is done, and nothing is said
    for (const repository of [versions, snapshots]) git(repository, 'config', '--unset', 'gc.autoPackLimit');
    const packsBefore = packs(versions);
    expect(await track()).not.toEqual(expect.arrayContaining([expect.stringMatching(/^Compacted/)]));
    expect(packs(versions)).toBe(packsBefore + 1);
  });

  it('skips a folder without a repository, and reports a broken one with git\'s own words', async () => {
    const { dir: notRepository, cleanup: remove } = await makeTempDir();
    try {
      expect(await compactRepository(notRepository, { PATH: process.env.PATH })).toBeUndefined();
      await mkdir(path.join(notRepository, '.git'));
      await expect(compactRepository(notRepository, { PATH: process.env.PATH })).rejects.toThrow(/not a git repository/);
    } finally {
      await remove();
    }
  });
});
