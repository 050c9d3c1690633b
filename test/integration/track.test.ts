import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import iconv from 'iconv-lite';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { makePdf } from '../../src/demo/pdf.js';
import { type InaccessibleContentError, openValidatorsCache } from '../../src/track/index.js';
import { createTestCollection, type TestCollection } from '../helpers/collection.js';
import { commitCount, git, subjects } from '../helpers/git.js';
import { html, startServer, type TestServer } from '../helpers/http-server.js';
import { makeTempDir } from '../helpers/temp-dir.js';

let server: TestServer;
let collection: TestCollection;
let cleanup: () => Promise<void>;

const page = (text: string, noise = ''): string =>
  html(`<nav>Menu</nav><main><h1>Terms</h1><p>${text}</p><div class="noise">${noise}</div></main><footer>f</footer>`);

beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());
beforeEach(async () => {
  const temp = await makeTempDir();
  cleanup = temp.cleanup;
  collection = await createTestCollection(temp.dir);
});
afterEach(async () => {
  await collection.close();
  await cleanup();
});

const declare = (serviceId: string, terms: Record<string, unknown>): Promise<void> =>
  collection.writeDeclaration(serviceId, { name: serviceId, terms });

async function track(now?: () => Date): Promise<void> {
  const archivist = await collection.archivist(now ? { now } : {});
  await archivist.runPass({ technicalUpgradeOnly: true });
  await archivist.runPass({ technicalUpgradeOnly: false });
}

function inaccessibleReasons(): string[] {
  return collection.events
    .filter(event => event.name === 'inaccessibleContent')
    .flatMap(event => (event.args[0] as InaccessibleContentError).reasons);
}

