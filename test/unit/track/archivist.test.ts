// The archivist on the memory repositories, with a scripted fetcher: what a pass records, reports and skips, with
// no git, no network and no timing (a slow page is a promise the test resolves when it wants).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { loadDeclarations, type SourceDocument } from '../../../src/declarations/index.js';
import { extract } from '../../../src/extract/index.js';
import { DEFAULT_FETCH_OPTIONS, FetchError, type FetchedDocument, type HttpValidators, NOT_MODIFIED } from '../../../src/fetch/index.js';
import { MemorySnapshotRepository, MemoryVersionRepository } from '../../../src/record/index.js';
import { Archivist, type EventName, EVENT_NAMES, type InaccessibleContentError, openExtractionCache, openValidatorsCache } from '../../../src/track/index.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

/** A page's HTML, a failure, a 304 (NOT_MODIFIED), or a page that comes when the test says. */
type Page = string | Error | (() => Promise<string>);

/** A fetcher answering from a table of pages by URL, counting the requests and the validators they carried. */
class ScriptedWeb {
  readonly pages = new Map<string, Page>();
  readonly requests: { url: string; since: HttpValidators | undefined }[] = [];
  etag: string | undefined;

  readonly fetch = async (document: SourceDocument, since: HttpValidators | undefined): Promise<FetchedDocument | typeof NOT_MODIFIED> => {
    this.requests.push({ url: document.location, since });
    const page = this.pages.get(document.location);
    if (page === undefined) throw new FetchError(document.location, `Received HTTP code 404 when trying to fetch '${document.location}'`);
    if (page instanceof Error) throw page;
    if (page === NOT_MODIFIED) return NOT_MODIFIED;
    const content = typeof page === 'function' ? await page() : page;
    return { url: document.location, mimeType: 'text/html; charset=utf-8', content, fetcher: 'htmlOnly', ...(this.etag !== undefined && { validators: { etag: this.etag } }) };
  };

  hits(url: string): number {
    return this.requests.filter(request => request.url === url).length;
  }
}

const page = (text: string, noise = ''): string => `<html><body><nav>Menu</nav><main><h1>Terms</h1><p>${text}</p><div class="noise">${noise}</div></main></body></html>`;

let dir: string;
let cleanup: () => Promise<void>;
let web: ScriptedWeb;
let snapshots: MemorySnapshotRepository;
let versions: MemoryVersionRepository;
let events: { name: EventName; args: unknown[] }[];

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
  await mkdir(path.join(dir, 'declarations'));
  web = new ScriptedWeb();
  snapshots = new MemorySnapshotRepository();
  versions = new MemoryVersionRepository();
  events = [];
});
afterEach(() => cleanup());

function declare(serviceId: string, terms: Record<string, unknown>): Promise<void> {
  return writeFile(path.join(dir, 'declarations', `${serviceId}.json`), JSON.stringify({ name: serviceId, terms }));
}

async function archivist(options: Partial<ConstructorParameters<typeof Archivist>[0]> = {}): Promise<Archivist> {
  const { services, errors } = await loadDeclarations(path.join(dir, 'declarations'));
  if (errors.length > 0) throw new Error(errors.map(error => error.message).join('\n'));
  const created = new Archivist({
    services,
    snapshots,
    versions,
    fetchOptions: DEFAULT_FETCH_OPTIONS,
    engineVersion: '0.0.0-test',
    openBrowser: () => Promise.reject(new Error('no browser in unit tests')),
    fetchDocument: web.fetch,
    confirmation: { delayMs: 0 },
    ...options,
  });
  const listener: Record<string, (...args: unknown[]) => void> = {};
  for (const name of EVENT_NAMES) listener[`on${name.charAt(0).toUpperCase()}${name.slice(1)}`] = (...args: unknown[]) => events.push({ name, args });
  created.attach(listener, 'test');
  return created;
}

async function track(now = new Date('2026-03-04T05:06:07.890Z')): Promise<void> {
  await (await archivist({ now: () => now })).runPass({ technicalUpgradeOnly: false });
}

