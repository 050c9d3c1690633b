import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { makePdf } from '../../src/demo/pdf.js';
import { DEFAULT_FETCH_OPTIONS, launchBrowserSession } from '../../src/fetch/index.js';
import type { InaccessibleContentError } from '../../src/track/index.js';
import { browserSuiteTitle, chromiumPath, isBrowserMissing } from '../helpers/chromium.js';
import { createTestCollection, type TestCollection } from '../helpers/collection.js';
import { git } from '../helpers/git.js';
import { html, startServer, type TestServer } from '../helpers/http-server.js';
import { makeTempDir } from '../helpers/temp-dir.js';

let server: TestServer;
let collection: TestCollection;
let cleanup: () => Promise<void>;

const SCRIPTED_PAGE = html(
  `<main id="content"><p class="loading">Loading…</p></main>
   <script>setTimeout(function () {
     document.getElementById('content').innerHTML = '<h1>Rendered terms</h1><p>Written by a script.</p><aside class="promo">Ad</aside>';
   }, 300);</script>`,
);

describe.skipIf(isBrowserMissing)(browserSuiteTitle('browser fetching'), () => {
  beforeAll(async () => {
    if (!chromiumPath) throw new Error('CI is set but no Chromium was found: .ci/run must install one');
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

  const trackOnce = async (): Promise<void> => {
    const archivist = await collection.archivist();
    await archivist.runPass({ technicalUpgradeOnly: false });
  };
  const fetcherOf = (file: string): string => git(collection.snapshotsDir, 'log', '-1', '--format=%(trailers:key=X-fetcher,valueonly)', '--', file).trim();

  it('renders a page with scripts and waits for the selected content to have text', async () => {
    server.route('/app', { body: SCRIPTED_PAGE });
    await collection.writeDeclaration('App', {
      name: 'App',
      terms: { 'Terms of Service': { fetch: server.url('/app'), select: '#content', remove: ['.promo', '.absent-banner'], executeClientScripts: true } },
    });
    await trackOnce();
    expect(await readFile(path.join(collection.versionsDir, 'App', 'Terms of Service.md'), 'utf8')).toBe(
      'Rendered terms\n==============\n\nWritten by a script.',
    );
    expect(fetcherOf('App/Terms of Service.html')).toBe('fullDom');
  }, 30_000);

  it('falls back to the browser when the plain fetch is refused with 403', async () => {
    server.route('/guarded', (_request, count) => (count === 1 ? { status: 403, body: 'denied' } : { body: SCRIPTED_PAGE }));
    await collection.writeDeclaration('Guarded', { name: 'Guarded', terms: { 'Terms of Service': { fetch: server.url('/guarded'), select: '#content h1' } } });
    await trackOnce();
    expect(server.hits('/guarded')).toBe(3); // refused, rendered, then rendered again (the same fetcher) to confirm
    expect(fetcherOf('Guarded/Terms of Service.html')).toBe('fullDom');
    expect(await readFile(path.join(collection.versionsDir, 'Guarded', 'Terms of Service.md'), 'utf8')).toBe('Rendered terms\n==============');
  }, 30_000);

  it('never falls back when executeClientScripts is false', async () => {
    server.route('/strict', { status: 403, body: 'denied' });
    await collection.writeDeclaration('Strict', {
      name: 'Strict',
      terms: { 'Terms of Service': { fetch: server.url('/strict'), select: 'main', executeClientScripts: false } },
    });
    await trackOnce();
    const failures = collection.events.filter(event => event.name === 'inaccessibleContent');
    expect((failures[0]?.args[0] as InaccessibleContentError).reasons).toEqual([
      `Fetch failed: Received HTTP code 403 when trying to fetch '${server.url('/strict')}'`,
    ]);
    expect(server.hits('/strict')).toBe(2); // the first try and the end-of-run retry, both plain HTTP
  }, 30_000);

  it('keeps the bytes of a PDF fetched through the browser', async () => {
    const pdf = makePdf(['Browser PDF', '', 'Second line']);
    server.route('/doc.pdf', { headers: { 'content-type': 'application/pdf' }, body: pdf });
    await collection.writeDeclaration('BrowserPdf', {
      name: 'BrowserPdf',
      terms: { 'Terms of Service': { combine: [{ fetch: server.url('/doc.pdf'), executeClientScripts: true }] } },
    });
    await trackOnce();
    expect((await readFile(path.join(collection.snapshotsDir, 'BrowserPdf', 'Terms of Service.pdf'))).equals(pdf)).toBe(true);
    expect(fetcherOf('BrowserPdf/Terms of Service.pdf')).toBe('fullDom');
    expect(await readFile(path.join(collection.versionsDir, 'BrowserPdf', 'Terms of Service.md'), 'utf8')).toBe('Browser PDF\n\nSecond line');
  }, 30_000);

  it('refuses a file:// URL and, when asked to, a private address, keeping nothing of them', async () => {
    if (!chromiumPath) throw new Error('no Chromium');
    const session = await launchBrowserSession({ executablePath: chromiumPath });
    try {
      const request = { selectors: ['main'], acceptsPdf: false };
      await expect(session.fetch('file:///etc/hostname', request, DEFAULT_FETCH_OPTIONS)).rejects.toThrow("Refused to fetch 'file:///etc/hostname': only http and https URLs are fetched");
      server.route('/internal', { body: html('<main>Internal</main>') });
      await expect(session.fetch(server.url('/internal'), request, { ...DEFAULT_FETCH_OPTIONS, refusePrivateAddresses: true })).rejects.toThrow('an address that is not public');
      expect(server.hits('/internal')).toBe(0);
      expect((await session.fetch(server.url('/internal'), request, DEFAULT_FETCH_OPTIONS)).content).toContain('Internal');
    } finally {
      await session.close();
    }
  }, 30_000);

  it('refuses a page that its scripts make larger than maxResponseBytes, before serialising it', async () => {
    if (!chromiumPath) throw new Error('no Chromium');
    const session = await launchBrowserSession({ executablePath: chromiumPath });
    try {
      server.route('/grows', { body: html('<main id="m">Start</main><script>document.getElementById("m").textContent = "x".repeat(6 * 1024 * 1024);</script>') });
      await expect(session.fetch(server.url('/grows'), { selectors: ['main'], acceptsPdf: false }, { ...DEFAULT_FETCH_OPTIONS, maxResponseBytes: 5 * 1024 * 1024 })).rejects.toThrow(
        `Received more than 5 MiB (decompressed) when trying to fetch '${server.url('/grows')}'`,
      );
    } finally {
      await session.close();
    }
  }, 30_000);

  it('waits for the page to settle: a placeholder replaced by a script, and data that comes late over the network', async () => {
    server.route('/placeholder', { body: html('<main><p>Loading…</p></main><script>setTimeout(() => { document.querySelector("main").innerHTML = "<h1>Settled terms</h1>"; }, 200);</script>') });
    server.route('/late-data', { body: html('<main><p>Loading…</p></main><script>fetch("/data").then(r => r.text()).then(t => { document.querySelector("main").innerHTML = "<h1>" + t + "</h1>"; });</script>') });
    server.route('/data', { body: 'Late terms', delayMs: 1500 });
    await collection.writeDeclaration('Placeholder', { name: 'Placeholder', terms: { 'Terms of Service': { fetch: server.url('/placeholder'), select: 'main', executeClientScripts: true } } });
    await collection.writeDeclaration('Late', { name: 'Late', terms: { 'Terms of Service': { fetch: server.url('/late-data'), select: 'main', executeClientScripts: true } } });
    // one fetch, no confirmation: what is recorded is what the page shows once settled
    const archivist = await collection.archivist({ confirmation: { fetches: 1 } });
    await archivist.runPass({ technicalUpgradeOnly: false });
    expect(await readFile(path.join(collection.versionsDir, 'Placeholder', 'Terms of Service.md'), 'utf8')).toBe('Settled terms\n=============');
    expect(await readFile(path.join(collection.versionsDir, 'Late', 'Terms of Service.md'), 'utf8')).toBe('Late terms\n==========');
  }, 30_000);
});