describe('tracking a terms', () => {
  it('records a first snapshot and version dated at the fetch, then nothing when unchanged, then a change', async () => {
    server.route('/acme/tos', { body: page('Version one', 'build 1') });
    await declare('Acme Inc.', { 'Terms of Service': { fetch: server.url('/acme/tos'), select: 'main', remove: '.noise' } });
    const fetchDate = new Date('2026-01-02T03:04:05.678Z');
    await track(() => fetchDate);

    expect(subjects(collection.snapshotsDir)).toEqual(['First record of Acme Inc. Terms of Service']);
    expect(subjects(collection.versionsDir)).toEqual(['First record of Acme Inc. Terms of Service']);
    for (const dir of [collection.snapshotsDir, collection.versionsDir]) {
      expect(git(dir, 'log', '-1', '--format=%aI %cI').trim()).toBe('2026-01-02T03:04:05+00:00 2026-01-02T03:04:05+00:00');
    }
    const snapshotId = git(collection.snapshotsDir, 'rev-parse', 'HEAD').trim();
    // OTA's message, then our provenance trailers
    expect(git(collection.versionsDir, 'log', '-1', '--format=%B')).toMatch(
      new RegExp(`^First record of Acme Inc\\. Terms of Service\n\nThis version was recorded after extracting from snapshot ${snapshotId}\n\nX-engine-version: 0\\.0\\.0-test\nX-declaration-digest: [0-9a-f]{16}\nX-extraction-version: 2\n\n$`),
    );
    expect(await readFile(path.join(collection.versionsDir, 'Acme Inc.', 'Terms of Service.md'), 'utf8')).toBe('Terms\n=====\n\nVersion one');

    await track();
    expect(commitCount(collection.snapshotsDir)).toBe(1);
    expect(commitCount(collection.versionsDir)).toBe(1);
    expect(collection.eventNames().slice(-2)).toEqual(['snapshotNotChanged', 'versionNotChanged']);

    server.route('/acme/tos', { body: page('Version one', 'build 2') });
    await track();
    expect(commitCount(collection.snapshotsDir)).toBe(2);
    expect(commitCount(collection.versionsDir)).toBe(1);

    server.route('/acme/tos', { body: page('Version two', 'build 2') });
    await track();
    expect(subjects(collection.versionsDir)[0]).toBe('Record new changes of Acme Inc. Terms of Service');
    expect(git(collection.versionsDir, 'diff', 'HEAD~1', '--', 'Acme Inc./Terms of Service.md')).toContain('+Version two');
  });

  it('reports failing pages as inaccessible, records no version for them, and tracks the others', async () => {
    server.route('/ok', { body: page('Fine') });
    server.route('/gone', { status: 404, body: 'no' });
    server.route('/broken', { status: 500, body: 'oops' });
    server.route('/slow', { body: page('late'), delayMs: 3000 });
    server.route('/empty', { headers: { 'content-length': '0' }, body: '' });
    server.route('/other', { body: page('No main here').replace('<main>', '<section>').replace('</main>', '</section>') });
    await declare('A', { 'Terms of Service': { fetch: server.url('/gone'), select: 'main' } });
    await declare('B', { 'Terms of Service': { fetch: server.url('/broken'), select: 'main' } });
    await declare('C', { 'Terms of Service': { fetch: server.url('/slow'), select: 'main' } });
    await declare('D', { 'Terms of Service': { fetch: server.url('/empty'), select: 'main' } });
    await declare('E', { 'Terms of Service': { fetch: server.url('/other'), select: 'main' } });
    await declare('F', { 'Terms of Service': { fetch: server.url('/ok'), select: 'main' } });
    const archivist = await collection.archivist({ navigationTimeoutMs: 1000 });
    const summary = await archivist.runPass({ technicalUpgradeOnly: false });

    expect(summary).toMatchObject({ terms: 6, versionsRecorded: 1, inaccessible: 5 });
    expect(git(collection.versionsDir, 'ls-files').trim().split('\n')).toEqual(['F/Terms of Service.md']);
    expect(inaccessibleReasons().sort()).toEqual(
      [
        `Fetch failed: Received HTTP code 404 when trying to fetch '${server.url('/gone')}'`,
        `Fetch failed: Received HTTP code 500 when trying to fetch '${server.url('/broken')}'`,
        `Fetch failed: Timed out after 1 seconds when trying to fetch '${server.url('/slow')}'`,
        `Fetch failed: Received an empty content when fetching '${server.url('/empty')}'`,
        `Extract failed: The provided selector "main" has no match in the web page at '${server.url('/other')}'. This could be due to elements being removed before content selection if "remove" and "select" selectors match the same content.`,
      ].sort(),
    );
    // the page without a match was fetched, so its snapshot stays; the failed fetches left none
    expect(git(collection.snapshotsDir, 'ls-files').trim().split('\n').sort()).toEqual(['E/Terms of Service.html', 'F/Terms of Service.html']);
    // transient failures (500, timeout) were tried once more at the end of the run
    expect(server.hits('/broken')).toBe(2);
    expect(server.hits('/gone')).toBe(1);
  });

  it('retries a transient failure once at the end of the run, and records it when the retry works', async () => {
    server.route('/flaky', (_request, count) => (count === 1 ? { status: 503, body: 'busy' } : { body: page('Back') }));
    server.route('/steady', { body: page('Steady') });
    await declare('Flaky', { 'Terms of Service': { fetch: server.url('/flaky'), select: 'main' } });
    await declare('Steady', { 'Terms of Service': { fetch: server.url('/steady'), select: 'main' } });
    const archivist = await collection.archivist();
    const summary = await archivist.runPass({ technicalUpgradeOnly: false });
    expect(summary).toMatchObject({ versionsRecorded: 2, inaccessible: 0 });
    // the retry came after the other terms
    expect(subjects(collection.versionsDir)).toEqual(['First record of Flaky Terms of Service', 'First record of Steady Terms of Service']);
  });

  it('decodes a windows-1251 page declared only in a meta tag', async () => {
    const body = html('<main><p>Условия использования</p></main>', '<meta charset="windows-1251">');
    server.route('/ru', { headers: { 'content-type': 'text/html' }, body: iconv.encode(body, 'windows-1251') });
    await declare('Ru', { 'Terms of Service': { fetch: server.url('/ru'), select: 'main' } });
    await track();
    expect(await readFile(path.join(collection.versionsDir, 'Ru', 'Terms of Service.md'), 'utf8')).toBe('Условия использования');
    expect(await readFile(path.join(collection.snapshotsDir, 'Ru', 'Terms of Service.html'), 'utf8')).toBe(body);
  });

  it('stores a PDF byte for byte and records its text', async () => {
    const pdf = makePdf(['General Conditions', '', 'Article 1. Scope']);
    server.route('/cgv.pdf', { headers: { 'content-type': 'application/pdf' }, body: pdf });
    await declare('Pdf', { 'General Conditions of Sale': { fetch: server.url('/cgv.pdf') } });
    await track();
    expect((await readFile(path.join(collection.snapshotsDir, 'Pdf', 'General Conditions of Sale.pdf'))).equals(pdf)).toBe(true);
    expect(await readFile(path.join(collection.versionsDir, 'Pdf', 'General Conditions of Sale.md'), 'utf8')).toBe(
      'General Conditions\n\nArticle 1. Scope',
    );
  });

  it('combines documents: one snapshot each, one version joined in declaration order', async () => {
    server.route('/legal/terms', { body: page('Part one') });
    server.route('/legal/annex', { body: page('Part two') });
    await declare('Combo', {
      'Terms of Service': { combine: [{ fetch: server.url('/legal/terms') }, { fetch: server.url('/legal/annex') }], select: 'main p' },
    });
    await track();
    expect(git(collection.snapshotsDir, 'ls-files').trim().split('\n')).toEqual([
      'Combo/Terms of Service #legal-annex.html',
      'Combo/Terms of Service #legal-terms.html',
    ]);
    expect(await readFile(path.join(collection.versionsDir, 'Combo', 'Terms of Service.md'), 'utf8')).toBe('Part one\n\n- - -\n\nPart two');
    const [first, second] = git(collection.snapshotsDir, 'log', '--reverse', '--format=%H').trim().split('\n');
    expect(git(collection.versionsDir, 'log', '-1', '--format=%b')).toContain(
      `from 2 source documents:\n- ${first ?? ''}\n- ${second ?? ''}\n`,
    );
    expect(git(collection.snapshotsDir, 'log', '-1', '--format=%b')).toContain('Document ID legal-annex\n');

    server.route('/legal/annex', { status: 404 });
    server.route('/legal/terms', { body: page('Part one, amended') });
    await track();
    expect(commitCount(collection.snapshotsDir)).toBe(3); // the document that could be fetched is recorded
    expect(commitCount(collection.versionsDir)).toBe(1); // but no version from half a terms
  });
});