const recorded = (): string[] => events.map(event => event.name).filter(name => /Recorded|NotChanged|inaccessible/.test(name));
const reasons = (): string[] => events.filter(event => event.name === 'inaccessibleContent').flatMap(event => (event.args[0] as InaccessibleContentError).reasons);

describe('a tracking pass', () => {
  it('records a first snapshot and version dated at the fetch, nothing when unchanged, a snapshot alone for noise, then a change', async () => {
    web.pages.set('https://acme.example/tos', page('Version one', 'build 1'));
    await declare('Acme', { 'Terms of Service': { fetch: 'https://acme.example/tos', select: 'main', remove: '.noise' } });
    await track();
    expect(recorded()).toEqual(['firstSnapshotRecorded', 'firstVersionRecorded']);
    const [version] = await versions.list('Acme', 'Terms of Service', 10);
    expect(version).toMatchObject({ content: 'Terms\n=====\n\nVersion one', fetchDate: new Date('2026-03-04T05:06:07.000Z') });
    const [snapshot] = await snapshots.list('Acme', 'Terms of Service', '', 10);
    expect(events.find(event => event.name === 'firstVersionRecorded')?.args[0]).toMatchObject({ snapshotIds: [snapshot?.id], id: version?.id });

    events = [];
    await track();
    expect(recorded()).toEqual(['snapshotNotChanged', 'versionNotChanged']);

    web.pages.set('https://acme.example/tos', page('Version one', 'build 2'));
    events = [];
    await track();
    expect(recorded()).toEqual(['snapshotRecorded', 'versionNotChanged']);
    expect(await snapshots.count()).toBe(2);

    web.pages.set('https://acme.example/tos', page('Version two', 'build 2'));
    events = [];
    await track(new Date('2026-03-05T00:00:00Z'));
    expect(recorded()).toEqual(['snapshotRecorded', 'versionRecorded']);
    expect((await versions.findLatest('Acme', 'Terms of Service'))?.content).toBe('Terms\n=====\n\nVersion two');
  });

  it('reports a failing terms as inaccessible with its reason, records nothing of it, and tracks the others', async () => {
    web.pages.set('https://ok.example/', page('Fine'));
    web.pages.set('https://other.example/', '<section>No main here</section>');
    await declare('Gone', { 'Terms of Service': { fetch: 'https://gone.example/', select: 'main' } });
    await declare('Other', { 'Terms of Service': { fetch: 'https://other.example/', select: 'main' } });
    await declare('Fine', { 'Terms of Service': { fetch: 'https://ok.example/', select: 'main' } });
    const summary = await (await archivist()).runPass({ technicalUpgradeOnly: false });
    expect(summary).toMatchObject({ terms: 3, versionsRecorded: 1, inaccessible: 2, notStarted: 0 });
    expect(reasons().sort()).toEqual([
      "Extract failed: The provided selector \"main\" has no match in the web page at 'https://other.example/'. This could be due to elements being removed before content selection if \"remove\" and \"select\" selectors match the same content.",
      "Fetch failed: Received HTTP code 404 when trying to fetch 'https://gone.example/'",
    ]);
    expect(await versions.count()).toBe(1);
    expect(await snapshots.findLatest('Gone', 'Terms of Service', '')).toBeUndefined();
    expect(web.hits('https://gone.example/')).toBe(1); // a 404 is not transient: no second try
  });

  it('tries a transient failure once more at the end of the pass, and records it when that works', async () => {
    let calls = 0;
    web.pages.set('https://flaky.example/', () => {
      calls++;
      return calls === 1 ? Promise.reject(new FetchError('https://flaky.example/', 'Received HTTP code 503', { isTransient: true })) : Promise.resolve(page('Back'));
    });
    await declare('Flaky', { 'Terms of Service': { fetch: 'https://flaky.example/', select: 'main' } });
    const summary = await (await archivist()).runPass({ technicalUpgradeOnly: false });
    expect(summary).toMatchObject({ versionsRecorded: 1, inaccessible: 0 });
    expect(calls).toBe(3); // the 503, the retry, and the fetch that confirms the first record
  });

  it('records a combined terms as one version of its documents, and no version when one of them fails', async () => {
    web.pages.set('https://combo.example/a', page('Part A'));
    web.pages.set('https://combo.example/b', page('Part B'));
    await declare('Combo', { 'Privacy Policy': { combine: [{ fetch: 'https://combo.example/a' }, { fetch: 'https://combo.example/b' }], select: 'main' } });
    await track();
    expect((await versions.findLatest('Combo', 'Privacy Policy'))?.content).toBe('Terms\n=====\n\nPart A\n\n- - -\n\nTerms\n=====\n\nPart B');
    expect((await snapshots.findLatest('Combo', 'Privacy Policy', 'a'))?.content).toContain('Part A');

    web.pages.set('https://combo.example/a', page('Part A, amended'));
    web.pages.delete('https://combo.example/b');
    events = [];
    await track();
    expect(recorded()).toEqual(['snapshotRecorded', 'inaccessibleContent']);
    expect(await versions.count()).toBe(1); // the page that could be fetched is kept, as OTA keeps it; half a terms is no version
    expect(await snapshots.count()).toBe(3);
  });

  it('applies a declaration change as a technical upgrade dated at the snapshot, without fetching', async () => {
    web.pages.set('https://acme.example/tos', page('Text', 'noise'));
    await declare('Acme', { 'Terms of Service': { fetch: 'https://acme.example/tos', select: 'main' } });
    await track(new Date('2026-01-01T00:00:00Z'));
    await declare('Acme', { 'Terms of Service': { fetch: 'https://acme.example/tos', select: 'main', remove: '.noise' } });
    const before = web.requests.length;
    const summary = await (await archivist({ now: () => new Date('2026-02-01T00:00:00Z') })).runPass({ technicalUpgradeOnly: true });
    expect(summary.versionsRecorded).toBe(1);
    expect(web.requests.length).toBe(before);
    const [upgrade] = events.filter(event => event.name === 'versionRecorded').map(event => event.args[0] as { isTechnicalUpgrade: boolean; fetchDate: Date });
    expect(upgrade).toMatchObject({ isTechnicalUpgrade: true, fetchDate: new Date('2026-01-01T00:00:00Z') });
  });

  it('reads each latest record once per fetch, writes nothing when nothing changed, and records what it compared', async () => {
    web.pages.set('https://acme.example/tos', page('Text'));
    await declare('Acme', { 'Terms of Service': { fetch: 'https://acme.example/tos', select: 'main' } });
    const calls: string[] = [];
    const count = <T extends object>(repository: T, name: string): T =>
      new Proxy(repository, {
        get(target, property, receiver) {
          const value = Reflect.get(target, property, receiver) as unknown;
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            calls.push(`${name}.${String(property)}`);
            return (value as (...parameters: unknown[]) => unknown).apply(target, args);
          };
        },
      });
    const pass = async (): Promise<string[]> => {
      calls.length = 0;
      await (await archivist({ snapshots: count(snapshots, 'snapshots'), versions: count(versions, 'versions') })).runPass({ technicalUpgradeOnly: false });
      return [...calls];
    };
    // a first record: fetched, compared, fetched again to confirm, then recorded from the confirming fetch
    expect(await pass()).toEqual([
      'snapshots.count', 'versions.count',
      'versions.findLatest', 'snapshots.findLatest',
      'snapshots.findLatest', 'snapshots.record', 'versions.record',
      'versions.flush', 'snapshots.flush',
    ]);
    // nothing changed: one read of the latest version and of the latest snapshot, no write
    expect(await pass()).toEqual(['snapshots.count', 'versions.count', 'versions.findLatest', 'snapshots.findLatest', 'versions.flush', 'snapshots.flush']);
  });
});

