// Watchers: a change on a page, followed to its feed entry (parsed by a standard feed parser), its webhook call
// and the API; with the status codes of the API's edges.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import type http from 'node:http';
import path from 'node:path';

import { parseFeed } from '@rowanmanning/feed-parser';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { runCli } from '../../src/cli/run.js';
import { loadDeclarations } from '../../src/declarations/index.js';
import { HistoryIndex, loadMetadata, startApiServer } from '../../src/publish/index.js';
import { openVersions } from '../../src/record/index.js';
import { html, startServer, type TestServer } from '../helpers/http-server.js';
import { captureIo } from '../helpers/silent.js';
import { makeTempDir } from '../helpers/temp-dir.js';

let site: TestServer;
let dir: string;
let cleanup: () => Promise<void>;
let edition = 1;
const webhookCalls: unknown[] = [];

const PAGE = (clause: string): string =>
  html(`<main><h1>Terms</h1><h2>Payments</h2><p>${clause}</p><h2>Liability</h2><p>We are liable for nothing at all, ever, in any case whatsoever.</p></main>`);

beforeAll(async () => {
  site = await startServer();
  site.route('/terms', () => ({ body: PAGE(edition === 1 ? 'You pay every month.' : 'You pay every week, <b>in advance</b>. &lt;script&gt;alert(1)&lt;/script&gt;') }));
  site.route('/hook', (request: http.IncomingMessage) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => webhookCalls.push(JSON.parse(body) as unknown));
    return { status: 204 };
  });
  site.route('/broken-hook', { status: 500 });
});
afterAll(() => site.close());
beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
  await mkdir(path.join(dir, 'declarations'));
  await writeFile(path.join(dir, 'declarations', 'Acme.json'), JSON.stringify({ name: 'Acme', terms: { 'Terms of Service': { fetch: site.url('/terms'), select: 'main' } } }));
  await writeFile(path.join(dir, 'metadata.yml'), 'id: demo\nname: Demo collection\ntagline: Terms we watch\ntracking_start: 2024-05-01\n');
  edition = 1;
  webhookCalls.length = 0;
});
afterEach(() => cleanup());

async function serve(): Promise<{ url: string; close: () => Promise<void> }> {
  const versions = await openVersions({ directory: path.join(dir, 'versions-repo'), environment: { PATH: process.env.PATH }, isReadOnly: true });
  const index = HistoryIndex.open(versions);
  await index.catchUp();
  const { services } = await loadDeclarations(path.join(dir, 'declarations'));
  const server = await startApiServer({ index, versions, services, metadata: await loadMetadata(dir), engineVersion: 'test', host: '127.0.0.1', port: 0 });
  return {
    url: server.url,
    close: async () => {
      await server.close();
      index.close();
      await versions.close();
    },
  };
}