describe('parallel tracking', () => {
  it('tracks several hosts at once but never sends one host two requests at a time', async () => {
    const hosts = [await startServer(), await startServer()]; // fresh servers: their peak counts start at 0
    try {
      for (const [index, host] of hosts.entries()) {
        for (let n = 0; n < 4; n++) {
          host.route(`/p${n}`, { body: page(`Host ${index} page ${n}`), delayMs: 100 });
          await declare(`Host${index}-${n}`, { 'Terms of Service': { fetch: host.url(`/p${n}`), select: 'main' } });
        }
      }
      const archivist = await collection.archivist();
      const summary = await archivist.runPass({ technicalUpgradeOnly: false });
      expect(summary).toMatchObject({ terms: 8, versionsRecorded: 8, inaccessible: 0 });
      expect(hosts.map(host => host.peakConcurrency())).toEqual([1, 1]);
      expect(commitCount(collection.versionsDir)).toBe(8);
    } finally {
      await Promise.all(hosts.map(host => host.close()));
    }
  });
});

describe('technical upgrades', () => {
  it('re-extracts stored snapshots with a new declaration, back-dated to the snapshot', async () => {
    server.route('/tos', { body: page('Body text', 'drop me') });
    await declare('Up', { 'Terms of Service': { fetch: server.url('/tos'), select: 'main' } });
    await track(() => new Date('2025-05-05T05:05:05Z'));
    await declare('Up', { 'Terms of Service': { fetch: server.url('/tos'), select: 'main', remove: '.noise' } });
    const archivist = await collection.archivist({ now: () => new Date('2026-01-01T00:00:00Z') });
    await archivist.runPass({ technicalUpgradeOnly: true });
    expect(subjects(collection.versionsDir)[0]).toBe('Apply technical or declaration upgrade on Up Terms of Service');
    expect(git(collection.versionsDir, 'log', '-1', '--format=%aI %cI').trim()).toBe('2025-05-05T05:05:05+00:00 2025-05-05T05:05:05+00:00');
    expect(commitCount(collection.snapshotsDir)).toBe(1); // nothing was fetched
  });

  it('extracts an old snapshot with the declaration its history says was in force then', async () => {
    server.route('/tos', { body: page('Body text', 'kept then') });
    await declare('Hist', { 'Terms of Service': { fetch: server.url('/tos'), select: 'main' } });
    await track(() => new Date('2025-05-05T05:05:05Z'));
    // the declaration changes, and its history says the old one is valid until the snapshot's date (inclusive)
    await declare('Hist', { 'Terms of Service': { fetch: server.url('/tos'), select: 'main', remove: '.noise' } });
    await collection.writeDeclaration(
      'Hist',
      { 'Terms of Service': [{ fetch: server.url('/tos'), select: 'main', validUntil: '2025-05-05T05:05:05Z' }] },
      '.history.json',
    );
    const archivist = await collection.archivist();
    await archivist.runPass({ technicalUpgradeOnly: true });
    expect(commitCount(collection.versionsDir)).toBe(1); // same Markdown as recorded: no upgrade commit
    expect(collection.eventNames().at(-1)).toBe('versionNotChanged');
  });
});