describe('caches', () => {
  it('skips extractions whose snapshot, rules and code are unchanged, and redoes them when any changes', async () => {
    // each extraction leaves a byte in a file (filters run in this thread here: the archivist is given `extract`)
    const counterFile = path.join(dir, 'extractions');
    await writeFile(counterFile, '');
    const extractions = async (): Promise<number> => (await readFile(counterFile)).length;
    const filters = (label: string): Promise<void> =>
      writeFile(path.join(dir, 'declarations', 'Cached.filters.js'), `import { appendFileSync } from 'node:fs';\nexport function count(document) { appendFileSync(${JSON.stringify(counterFile)}, 'x'); document.title = ${JSON.stringify(label)}; }\n`);
    web.pages.set('https://cached.example/', page('Cached text', 'drop me'));
    await declare('Cached', { 'Terms of Service': { fetch: 'https://cached.example/', select: 'main', filter: ['count'] } });
    await filters('v1');
    const run = async (): Promise<void> => {
      const tracker = await archivist({ extractionCache: await openExtractionCache(versions.sideFiles), extractDocument: extract });
      await tracker.runPass({ technicalUpgradeOnly: true });
      await tracker.runPass({ technicalUpgradeOnly: false });
    };

    await run();
    expect(await extractions()).toBe(1); // the first record (the fetch that confirmed it gave the same bytes: not extracted again)
    await run();
    expect(await extractions()).toBe(1); // nothing changed: neither pass extracted
    expect(recorded().slice(-3)).toEqual(['versionNotChanged', 'snapshotNotChanged', 'versionNotChanged']);

    await declare('Cached', { 'Terms of Service': { fetch: 'https://cached.example/', select: 'main', remove: '.noise', filter: ['count'] } });
    await run();
    expect(await extractions()).toBe(2); // a new rule: the upgrade pass extracted again, and recorded it
    expect((await versions.findLatest('Cached', 'Terms of Service'))?.content).not.toContain('drop me');

    await filters('v2');
    await run();
    expect(await extractions()).toBe(3); // the filters file changed

    await versions.sideFiles.write('extraction-cache.json', 'not json');
    await run();
    expect(await extractions()).toBe(4); // a broken cache only costs one extraction
    await run();
    expect(await extractions()).toBe(4);
  });

  it('sends the validators of the latest snapshot, and records nothing when the server says the page did not change', async () => {
    web.pages.set('https://acme.example/tos', page('Text'));
    web.etag = '"v1"';
    await declare('Acme', { 'Terms of Service': { fetch: 'https://acme.example/tos', select: 'main' } });
    const run = async (): Promise<void> => {
      const tracker = await archivist({ validatorsCache: await openValidatorsCache(snapshots.sideFiles) });
      await tracker.runPass({ technicalUpgradeOnly: false });
    };
    await run();
    web.pages.set('https://acme.example/tos', NOT_MODIFIED);
    events = [];
    await run();
    expect(web.requests.at(-1)?.since).toEqual({ etag: '"v1"' });
    expect(recorded()).toEqual(['snapshotNotChanged', 'versionNotChanged']);
    expect(await snapshots.count()).toBe(1);
  });
});