describe('a change, from the page to the feed, the webhook and the API', () => {
  it('follows one change end to end', async () => {
    // the broken endpoint is retried, then given up on, without failing the run
    const env = { TERMS_ARCHIVE_WEBHOOKS: `${site.url('/hook')},${site.url('/broken-hook')}` };
    expect(await runCli(['track'], captureIo(dir, env))).toBe(0);
    edition = 2;
    const io = captureIo(dir, env);
    expect(await runCli(['track'], io)).toBe(0);
    expect(io.errors.join('\n')).toMatch(/Alert to http:\/\/127\.0\.0\.1:\d+\/broken-hook was not sent for Acme Terms of Service \([0-9a-f]{40}\): HTTP 500 after 4 attempts/);

    expect(webhookCalls).toHaveLength(2);
    expect(webhookCalls[0]).toMatchObject({ event: 'version', serviceId: 'Acme', termsType: 'Terms of Service', kind: 'first' });
    expect(webhookCalls[1]).toMatchObject({ kind: 'change', sections: ['Payments'], linesAdded: 1, linesRemoved: 1 });

    const api = await serve();
    try {
      const response = await fetch(`${api.url}/feed/Acme/Terms%20of%20Service`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
      const xml = await response.text();
      const feed = parseFeed(xml);
      expect(feed.title).toBe('Acme Terms of Service — Demo collection');
      expect(feed.items).toHaveLength(2);
      const [change] = feed.items;
      expect(change?.title).toBe('Record new changes of Acme Terms of Service');
      expect(change?.id).toMatch(/^tag:opentermsarchive\.org,2026:version:demo:git:[0-9a-f]{40}$/);
      expect(change?.categories.map(category => category.term)).toEqual(['Acme', 'Terms of Service', 'Change', 'Substantive']);
      expect(change?.description).toMatch(/^Substantive\. Section “Payments”: \d+ words added, \d+ removed/);
      expect(change?.content).toContain('<del>- You pay every month.</del>');
      expect(change?.content).toContain('<ins>+ You pay every week, **in advance**.');
      // the page's "<script>" is text: escaped in the entry's HTML, which is escaped again as the XML element's text
      expect(xml).not.toMatch(/<script>/i);
      expect(xml).toContain('&lt;ins&gt;+ You pay every week, **in advance**. &amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;&lt;/ins&gt;');

      // Last-Modified, then 304
      const lastModified = response.headers.get('last-modified') ?? '';
      expect((await fetch(`${api.url}/feed`, { headers: { 'If-Modified-Since': lastModified } })).status).toBe(304);

      // the version in force, by date, and the diff between the two versions
      const at = (await (await fetch(`${api.url}/version/Acme/Terms%20of%20Service/${new Date().toISOString()}`)).json()) as { content: string };
      expect(at.content).toContain('You pay every week');
      const diff = await (await fetch(`${api.url}/diff/Acme/Terms%20of%20Service`)).text();
      expect(diff).toMatch(/^-You pay every month\.$/m);
      const list = (await (await fetch(`${api.url}/versions/Acme/Terms%20of%20Service?limit=1`)).json()) as { total: number; versions: { kind: string }[] };
      expect(list).toMatchObject({ total: 2, versions: [{ kind: 'change' }] });
    } finally {
      await api.close();
    }
  }, 60_000);

  it('writes the same feeds as static files', async () => {
    expect(await runCli(['track'], captureIo(dir))).toBe(0);
    const io = captureIo(dir);
    expect(await runCli(['feeds', '--out', 'public', '--base-url', 'https://example.org/feeds'], io)).toBe(0);
    expect(io.output.at(-1)).toMatch(/^3 feeds and 1 change page written to /);
    const feed = parseFeed(await readFile(path.join(dir, 'public', 'feed', 'Acme', 'Terms of Service.xml'), 'utf8'));
    expect(feed.items[0]?.url).toMatch(/^https:\/\/example\.org\/feeds\/changes\/Acme\/Terms%20of%20Service\/[0-9a-f]{40}\.html$/);
  });
});

describe('the API answers bad requests with their status', () => {
  it('400, 404, 405 and 416 as documented', async () => {
    expect(await runCli(['track'], captureIo(dir))).toBe(0);
    const api = await serve();
    try {
      const get = (route: string, init?: RequestInit): Promise<Response> => fetch(`${api.url}${route}`, init);
      expect(await (await get('/')).json()).toMatchObject({ message: expect.stringContaining('Open Terms Archive API') as unknown });
      expect(await (await get('/services')).json()).toEqual([{ id: 'Acme', name: 'Acme', terms: [{ type: 'Terms of Service' }] }]);
      // as OTA answers: no "filters" key without filters, metadata dates as full ISO timestamps
      expect(await (await get('/service/Acme')).json()).toEqual({
        id: 'Acme',
        name: 'Acme',
        terms: [{ type: 'Terms of Service', sourceDocuments: [{ location: site.url('/terms'), contentSelectors: 'main' }] }],
      });
      expect(await (await get('/metadata')).json()).toMatchObject({ id: 'demo', tracking_start: '2024-05-01T00:00:00.000Z', totalServices: 1, totalTerms: 1 });
      const missing = await get('/service/acme');
      expect([missing.status, missing.headers.get('content-type'), await missing.json()]).toEqual([404, 'application/json; charset=utf-8', { error: 'Service not found' }]);
      const noType = await get('/feed/Acme/Privacy%20Policy');
      expect([noType.status, await noType.json()]).toEqual([404, { error: 'Terms type not found for this service' }]);
      const nowhere = await fetch(`${new URL(api.url).origin}/nowhere`);
      expect([nowhere.status, await nowhere.json()]).toEqual([404, { error: 'Not found' }]);
      const badDate = await get('/version/Acme/Terms%20of%20Service/yesterday');
      expect(badDate.status).toBe(400);
      expect(await badDate.json()).toMatchObject({ error: expect.stringContaining('Invalid date') as unknown });
      expect((await get('/version/Acme/Terms%20of%20Service/2999-01-01T00:00:00Z')).status).toBe(416);
      const before = await get('/version/Acme/Terms%20of%20Service/2000-01-01T00:00:00Z');
      expect([before.status, await before.json()]).toEqual([404, { error: 'No version found for date 2000-01-01T00:00:00Z' }]);
      expect((await get('/versions/Acme/Terms%20of%20Service?limit=-1')).status).toBe(400);
      expect((await get('/diff/Acme/Terms%20of%20Service?format=pdf')).status).toBe(400);
      expect((await get('/version/%E0%A4%A/x/y')).status).toBe(400);
      expect((await get('/services', { method: 'POST' })).status).toBe(405);
      const docs = (await (await get('/docs', { headers: { Accept: 'application/json' } })).json()) as { openapi: string; info: { title: string } };
      expect(docs).toMatchObject({ openapi: '3.1.0', info: { title: 'Open Terms Archive API [Beta]' } });
    } finally {
      await api.close();
    }
  });
});