describe('conditional requests', () => {
  /** A page that honours If-None-Match and If-Modified-Since, as a well-behaved server does. */
  function conditionalPage(state: { text: string; etag: string; lastModified: string }, requests: Record<string, string | undefined>[]) {
    return (request: import('node:http').IncomingMessage) => {
      requests.push({ ifNoneMatch: request.headers['if-none-match'], ifModifiedSince: request.headers['if-modified-since'] });
      const headers = { etag: state.etag, 'last-modified': state.lastModified };
      if (request.headers['if-none-match'] === state.etag) return { status: 304, headers };
      return { headers, body: page(state.text) };
    };
  }

  /** A tracking pass at a given date, with the validators kept in a file of the collection between passes. */
  async function run(date: string): Promise<void> {
    const archivist = await collection.archivist({ validatorsCache: openValidatorsCache, now: () => new Date(date) });
    await archivist.runPass({ technicalUpgradeOnly: false });
  }

  it('asks whether the page changed, records nothing on 304, and downloads it again when it changed', async () => {
    const state = { text: 'First text', etag: '"v1"', lastModified: 'Sun, 01 Nov 2026 10:00:00 GMT' };
    const requests: Record<string, string | undefined>[] = [];
    server.route('/conditional', conditionalPage(state, requests));
    await declare('Conditional', { 'Terms of Service': { fetch: server.url('/conditional'), select: 'main' } });

    await run('2026-11-02T10:00:00Z');
    expect(requests.at(-1)).toEqual({ ifNoneMatch: undefined, ifModifiedSince: undefined });
    await run('2026-11-03T10:00:00Z');
    expect(requests.at(-1)).toEqual({ ifNoneMatch: '"v1"', ifModifiedSince: 'Sun, 01 Nov 2026 10:00:00 GMT' });
    expect(collection.eventNames().slice(-2)).toEqual(['snapshotNotChanged', 'versionNotChanged']);
    expect([commitCount(collection.snapshotsDir), commitCount(collection.versionsDir)]).toEqual([1, 1]);

    Object.assign(state, { text: 'Second text', etag: '"v2"' });
    await run('2026-11-04T10:00:00Z');
    expect(requests.at(-2)?.ifNoneMatch).toBe('"v1"'); // asked, and got the new page
    expect(requests.at(-1)?.ifNoneMatch).toBeUndefined(); // then downloaded it in full again, to confirm the change
    expect([commitCount(collection.snapshotsDir), commitCount(collection.versionsDir)]).toEqual([2, 2]);
    await run('2026-11-05T10:00:00Z');
    expect(requests.at(-1)?.ifNoneMatch).toBe('"v2"');
    expect([commitCount(collection.snapshotsDir), commitCount(collection.versionsDir)]).toEqual([2, 2]);
  });

  it('downloads in full when the latest snapshot is not the one the validators came with, or they are a week old', async () => {
    const state = { text: 'Text', etag: '"same"', lastModified: 'Sun, 01 Nov 2026 10:00:00 GMT' };
    const requests: Record<string, string | undefined>[] = [];
    server.route('/stale', conditionalPage(state, requests));
    await declare('Stale', { 'Terms of Service': { fetch: server.url('/stale'), select: 'main' } });
    await run('2026-11-02T10:00:00Z');
    await run('2026-11-10T10:00:00Z'); // 8 days later: the validators are too old to trust
    expect(requests.at(-1)?.ifNoneMatch).toBeUndefined();
    await run('2026-11-11T10:00:00Z'); // saved again by the full download
    expect(requests.at(-1)?.ifNoneMatch).toBe('"same"');

    // someone records another snapshot of the document: the validators no longer describe the latest one
    await writeFile(path.join(collection.snapshotsDir, 'Stale', 'Terms of Service.html'), page('Edited by hand'));
    git(collection.snapshotsDir, 'commit', '-q', '-am', 'Record new changes of Stale Terms of Service');
    await run('2026-11-12T10:00:00Z');
    expect(requests.at(-1)?.ifNoneMatch).toBeUndefined();
    expect(commitCount(collection.snapshotsDir)).toBe(3); // the server's page, recorded again over the edit
  });
});

