// Feeds as watchers take them: each one read by two independent parsers and checked against RFC 4287's MUSTs; their
// titles, ids and dates; the page and the JSON each entry links to; filtered feeds; and static feeds whose every link
// is a file written beside them.
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli } from '../../src/cli/run.js';
import { loadDeclarations } from '../../src/declarations/index.js';
import { HistoryIndex, loadMetadata, startApiServer } from '../../src/publish/index.js';
import { openVersions } from '../../src/record/index.js';
import { checkAtomFeed } from '../helpers/atom-checks.js';
import { html, startServer, type TestServer } from '../helpers/http-server.js';
import { captureIo } from '../helpers/silent.js';
import { makeTempDir } from '../helpers/temp-dir.js';

let site: TestServer;
let dir: string;
let cleanup: () => Promise<void>;
let api: { url: string; close: () => Promise<void> };
let edition = 1;

const TERMS = (clause: string): string => html(`<main><h1>Terms</h1><h2>Payments</h2><p>${clause}</p><p>We are liable for nothing at all, ever, in any case whatsoever.</p></main>`);
const PRIVACY = (date: string): string => html(`<main><h1>Privacy</h1><p>Last updated: ${date}</p><p>We keep your data for as long as the law allows us to, and not one day more.</p></main>`);

beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir());
  site = await startServer();
  site.route('/terms', () => ({ body: TERMS(edition === 1 ? 'You pay every month.' : 'You pay every week, in advance.') }));
  site.route('/privacy', () => ({ body: PRIVACY(edition === 1 ? 'January 5, 2024' : 'February 9, 2024') }));
  site.route('/sante', () => ({ body: PRIVACY('March 3, 2024') }));
  await mkdir(path.join(dir, 'declarations'));
  await writeFile(path.join(dir, 'declarations', 'Acme.json'), JSON.stringify({ name: 'Acme Corp', terms: { 'Terms of Service': { fetch: site.url('/terms'), select: 'main' }, 'Privacy Policy': { fetch: site.url('/privacy'), select: 'main' } } }));
  await writeFile(path.join(dir, 'declarations', 'Mon espace santé.json'), JSON.stringify({ name: 'Mon espace santé', terms: { 'Privacy Policy': { fetch: site.url('/sante'), select: 'main' }, 'Terms of Service': { fetch: site.url('/gone'), select: 'main' } } }));
  await writeFile(path.join(dir, 'metadata.yml'), 'id: demo collection\nname: Demo collection\ntagline: Terms we watch\n');
  expect(await runCli(['track'], captureIo(dir))).toBe(0);
  edition = 2;
  await runCli(['track'], captureIo(dir));
  const versions = await openVersions({ directory: path.join(dir, 'versions-repo'), environment: { PATH: process.env.PATH }, isReadOnly: true });
  const index = HistoryIndex.open(versions);
  await index.catchUp();
  const { services } = await loadDeclarations(path.join(dir, 'declarations'));
  const server = await startApiServer({ index, versions, services, metadata: await loadMetadata(dir), engineVersion: 'test', host: '127.0.0.1', port: 0 });
  api = {
    url: server.url,
    close: async () => {
      await server.close();
      index.close();
      await versions.close();
    },
  };
}, 60_000);
afterAll(async () => {
  await api.close();
  await site.close();
  await cleanup();
});

async function feed(route: string): Promise<{ status: number; xml: string }> {
  const response = await fetch(`${api.url}${route}`);
  return { status: response.status, xml: await response.text() };
}

/** A feed asked for under another host name (fetch does not let a request name its Host). */
function feedOnHost(route: string, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get(`${api.url}${route}`, { headers: { host } }, response => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => { resolve(body); });
    }).on('error', reject);
  });
}

