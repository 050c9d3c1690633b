// backfill against a local web archive answering the CDX query subset and serving raw (id_) captures: the history
// before the first record is filled with snapshots dated at their capture, marked as backfilled, and versions made
// from them with the declaration in force then; shown before it replaces anything, politely and resumably.
import { execFile } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli } from '../../src/cli/run.js';
import { html, startServer, type TestServer } from '../helpers/http-server.js';
import { captureIo } from '../helpers/silent.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const git = promisify(execFile);

let site: TestServer;
let archive: TestServer;
let dir: string;
let cleanup: () => Promise<void>;
/** When each request reached the archive, and what it asked. */
const requests: { at: number; url: string }[] = [];

const page = (fees: string, title = 'Terms'): string => html(`<main><h1>${title}</h1><h2>Fees</h2><p>Fees are due ${fees}.</p></main>`);

/** [timestamp, mime type, page or undefined for a capture the archive fails to serve] */
const CAPTURES: [string, string, string | undefined][] = [
  ['20190301101500', 'text/html', page('yearly')],
  ['20200601000000', 'text/html', page('monthly')],
  ['20200701000000', 'image/png', undefined], // not a document: never asked for
  ['20210101000000', 'text/html', undefined], // listed, but the archive answers 404 for it
  ['20220505050505', 'text/html', page('monthly', 'Our terms')], // the h1 changed: seen with `main`, in force from 2021
];

async function log(directory: string, ...args: string[]): Promise<string> {
  return (await git('git', ['-C', directory, 'log', ...args])).stdout;
}

beforeAll(async () => {
  site = await startServer();
  site.route('/terms', { body: page('weekly') });
  archive = await startServer();
  archive.route('/cdx/search/cdx', request => {
    const query = new URL(request.url ?? '', 'http://archive').searchParams;
    requests.push({ at: Date.now(), url: request.url ?? '' });
    if (query.get('url') !== site.url('/terms') || query.get('output') !== 'json') return { status: 400, body: 'bad query' };
    const [from, to] = [query.get('from') ?? '0', query.get('to') ?? '99999999999999'];
    const rows = CAPTURES.filter(([timestamp]) => timestamp >= from && timestamp <= to).map(([timestamp, mime, body]) => [timestamp, site.url('/terms'), '200', mime, body === undefined ? 'NONE' : String(body.length)]);
    return { headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify([['timestamp', 'original', 'statuscode', 'mimetype', 'digest'], ...rows]) };
  });
  for (const [timestamp, mime, body] of CAPTURES) {
    archive.route(`/web/${timestamp}id_/${site.url('/terms')}`, request => {
      requests.push({ at: Date.now(), url: request.url ?? '' });
      return body === undefined ? { status: 404, body: 'not in the archive' } : { headers: { 'Content-Type': `${mime}; charset=utf-8` }, body };
    });
  }
  ({ dir, cleanup } = await makeTempDir());
  await mkdir(path.join(dir, 'declarations'));
  await writeFile(path.join(dir, 'declarations', 'Acme.json'), JSON.stringify({ name: 'Acme', terms: { 'Terms of Service': { fetch: site.url('/terms'), select: 'main' } } }));
  // until 2020-12-31 the terms were in an <article>: the history file says so, and backfill extracts with it
  await writeFile(path.join(dir, 'declarations', 'Acme.history.json'), JSON.stringify({ 'Terms of Service': [{ fetch: site.url('/terms'), select: 'main h2, main p', validUntil: '2020-12-31T23:59:59Z' }] }));
  expect(await runCli(['track'], captureIo(dir))).toBe(0);
}, 60_000);
afterAll(async () => {
  await site.close();
  await archive.close();
  await cleanup();
});