describe('repositories', () => {
  it('notice commits made by someone else since the last run', async () => {
    server.route('/tos', { body: page('Original') });
    await declare('Human', { 'Terms of Service': { fetch: server.url('/tos'), select: 'main' } });
    await track();
    // a maintainer rewrites the version by hand: the next run must compare with that, not with its memory
    await writeFile(path.join(collection.versionsDir, 'Human', 'Terms of Service.md'), 'Edited by hand');
    git(collection.versionsDir, 'commit', '-q', '-am', 'Record new changes of Human Terms of Service');
    const handId = git(collection.versionsDir, 'rev-parse', 'HEAD').trim();
    const archivist = await collection.archivist();
    await archivist.runPass({ technicalUpgradeOnly: true });
    expect(subjects(collection.versionsDir)[0]).toBe('Apply technical or declaration upgrade on Human Terms of Service');
    expect(git(collection.versionsDir, 'rev-parse', 'HEAD~1').trim()).toBe(handId);
    expect(await readFile(path.join(collection.versionsDir, 'Human', 'Terms of Service.md'), 'utf8')).toBe('Terms\n=====\n\nOriginal');
  });

  it('recover from a crash that left a lock and a half-written file', async () => {
    server.route('/tos', { body: page('Stable') });
    await declare('Crash', { 'Terms of Service': { fetch: server.url('/tos'), select: 'main' } });
    await track();
    await writeFile(path.join(collection.versionsDir, '.git', 'index.lock'), '');
    await writeFile(path.join(collection.versionsDir, 'Crash', 'Terms of Service.md'), 'half writ');
    await writeFile(path.join(collection.snapshotsDir, 'stray.tmp'), 'x');
    server.route('/tos', { body: page('Stable, then changed') });
    await track();
    expect(subjects(collection.versionsDir)[0]).toBe('Record new changes of Crash Terms of Service');
    expect(git(collection.versionsDir, 'status', '--porcelain')).toBe('');
    expect(git(collection.snapshotsDir, 'status', '--porcelain')).toBe('');
    expect(git(collection.versionsDir, 'fsck', '--no-progress')).toBe('');
  });
});
