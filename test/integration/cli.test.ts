import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { type CliIo, runCli } from '../../src/cli/run.js';
import { type DemoSite, demoDeclaration, startDemoSite } from '../../src/demo/site.js';
import { commitCount, git } from '../helpers/git.js';
import { captureIo } from '../helpers/silent.js';
import { makeTempDir } from '../helpers/temp-dir.js';

let site: DemoSite;
let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  site = await startDemoSite();
});
afterAll(() => site.close());
beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
  await mkdir(path.join(dir, 'declarations'));
  await writeFile(path.join(dir, 'declarations', 'Demo Shop.json'), JSON.stringify(demoDeclaration(site.origin)));
});
afterEach(async () => {
  site.setEdition(1);
  await cleanup();
});

// Without the script-rendered page, so that this file needs no browser.
const TYPES = ['--types', 'Terms of Service', 'General Conditions of Sale', 'Acceptable Use Policy'];

describe('terms-archive track', { timeout: 30_000 }, () => {
  it('tracks the demo site, then records only the amended terms', async () => {
    const io = captureIo(dir);
    expect(await runCli(['track', ...TYPES], io)).toBe(0);
    expect(io.output.at(-1)).toMatch(/^Tracking pass: 3 terms of 1 service, 4 snapshots and 3 versions recorded, 0 inaccessible, in \d+\.\d s$/);
    expect(git(path.join(dir, 'versions-repo'), 'ls-files').trim().split('\n')).toEqual([
      'Demo Shop/Acceptable Use Policy.md',
      'Demo Shop/General Conditions of Sale.md',
      'Demo Shop/Terms of Service.md',
    ]);
    site.setEdition(2);
    const again = captureIo(dir);
    expect(await runCli(['track', ...TYPES], again)).toBe(0);
    expect(commitCount(path.join(dir, 'versions-repo'))).toBe(4);
    expect(git(path.join(dir, 'versions-repo'), 'log', '-1', '-p', '--format=%s')).toContain('+We deliver within **10 working days**.');
  });

  it('reports a broken declaration with its file and path, tracks the rest, and exits with 1', async () => {
    await writeFile(
      path.join(dir, 'declarations', 'Broken.json'),
      JSON.stringify({ name: 'Broken', terms: { 'Terms of Service': { fetch: 'https://broken.example/', select: 'main', filter: 'x' } } }),
    );
    const io = captureIo(dir);
    expect(await runCli(['track', '--types', 'Terms of Service'], io)).toBe(1);
    expect(io.errors).toContain('Declaration error: declarations/Broken.json › terms["Terms of Service"].filter: must be an array, got "x"');
    expect(commitCount(path.join(dir, 'versions-repo'))).toBe(1);
  });

  it('honours --services, --snapshots and --versions, and refuses unknown service IDs and terms types with a suggestion', async () => {
    const typo = captureIo(dir);
    expect(await runCli(['--snapshots', 'data/s', '--versions', 'data/v', 'track', '--services', 'Demo shop'], typo)).toBe(2);
    expect(typo.errors).toEqual(['terms-archive: --services: "Demo shop" is not a declared service (did you mean "Demo Shop"?)']);
    const typeTypo = captureIo(dir);
    expect(await runCli(['--snapshots', 'data/s', '--versions', 'data/v', 'track', '--types', 'Terms of Servce'], typeTypo)).toBe(2);
    expect(typeTypo.errors).toEqual(['terms-archive: --types: "Terms of Servce" is not a terms type of any declared service (did you mean "Terms of Service"?)']);
    expect(commitCount(path.join(dir, 'data', 'v'))).toBe(0); // nothing was tracked, nothing was created
    const io = captureIo(dir);
    expect(await runCli(['--snapshots', 'data/s', '--versions', 'data/v', 'track', '--services', 'Demo Shop', '--types', 'Terms of Service'], io)).toBe(0);
    expect(commitCount(path.join(dir, 'data', 'v'))).toBe(1);
    expect(commitCount(path.join(dir, 'data', 's'))).toBe(1);
  });

  it('reads the repositories from the environment and the config file, command line first', async () => {
    await writeFile(path.join(dir, 'terms-archive.config.json'), JSON.stringify({ versionsDir: 'from-file', snapshotsDir: 'snaps-from-file' }));
    // EDITOR and GIT_* variables of the caller's shell must not reach git
    const io = captureIo(dir, { TERMS_ARCHIVE_VERSIONS: 'from-env', EDITOR: 'vi', GIT_DIR: '/nonexistent' });
    expect(await runCli(['track', '--types', 'Terms of Service'], io)).toBe(0);
    expect(commitCount(path.join(dir, 'from-env'))).toBe(1);
    expect(commitCount(path.join(dir, 'snaps-from-file'))).toBe(1);
    await writeFile(path.join(dir, 'terms-archive.config.json'), JSON.stringify({ versionDir: 'typo' }));
    const bad = captureIo(dir);
    expect(await runCli(['track'], bad)).toBe(2);
    expect(bad.errors[0]).toMatch(/terms-archive\.config\.json › versionDir: unknown setting/);
  });

  it('prints every event as a JSON line with --json', async () => {
    const io = captureIo(dir);
    expect(await runCli(['track', '--types', 'Terms of Service', '--json'], io)).toBe(0);
    const events = io.output.map(line => JSON.parse(line) as { event: string; args: Record<string, unknown>[] });
    expect(events.map(event => event.event)).toEqual([
      'trackingStarted',
      'termsProcessed',
      'trackingCompleted',
      'trackingStarted',
      'firstSnapshotRecorded',
      'firstVersionRecorded',
      'termsProcessed',
      'trackingCompleted',
    ]);
    const version = events.find(event => event.event === 'firstVersionRecorded')?.args[0];
    expect(version).toMatchObject({ serviceId: 'Demo Shop', termsType: 'Terms of Service', isFirstRecord: true });
    expect(version).not.toHaveProperty('content');
  });

  it('re-extracts without fetching with apply-technical-upgrades', async () => {
    const io = captureIo(dir);
    await runCli(['track', ...TYPES], io);
    const upgrade = captureIo(dir);
    expect(await runCli(['apply-technical-upgrades'], upgrade)).toBe(0);
    expect(upgrade.output.at(-1)).toMatch(/^Technical upgrade pass: 4 terms of 1 service, 0 snapshots and 0 versions recorded, 0 inaccessible/);
  });
});