describe('served feeds', { timeout: 30_000 }, () => {
  it('have their own titles and valid ids that no host or run changes, and pass both parsers and the RFC', async () => {
    const routes = ['/feed', '/feed/Acme', '/feed/Acme/Terms%20of%20Service', '/feed/Mon%20espace%20sant%C3%A9/Privacy%20Policy', '/feed?labels=substantive'];
    const feeds = await Promise.all(routes.map(async route => checkAtomFeed((await feed(route)).xml)));
    expect(feeds.map(checked => checked.title)).toEqual([
      'Demo collection',
      'Acme Corp — Demo collection',
      'Acme Corp Terms of Service — Demo collection',
      'Mon espace santé Privacy Policy — Demo collection',
      'Substantive changes — Demo collection',
    ]);
    expect(feeds.map(checked => checked.id)).toEqual([
      'tag:opentermsarchive.org,2026:feed:demo%20collection',
      'tag:opentermsarchive.org,2026:feed:demo%20collection:Acme',
      'tag:opentermsarchive.org,2026:feed:demo%20collection:Acme:Terms%20of%20Service',
      'tag:opentermsarchive.org,2026:feed:demo%20collection:Mon%20espace%20sant%C3%A9:Privacy%20Policy',
      'tag:opentermsarchive.org,2026:feed:demo%20collection?labels=substantive',
    ]);
    const elsewhere = checkAtomFeed(await feedOnHost('/feed/Acme', 'terms.example.org'));
    expect(elsewhere.id).toBe(feeds[1]?.id);
    expect(elsewhere.entries.map(entry => entry.id)).toEqual(feeds[1]?.entries.map(entry => entry.id));
    expect(elsewhere.selfLink).toBe('http://terms.example.org/api/v1/feed/Acme');
  });

  it('date an empty feed when the collection began, never 1970', async () => {
    const empty = checkAtomFeed((await feed('/feed/Mon%20espace%20sant%C3%A9/Terms%20of%20Service')).xml);
    expect(empty.entries).toHaveLength(0);
    const all = checkAtomFeed((await feed('/feed')).xml);
    const oldest = (await (await fetch(`${api.url}/versions/Acme/Terms%20of%20Service?limit=1&offset=1`)).json()) as { versions: { fetchDate: string }[] };
    expect(Date.parse(empty.updated)).toBeLessThanOrEqual(Date.parse(all.updated));
    expect(new Date(empty.updated).getUTCFullYear()).toBeGreaterThan(2000);
    expect(Date.parse(empty.updated)).toBeLessThanOrEqual(Date.parse(oldest.versions[0]?.fetchDate ?? ''));
  });

  it('link each entry to a page showing the change, and to its JSON', async () => {
    const [change] = checkAtomFeed((await feed('/feed/Acme/Terms%20of%20Service')).xml).entries;
    const page = change?.links.find(link => link.type === 'text/html');
    expect(page?.href).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/changes\/Acme\/Terms%20of%20Service\/[0-9a-f]{40}$/);
    const response = await fetch(page?.href ?? '');
    expect([response.status, response.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    const body = await response.text();
    expect(body).toContain('<h1>Acme Terms of Service</h1>');
    expect(body).toMatch(/<dt>Before<\/dt><dd><time datetime="[^"]+">\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC<\/time>/);
    expect(body).toContain('<del>- You pay every month.</del>');
    expect(body).toContain('<ins>+ You pay every week, in advance.</ins>');
    expect(body).toMatch(/href="http:\/\/127\.0\.0\.1:\d+\/#\/terms\/Acme\/Terms%20of%20Service\/[0-9a-f]{40}"/);
    const json = change?.links.find(link => link.type === 'application/json');
    const version = (await (await fetch(json?.href ?? '')).json()) as { content: string };
    expect(version.content).toContain('You pay every week, in advance.');
    expect((await fetch(`${new URL(api.url).origin}/changes/Acme/Terms%20of%20Service/0000000000`)).status).toBe(404);
  });

  it('filter by label, by terms type across services, and by a set of services', async () => {
    const substantive = checkAtomFeed((await feed('/feed?labels=substantive')).xml);
    const all = checkAtomFeed((await feed('/feed')).xml);
    // the privacy policy's new date is a change of dates only: in the whole feed, not in the substantive one
    expect(all.entries.map(entry => entry.categories.at(-1))).toContain('Dates only');
    expect(substantive.entries.map(entry => entry.categories.at(-1))).toEqual(['Substantive']);
    const privacy = checkAtomFeed((await feed('/feed?types=Privacy%20Policy')).xml);
    expect(privacy.title).toBe('Changes to Privacy Policy — Demo collection');
    expect(new Set(privacy.entries.map(entry => entry.categories[1]))).toEqual(new Set(['Privacy Policy']));
    expect(new Set(privacy.entries.map(entry => entry.categories[0]))).toEqual(new Set(['Acme', 'Mon espace santé']));
    const subscription = checkAtomFeed((await feed('/feed?services=Acme&services=Mon%20espace%20sant%C3%A9&labels=first-record,substantive')).xml);
    expect(subscription.title).toBe('First record and Substantive changes of Acme and Mon espace santé — Demo collection');
    expect(subscription.entries).toHaveLength(4);
    expect((await feed('/feed?labels=bogus')).status).toBe(400);
    expect((await feed('/feed?services=Nobody')).status).toBe(404);
  });
});

describe('static feeds', { timeout: 30_000 }, () => {
  it('link only to files written beside them under --base-url', async () => {
    const io = captureIo(dir);
    expect(await runCli(['feeds', '--out', 'public', '--base-url', 'https://feeds.example.org/terms/'], io)).toBe(0);
    expect(io.output.at(-1)).toMatch(/^7 feeds and 5 change pages written to /);
    const out = path.join(dir, 'public');
    const files = (await readdir(out, { recursive: true })).filter(file => file.endsWith('.xml'));
    expect(files).toHaveLength(7);
    const fileOf = (href: string): string => {
      expect(href.startsWith('https://feeds.example.org/terms/')).toBe(true);
      return path.join(out, ...href.slice('https://feeds.example.org/terms/'.length).split('/').map(decodeURIComponent));
    };
    for (const file of files) {
      const checked = checkAtomFeed(await readFile(path.join(out, file), 'utf8'));
      expect(fileOf(checked.selfLink)).toBe(path.join(out, file));
      for (const link of checked.entries.flatMap(entry => entry.links)) expect((await stat(fileOf(link.href))).isFile()).toBe(true);
    }
    const terms = checkAtomFeed(await readFile(path.join(out, 'feed', 'Acme', 'Terms of Service.xml'), 'utf8'));
    const page = await readFile(fileOf(terms.entries[0]?.links[0]?.href ?? ''), 'utf8');
    expect(page).toContain('<ins>+ You pay every week, in advance.</ins>');
    expect(page).toContain('href="https://feeds.example.org/terms/feed/Acme/Terms%20of%20Service.xml"');
    expect(await runCli(['feeds', '--out', 'public'], captureIo(dir))).toBe(2);
  });
});