describe('stopping a pass', () => {
  it('starts no terms once stopped, even those waiting for their host, and leaves a change it could not confirm for the next pass', async () => {
    let release: (() => void) | undefined;
    const held = new Promise<void>(resolve => (release = resolve));
    let started = 0;
    for (let index = 0; index < 5; index++) {
      web.pages.set(`https://slow.example/${String(index)}`, async () => {
        started++;
        await held;
        return page(`Terms ${String(index)}`);
      });
      await declare(`Slow ${String(index)}`, { 'Terms of Service': { fetch: `https://slow.example/${String(index)}`, select: 'main' } });
    }
    const tracker = await archivist({ concurrency: 4 });
    const pass = tracker.runPass({ technicalUpgradeOnly: false });
    // the first terms holds the host; three more workers wait for it, one terms is still queued
    while (started === 0) await new Promise(resolve => setImmediate(resolve));
    tracker.stop();
    release?.();
    const summary = await pass;
    expect(started).toBe(1);
    // the first terms was fetched once; its confirming fetch would be a new request: nothing is recorded of it
    expect(summary).toMatchObject({ terms: 5, versionsRecorded: 0, inaccessible: 0, notStarted: 5 });
    expect(reasons()).toEqual([]);
  });
});

describe('confirming a change before recording it', () => {
  /** A page that serves the given texts one fetch after the other, the last one from then on. */
  const sequence = (...texts: string[]): (() => Promise<string>) => {
    let fetches = 0;
    return () => Promise.resolve(page(texts[Math.min(fetches++, texts.length - 1)] ?? ''));
  };

  beforeEach(async () => {
    await declare('Acme', { 'Terms of Service': { fetch: 'https://acme.example/tos', select: 'main' } });
    web.pages.set('https://acme.example/tos', page('The terms'));
    await track(new Date('2026-01-01T00:00:00Z'));
    events = [];
  });

  it('records nothing when a change seen once is gone on the next fetch (a bot wall, a placeholder, a truncated page)', async () => {
    web.pages.set('https://acme.example/tos', sequence('Checking your browser before accessing the site', 'The terms'));
    const summary = await (await archivist()).runPass({ technicalUpgradeOnly: false });
    expect(summary).toMatchObject({ versionsRecorded: 0, unconfirmed: 1, inaccessible: 0 });
    expect(await versions.count()).toBe(1);
    expect(events.filter(event => event.name === 'info').map(event => (event.args[0] as { message: string }).message)).toContainEqual(expect.stringMatching(/^A change seen on the first fetch was not there on the next one: not recorded/));
  });

  it('records a change once two consecutive fetches agree, dated at the fetch that confirmed it', async () => {
    web.pages.set('https://acme.example/tos', page('The new terms'));
    let now = new Date('2026-02-01T00:00:00Z');
    const tracker = await archivist({ now: () => now, fetchDocument: async (document, since) => { const fetched = await web.fetch(document, since); now = new Date(now.getTime() + 60_000); return fetched; } });
    const summary = await tracker.runPass({ technicalUpgradeOnly: false });
    expect(summary).toMatchObject({ versionsRecorded: 1, unconfirmed: 0 });
    expect(web.hits('https://acme.example/tos')).toBe(4); // two fetches of the first record, then two of the change
    expect((await versions.findLatest('Acme', 'Terms of Service'))?.fetchDate).toEqual(new Date('2026-02-01T00:01:00Z'));
  });

  it('takes the text two fetches agree on after a placeholder, and reports a page that never agrees with itself', async () => {
    web.pages.set('https://acme.example/tos', sequence('Loading…', 'The new terms', 'The new terms'));
    expect(await (await archivist()).runPass({ technicalUpgradeOnly: false })).toMatchObject({ versionsRecorded: 1 });
    expect((await versions.findLatest('Acme', 'Terms of Service'))?.content).toContain('The new terms');

    web.pages.set('https://acme.example/tos', sequence('One', 'Two', 'Three'));
    events = [];
    expect(await (await archivist()).runPass({ technicalUpgradeOnly: false })).toMatchObject({ versionsRecorded: 0, inaccessible: 1 });
    expect(reasons()).toEqual(['The extracted text changed between each of 3 fetches, at least 0 s apart: the page is not stable, nothing was recorded']);
    expect(await snapshots.count()).toBe(2); // the first record's and the confirmed change's
  });

  it('records every change as first seen with a single fetch, as OTA does', async () => {
    web.pages.set('https://acme.example/tos', sequence('An interim text', 'The terms'));
    const summary = await (await archivist({ confirmation: { fetches: 1 } })).runPass({ technicalUpgradeOnly: false });
    expect(summary).toMatchObject({ versionsRecorded: 1 });
    expect((await versions.findLatest('Acme', 'Terms of Service'))?.content).toContain('An interim text');
  });
});
