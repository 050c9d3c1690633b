// A tracking run killed at any moment leaves repositories that the next run continues, and no version that names a
// snapshot the snapshots branch does not hold: the kills are timed at the checkpoints, where the branches move.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestCollection } from '../helpers/collection.js';
import { commitCount, git } from '../helpers/git.js';
import { html, startServer, type TestServer } from '../helpers/http-server.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const binary = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/cli/main.js');
// records flow during the pass, as OTA makes them: the kills are about storage, not about confirming changes
const environment = { PATH: process.env.PATH, HOME: process.env.HOME, TERMS_ARCHIVE_CONFIRM_FETCHES: '1' };
const SERVICES = 130;
/** The last services' pages are held: the run is still going, past its first checkpoints, when it is killed. */
const HELD_FROM = 115;
/**
 * The first services combine two documents, so that the snapshots outnumber the versions: when the versions branch
 * first moves (at 100 versions), snapshots 101 to 130 were made since the snapshots' own last checkpoint.
 */
const COMBINED_BELOW = 30;

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

/** Versions whose message names a snapshot that the snapshots branch does not hold. */
function danglingVersions(collection: string): string[] {
  const versions = path.join(collection, 'versions-repo');
  const snapshots = path.join(collection, 'snapshots-repo');
  if (commitCount(versions) === 0) return [];
  const kept = new Set(commitCount(snapshots) === 0 ? [] : git(snapshots, 'rev-list', 'HEAD').trim().split('\n'));
  const dangling: string[] = [];
  for (const entry of git(versions, 'log', '--format=%x01%H%n%b').split('\u0001').filter(Boolean)) {
    const [id = '', ...body] = entry.split('\n');
    for (const match of body.join('\n').matchAll(/extracting from snapshot ([0-9a-f]{40})/g)) {
      if (!kept.has(match[1] ?? '')) dangling.push(`${id} → ${match[1] ?? ''}`);
    }
  }
  return dangling;
}

async function collectionWithHeldPages(dir: string, held: Promise<void>): Promise<void> {
  await mkdir(path.join(dir, 'declarations'));
  for (let index = 0; index < SERVICES; index++) {
    const name = `Service ${String(index).padStart(3, '0')}`;
    const route = `/page/${String(index)}`;
    server.route(route, { body: html(`<main><h1>${name}</h1><p>Terms number ${String(index)}.</p></main>`), ...(index >= HELD_FROM && { until: held }) });
    server.route(`${route}/more`, { body: html(`<main><p>More terms of ${String(index)}.</p></main>`) });
    const terms = index < COMBINED_BELOW ? { combine: [{ fetch: server.url(route) }, { fetch: server.url(`${route}/more`) }], select: 'main' } : { fetch: server.url(route), select: 'main' };
    await writeFile(path.join(dir, 'declarations', `${name}.json`), JSON.stringify({ name, terms: { 'Terms of Service': terms } }));
  }
}

/** Runs `track`, and kills it with SIGKILL as soon as `file` (a branch of a repository) exists. */
async function trackKilledWhen(collection: string, file: string): Promise<boolean> {
  const child = spawn(process.execPath, [binary, 'track', '--concurrency', '4'], { cwd: collection, env: environment, stdio: 'ignore' });
  const exited = new Promise<void>(resolve => child.on('exit', () => { resolve(); }));
  let isKilled = false;
  while (child.exitCode === null && child.signalCode === null) {
    if (existsSync(file)) {
      child.kill('SIGKILL');
      isKilled = true;
      break;
    }
    await new Promise(resolve => setImmediate(resolve));
  }
  await exited;
  return isKilled;
}

/** Runs `track` to its end: its exit code and what it printed. */
function trackWithOutput(collection: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise(resolve => {
    const child = spawn(process.execPath, [binary, 'track'], { cwd: collection, env: environment });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', code => { resolve({ code, stdout, stderr }); });
  });
}

async function track(collection: string): Promise<number | null> {
  return (await trackWithOutput(collection)).code;
}

describe('kills at checkpoints', () => {
  it.each([
    ['the versions branch first moves', 'versions-repo'],
    ['the snapshots branch first moves', 'snapshots-repo'],
  ])('when %s: no version names a missing snapshot, and the next run completes the archive', async (_moment, repository) => {
    const { dir, cleanup } = await makeTempDir();
    let release: (() => void) | undefined;
    const held = new Promise<void>(resolve => (release = resolve));
    try {
      await collectionWithHeldPages(dir, held);
      expect(await trackKilledWhen(dir, path.join(dir, repository, '.git', 'refs', 'heads', 'main'))).toBe(true);
      expect(commitCount(path.join(dir, repository))).toBeGreaterThanOrEqual(100); // killed right after a checkpoint
      expect(danglingVersions(dir)).toEqual([]);
      release?.();
      expect(await track(dir)).toBe(0);
      expect(danglingVersions(dir)).toEqual([]);
      expect(commitCount(path.join(dir, 'versions-repo'))).toBe(SERVICES);
      expect(git(path.join(dir, 'versions-repo'), 'fsck', '--no-progress')).toBe('');
    } finally {
      release?.();
      await cleanup();
    }
  }, 120_000);
});