describe('terms-archive track --schedule', { timeout: 30_000 }, () => {
  it('upgrades once, tracks at each tick, and stops cleanly when signalled', async () => {
    const stop = new AbortController();
    const io = captureIo(dir, {}, stop.signal);
    const scheduled: CliIo = {
      ...io,
      out: line => {
        io.output.push(line);
        if (line.startsWith('Tracking pass:')) stop.abort(); // as SIGINT would, after the first tick's pass
      },
    };
    // every second, so that the first tick comes soon
    expect(await runCli(['track', '--types', 'Terms of Service', '--schedule', '* * * * * *'], scheduled)).toBe(0);
    expect(io.output.filter(line => line.startsWith('Technical upgrade pass:'))).toHaveLength(1);
    expect(io.output.filter(line => line.startsWith('Tracking pass:'))).toEqual([
      expect.stringMatching(/^Tracking pass: 1 terms of 1 service, 1 snapshot and 1 version recorded/),
    ]);
    expect(io.errors).toContain('Stopping: the terms in progress finish, no new ones start');
    expect(commitCount(path.join(dir, 'versions-repo'))).toBe(1);
  }, 30_000);

  it('rejects an invalid cron expression', async () => {
    const io = captureIo(dir);
    expect(await runCli(['track', '--schedule', 'twice a day'], io)).toBe(2);
    expect(io.errors[0]).toBe('terms-archive: --schedule: "twice a day" is not a cron expression (for example "30 */12 * * *")');
  });
});

describe('terms-archive --help', () => {
  it.each([[[]], [['track']], [['apply-technical-upgrades']], [['extract']]])('documents %j', async command => {
    const io = captureIo(dir);
    expect(await runCli([...command, '--help'], io)).toBe(0);
    expect(io.written.join('')).toMatch(/^Usage: terms-archive/);
  });

  it('rejects unknown commands with exit code 2', async () => {
    const io = captureIo(dir);
    expect(await runCli(['trak'], io)).toBe(2);
  });
});

describe('terms-archive extract', () => {
  it('prints the Markdown of a snapshot, and explains what is missing', async () => {
    await writeFile(path.join(dir, 'page.html'), '<main><h2>Hello</h2></main>');
    const io = captureIo(dir);
    const code = await runCli(['extract', '--declaration', 'declarations/Demo Shop.json', '--snapshot', 'page.html', '--type', 'Terms of Service'], io);
    expect(code).toBe(0);
    expect(io.written.join('')).toBe('Hello\n-----');
    const missing = captureIo(dir);
    expect(await runCli(['extract', '--declaration', 'declarations/Demo Shop.json', '--snapshot', 'page.html'], missing)).toBe(2);
    expect(missing.errors[0]).toMatch(/declares 4 terms types: choose one with --type/);
  });
});
