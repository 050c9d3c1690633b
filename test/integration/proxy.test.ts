// The outgoing proxy: plain fetches and browser pages go through a real proxy (tinyproxy on 127.0.0.1) when
// HTTP_PROXY is set, and straight to the hosts NO_PROXY names.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { runCli } from '../../src/cli/run.js';
import { browserSuiteTitle, chromiumPath, isBrowserMissing } from '../helpers/chromium.js';
import { html, startServer, type TestServer } from '../helpers/http-server.js';
import { captureIo } from '../helpers/silent.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { type Proxy, startTinyproxy } from '../helpers/tinyproxy.js';

let site: TestServer;
let proxy: Proxy;
let dir: string;
let cleanup: () => Promise<void>;
let collection: string;
const page = { body: html('<main><h1>Terms</h1><p>The terms of the service, with words enough to be read as terms.</p></main>') };

beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir());
  site = await startServer();
  site.route('/terms', page);
  site.route('/rendered', page);
  proxy = await startTinyproxy(dir);
});
afterAll(async () => {
  await Promise.all([site.close(), proxy.close()]);
  await cleanup();
});
beforeEach(async () => {
  collection = path.join(dir, `collection-${String(Date.now())}`);
  await mkdir(path.join(collection, 'declarations'), { recursive: true });
});

describe('an outgoing proxy', { timeout: 60_000 }, () => {
  it('carries plain fetches when HTTP_PROXY is set, and not to the hosts NO_PROXY names', async () => {
    await writeFile(path.join(collection, 'declarations', 'Acme.json'), JSON.stringify({ name: 'Acme', terms: { 'Terms of Service': { fetch: site.url('/terms'), select: 'main' } } }));
    const host = new URL(site.origin).host;
    const before = await proxy.carried(host);
    expect(await runCli(['track'], captureIo(collection, { HTTP_PROXY: proxy.url }))).toBe(0);
    const carried = await proxy.carried(host);
    // one tunnel (CONNECT), kept for the first fetch and the one that confirms it
    expect(carried).toBeGreaterThan(before);
    const hits = site.hits('/terms');
    expect(hits).toBeGreaterThanOrEqual(2);
    // lower case, as curl reads it too; the page's host is reached directly
    expect(await runCli(['track'], captureIo(collection, { http_proxy: proxy.url, NO_PROXY: '127.0.0.1' }))).toBe(0);
    expect(await proxy.carried(host)).toBe(carried);
    expect(site.hits('/terms')).toBeGreaterThan(hits);
  });

  it('refuses a proxy setting that is not a URL', async () => {
    const io = captureIo(collection, { HTTP_PROXY: 'proxy.example:3128' });
    expect(await runCli(['track'], io)).toBe(2);
    expect(io.errors.join('\n')).toContain('HTTP_PROXY: "proxy.example:3128" is not a proxy URL');
  });

  it.skipIf(isBrowserMissing)(browserSuiteTitle('carries the pages the browser renders'), async () => {
    await writeFile(path.join(collection, 'declarations', 'Acme.json'), JSON.stringify({ name: 'Acme', terms: { 'Terms of Service': { fetch: site.url('/rendered'), select: 'main', executeClientScripts: true } } }));
    const host = new URL(site.origin).host;
    const before = await proxy.carried(host);
    expect(await runCli(['track'], captureIo(collection, { HTTP_PROXY: proxy.url, CHROMIUM_PATH: chromiumPath }))).toBe(0);
    expect(await proxy.carried(host)).toBeGreaterThan(before);
  });
});