describe('backfill', { timeout: 60_000 }, () => {
  it('builds new repositories with the captures placed before the first record, and shows them without replacing anything', async () => {
    const headBefore = await log(path.join(dir, 'versions-repo'), '-1', '--format=%H');
    const io = captureIo(dir);
    expect(await runCli(['backfill', '--archive', archive.origin, '--rate', '20'], io)).toBe(0);
    expect(io.output[0]).toMatch(/^Acme · Terms of Service: 3 snapshots backfilled from 2019-03-01 to 2022-05-05, before its first snapshot of \d{4}-\d\d-\d\d \(4 distinct captures listed, 1 failed\)$/);
    expect(io.output[1]).toMatch(/^ {2}failed: 20210101000000: Fetch failed: Received HTTP code 404/);
    expect(io.output.join('\n')).toContain('Nothing was replaced');
    // the current history is untouched
    expect(await log(path.join(dir, 'versions-repo'), '-1', '--format=%H')).toBe(headBefore);

    const versions = path.join(dir, 'backfilled', 'versions-repo');
    const snapshots = path.join(dir, 'backfilled', 'snapshots-repo');
    const versionLog = (await log(versions, '--reverse', '--format=%aI|%s')).trim().split('\n');
    expect(versionLog).toEqual([
      '2019-03-01T10:15:00+00:00|First record of Acme Terms of Service',
      '2020-06-01T00:00:00+00:00|Record new changes of Acme Terms of Service',
      // the same words as 2020 in `main h2, main p`; with `main` (from 2021 on) the new title shows
      '2022-05-05T05:05:05+00:00|Record new changes of Acme Terms of Service',
      // the first record of tracking is one more change now
      expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:]+\+00:00\|Record new changes of Acme Terms of Service$/),
    ]);
    // the first version was extracted with the declaration in force in 2019 (the history file): no h1
    expect((await git('git', ['-C', versions, 'show', 'HEAD~3:Acme/Terms of Service.md'])).stdout).toBe('Fees\n----\n\nFees are due yearly.');
    const root = async (directory: string): Promise<string> => (await git('git', ['-C', directory, 'rev-list', '--max-parents=0', 'HEAD'])).stdout.trim();
    const snapshotMessage = await log(snapshots, '-1', '--format=%B', await root(snapshots));
    expect(snapshotMessage).toContain(`X-backfilled-from: ${archive.origin}`);
    expect(snapshotMessage).toContain(`X-capture-url: ${archive.origin}/web/20190301101500id_/${site.url('/terms')}`);
    expect(snapshotMessage).toContain(`X-source-document-location: ${site.url('/terms')}`);
    expect(await log(versions, '-1', '--format=%B', await root(versions))).toContain(`X-backfilled-from: ${archive.origin}`);
    expect(await log(versions, '-1', '--format=%B')).not.toContain('X-backfilled-from');
    // the replayed snapshot keeps its date and trailers; the version made from it names its new id
    const [replayedSnapshot] = (await log(snapshots, '-1', '--format=%H')).trim().split('\n');
    expect(await log(versions, '-1', '--format=%B')).toContain(replayedSnapshot);

    // polite: at most 20 requests a second (50 ms apart), one at a time
    const gaps = requests.slice(1).map((request, index) => request.at - (requests[index]?.at ?? 0));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(45);
    expect(requests.some(request => request.url.includes('20200701000000'))).toBe(false);
  });

  it('goes on from its cache, then replaces the repositories, keeping the old ones aside; search and trace reach back', async () => {
    const before = requests.length;
    const io = captureIo(dir);
    expect(await runCli(['backfill', '--archive', archive.origin, '--rate', '20', '--replace'], io)).toBe(0);
    // only the capture that failed is asked for again
    expect(requests.slice(before).map(request => request.url)).toEqual([`/web/20210101000000id_/${site.url('/terms')}`]);
    expect(io.output.filter(line => line.startsWith('Replaced: '))).toHaveLength(2);
    expect((await readdir(dir)).filter(name => name.includes('.before-backfill-'))).toHaveLength(2);

    const trace = captureIo(dir);
    expect(await runCli(['trace', 'Acme', 'Terms of Service', 'fees are due monthly'], trace)).toBe(0);
    expect(trace.output).toEqual([expect.stringMatching(/^2020-06-01T00:00:00Z {2}[0-9a-f]{10} {2}Substantive {2}removed \d{4}-\d\d-\d\dT[\d:]+Z {2}[0-9a-f]{10} Substantive$/)]);
    const history = captureIo(dir);
    expect(await runCli(['history', 'Acme', 'Terms of Service'], history)).toBe(0);
    expect(history.output).toHaveLength(4);
    // tracking goes on on top of the new history: nothing changed on the site, nothing is recorded
    expect(await runCli(['track'], captureIo(dir))).toBe(0);
    expect((await log(path.join(dir, 'versions-repo'), '--format=%H')).trim().split('\n')).toHaveLength(4);
  });

  it('refuses a bad rate, date or archive address before asking anything', async () => {
    for (const args of [['--rate', '0'], ['--from', '2019-02-30'], ['--archive', 'ftp://example.org']]) {
      const io = captureIo(dir);
      expect(await runCli(['backfill', ...args], io)).toBe(2);
      expect(io.errors.join('\n')).toMatch(/--rate|--from|--archive/);
    }
  });
});
