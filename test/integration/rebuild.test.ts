// `rebuild-versions` through the command line: a history polluted the way OTA's engine pollutes it (a bot wall and
// its "reversion" recorded as versions) is rebuilt from the snapshots once a skip rule says what the wall looks like;
// the difference is shown first, and the current history is replaced only when asked.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { runCli } from '../../src/cli/run.js';
import { commitCount, git } from '../helpers/git.js';
import { html, startServer, type TestServer } from '../helpers/http-server.js';
import { captureIo } from '../helpers/silent.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const TERMS = html('<header>Acme</header><main><h1>Terms</h1><p>These terms govern the use of the Acme service and of its applications.</p></main>');
const WALL = html('<header>Acme</header><main><h1>Just a moment...</h1><p>Checking your browser.</p></main>');
const OTHER = html('<main><h1>Privacy</h1><p>We keep what you give us for as long as your account exists.</p></main>');

let server: TestServer;
let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  server = await startServer({ '/other': { body: OTHER } });
});
afterAll(() => server.close());
beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
  await mkdir(path.join(dir, 'declarations'));
  await declareAcme({});
  await writeFile(path.join(dir, 'declarations', 'Other.json'), JSON.stringify({ name: 'Other', terms: { 'Privacy Policy': { fetch: server.url('/other'), select: 'main' } } }));
});
afterEach(() => cleanup());

function declareAcme(rules: Record<string, unknown>): Promise<void> {
  return writeFile(path.join(dir, 'declarations', 'Acme.json'), JSON.stringify({ name: 'Acme', terms: { 'Terms of Service': { fetch: server.url('/terms'), select: 'main', ...rules } } }));
}

async function cli(env: Record<string, string>, ...args: string[]): Promise<{ code: number; output: string[] }> {
  const io = captureIo(dir, env);
  const code = await runCli(args, io);
  return { code, output: [...io.output, ...io.errors] };
}

/** Tracks as OTA does: every change recorded as first seen, no rule holding anything. */
const AS_OTA = {
  TERMS_ARCHIVE_CONFIRM_FETCHES: '1',
  TERMS_ARCHIVE_HOLD_WALLS: 'false',
  TERMS_ARCHIVE_HOLD_SHRINK_BELOW_PERCENT: '0',
  TERMS_ARCHIVE_HOLD_FLAPPING_DAYS: '0',
  TERMS_ARCHIVE_HOLD_LANGUAGE_SWITCH: 'false',
};
const versionsDir = (): string => path.join(dir, 'versions-repo');

async function trackPollutedHistory(): Promise<void> {
  for (const page of [TERMS, WALL, TERMS]) {
    server.route('/terms', { body: page });
    await cli(AS_OTA, 'track');
  }
}

describe('terms-archive rebuild-versions', { timeout: 60_000 }, () => {
  it('rebuilds the history without what a skip rule refuses, shows the difference, and replaces nothing unless asked', async () => {
    await trackPollutedHistory();
    expect(git(versionsDir(), 'log', '--format=%s', '--', 'Acme').trim().split('\n')).toHaveLength(3);
    await declareAcme({ skipContent: { 'main h1': 'Just a moment' } });

    const dryRun = await cli({}, 'rebuild-versions', '--services', 'Acme');
    expect(dryRun.code).toBe(0);
    expect(dryRun.output.slice(0, 5)).toEqual([
      'Acme · Terms of Service: 3 → 1 version (2 dropped, 0 added, 1 snapshot skipped by rule)',
      expect.stringMatching(/^ {2}- \d{4}-\d\d-\d\dT[\d:.]+Z {2}[0-9a-f]{10}$/),
      expect.stringMatching(/^ {2}- /),
      '  skipped 1 snapshot: skipContent "main h1" holds "Just a moment"',
      `Rebuilt 1 terms from the snapshots: 3 versions before, 1 after, 1 terms changed; 1 version of other terms copied as they were. New history: ${versionsDir()}.rebuilt`,
    ]);
    expect(commitCount(versionsDir())).toBe(4);

    const again = await cli({}, 'rebuild-versions', '--services', 'Acme');
    expect(again.code).toBe(2);
    expect(again.output).toEqual([`terms-archive: --out: ${versionsDir()}.rebuilt is not empty (a previous rebuild?): remove it, or give another --out`]);

    const replaced = await cli({}, 'rebuild-versions', '--services', 'Acme', '--out', 'rebuilt-2', '--replace');
    expect(replaced.code).toBe(0);
    expect(replaced.output.at(-1)).toMatch(/^Replaced: .*versions-repo now holds the rebuilt history; the previous one is kept in .*versions-repo\.before-rebuild-\d{8}T\d{6}Z\. Its public copies \(remotes\) need a forced push\.$/);
    expect(git(versionsDir(), 'log', '--format=%s').trim().split('\n').sort()).toEqual(['First record of Acme Terms of Service', 'First record of Other Privacy Policy']);
    expect((await readdir(dir)).filter(name => name.startsWith('versions-repo.before-rebuild-'))).toHaveLength(1);

    // the rebuilt history is one `verify` reproduces, and the next tracking pass continues it
    expect((await cli({}, 'verify')).output.at(-1)).toBe('2 versions checked: 2 reproduced byte for byte, 0 not reproduced, 0 could not be checked');
    server.route('/terms', { body: TERMS });
    expect((await cli({}, 'track')).output.at(-1)).toMatch(/0 versions recorded, 0 inaccessible/);
  });
});