describe('records that cannot be saved', () => {
  it('fail the run with its reason, are never counted as recorded, and leave no version without its snapshot', async () => {
    const { dir, cleanup } = await makeTempDir();
    try {
      await mkdir(path.join(dir, 'declarations'));
      let edition = 1;
      server.route('/unsaved', () => ({ body: html(`<main><p>Edition ${String(edition)}.</p></main>`) }));
      await writeFile(path.join(dir, 'declarations', 'Acme.json'), JSON.stringify({ name: 'Acme', terms: { 'Terms of Service': { fetch: server.url('/unsaved'), select: 'main' } } }));
      expect(await track(dir)).toBe(0);
      edition = 2;
      // git cannot move the snapshots branch, as on a full disk
      await writeFile(path.join(dir, 'snapshots-repo', '.git', 'refs', 'heads', 'main.lock'), '');
      const result = await trackWithOutput(dir);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/Tracking pass: 1 terms of 1 service, 0 snapshots and 0 versions recorded, 0 inaccessible, in [\d.]+ s; RECORDS NOT SAVED \(.*cannot lock ref/);
      expect(result.stderr).toMatch(/Error: Records of this pass were not saved: /);
      expect([commitCount(path.join(dir, 'snapshots-repo')), commitCount(path.join(dir, 'versions-repo'))]).toEqual([1, 1]);
      expect(danglingVersions(dir)).toEqual([]);
    } finally {
      await cleanup();
    }
  }, 60_000);
});

describe('two runs at once', () => {
  it('the second is refused with who holds the collection, and the first loses nothing', async () => {
    const { dir, cleanup } = await makeTempDir();
    let release: (() => void) | undefined;
    const held = new Promise<void>(resolve => (release = resolve));
    try {
      await mkdir(path.join(dir, 'declarations'));
      server.route('/held', { until: held, body: html('<main><p>Held terms.</p></main>') });
      await writeFile(path.join(dir, 'declarations', 'Held.json'), JSON.stringify({ name: 'Held', terms: { 'Terms of Service': { fetch: server.url('/held'), select: 'main' } } }));
      const first = track(dir);
      while (server.hits('/held') === 0) await new Promise(resolve => setImmediate(resolve));
      const second = await trackWithOutput(dir);
      expect(second.code).toBe(1);
      expect(second.stderr.trim()).toMatch(/^terms-archive: .*snapshots-repo is being written by another terms-archive process \(pid \d+ on .*, since .*\): wait for it to end; if no such process runs, remove .*write\.lock$/);
      release?.();
      expect(await first).toBe(0);
      expect(commitCount(path.join(dir, 'versions-repo'))).toBe(1);
    } finally {
      release?.();
      await cleanup();
    }
  }, 60_000);
});

describe('a record that cannot be written mid-pass', () => {
  it('stops the pass, drops what depends on it, and still ends the pass cleanly', async () => {
    const { dir, cleanup } = await makeTempDir();
    const collection = await createTestCollection(dir);
    try {
      server.route('/plain', { body: html('<main><p>Plain terms.</p></main>') });
      for (const name of ['A Fine', 'B Blocked']) {
        await collection.writeDeclaration(name, { name, terms: { 'Terms of Service': { fetch: server.url('/plain'), select: 'main' } } });
      }
      const archivist = await collection.archivist({ concurrency: 1 });
      // a file where the service's folder must go: its snapshot cannot be written (as on a full disk)
      await writeFile(path.join(collection.snapshotsDir, 'B Blocked'), 'in the way');
      const summary = await archivist.runPass({ technicalUpgradeOnly: false });
      expect(summary.recordsNotSaved).toMatch(/snapshots-repo: the records made since the last checkpoint were dropped: this one could not be written \(EEXIST|ENOTDIR/);
      expect(summary).toMatchObject({ snapshotsRecorded: 0, versionsRecorded: 0 });
      expect([commitCount(collection.snapshotsDir), commitCount(collection.versionsDir)]).toEqual([0, 0]);
    } finally {
      await collection.close();
      await cleanup();
    }
  }, 60_000);
});
