// The web viewer, end to end in the system's Chromium: open a service, pick two versions, see the change.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { inflateSync } from 'node:zlib';

import { chromium, type Browser } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli } from '../../src/cli/run.js';
import { loadDeclarations } from '../../src/declarations/index.js';
import { HistoryIndex, loadMetadata, startApiServer } from '../../src/publish/index.js';
import { openVersions, type VersionRepository } from '../../src/record/index.js';
import { browserSuiteTitle, chromiumPath, isBrowserMissing } from '../helpers/chromium.js';
import { html, startServer, type TestServer } from '../helpers/http-server.js';
import { captureIo } from '../helpers/silent.js';
import { makeTempDir } from '../helpers/temp-dir.js';

/** How many different byte values the decoded pixels of a PNG hold: a blank page has a handful. */
function distinctPixelBytes(png: Buffer): number {
  const chunks: Buffer[] = [];
  for (let offset = 8; offset < png.length; ) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    if (type === 'IDAT') chunks.push(png.subarray(offset + 8, offset + 8 + length));
    offset += 12 + length;
  }
  return new Set(inflateSync(Buffer.concat(chunks))).size;
}

describe.skipIf(isBrowserMissing)(browserSuiteTitle('web viewer'), () => {
  let site: TestServer;
  let dir: string;
  let cleanup: () => Promise<void>;
  let api: Awaited<ReturnType<typeof startApiServer>>;
  let versions: VersionRepository;
  let browser: Browser;
  let edition = 1;

  beforeAll(async () => {
    if (!chromiumPath) throw new Error('CI is set but no Chromium was found: .ci/run must install one');
    site = await startServer();
    site.route('/terms', () => ({ body: html(`<main><h1>Terms</h1><h2>Fees</h2><p>Fees are due ${edition === 1 ? 'monthly' : 'weekly'} by card.</p></main>`) }));
    ({ dir, cleanup } = await makeTempDir());
    await mkdir(path.join(dir, 'declarations'));
    await writeFile(path.join(dir, 'declarations', 'Acme.json'), JSON.stringify({ name: 'Acme', terms: { 'Terms of Service': { fetch: site.url('/terms'), select: 'main' } } }));
    expect(await runCli(['track'], captureIo(dir))).toBe(0);
    edition = 2;
    await new Promise(resolve => setTimeout(resolve, 1100));
    expect(await runCli(['track'], captureIo(dir))).toBe(0);
    versions = await openVersions({ directory: path.join(dir, 'versions-repo'), environment: { PATH: process.env.PATH }, isReadOnly: true });
    const index = HistoryIndex.open(versions);
    await index.catchUp();
    const { services } = await loadDeclarations(path.join(dir, 'declarations'));
    api = await startApiServer({
      index,
      versions,
      services,
      metadata: await loadMetadata(dir),
      engineVersion: 'test',
      host: '127.0.0.1',
      port: 0,
      versionUrlTemplate: 'https://example.org/versions/commit/%VERSION_ID',
    });
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', ...(isRoot ? ['--no-sandbox'] : [])],
    });
  }, 60_000);
  afterAll(async () => {
    await browser.close();
    await api.close();
    await versions.close();
    await site.close();
    await cleanup();
  });

  it('opens a service, compares two versions word by word, inline and side by side, on a phone-sized screen too', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', error => errors.push(error.message));
    await page.goto(new URL('/', api.url).href);
    await page.getByRole('button', { name: 'Terms of Service' }).click();
    await page.locator('#timeline li').nth(1).waitFor();
    expect(await page.locator('#timeline .label').allTextContents()).toEqual(['Substantive', 'First record']);
    expect(await page.locator('#timeline a').first().getAttribute('href')).toMatch(/^https:\/\/example\.org\/versions\/commit\/[0-9a-f]{40}$/);

    // the newest and the one before are picked by default: the word that changed is highlighted
    await expect.poll(() => page.locator('#diff ins').allTextContents()).toEqual(['weekly']);
    expect(await page.locator('#diff del').allTextContents()).toEqual(['monthly']);
    expect(await page.locator('#change-label').textContent()).toContain('Substantive');

    await page.locator('#mode').selectOption('side');
    await expect.poll(() => page.locator('#diff .diff').count()).toBe(2);
    expect(await page.locator('#diff .diff').nth(0).textContent()).toContain('monthly');
    expect(await page.locator('#diff .diff').nth(1).textContent()).toContain('weekly');

    // the document itself, rendered from its Markdown, then back to the changes
    await page.locator('#text').selectOption('document');
    await expect.poll(() => page.locator('#diff .document h2').allTextContents()).toEqual(['Terms']);
    expect(await page.locator('#diff .document h3').allTextContents()).toEqual(['Fees']);
    expect(await page.locator('#diff .document p').allTextContents()).toEqual(['Fees are due weekly by card.']);
    // since when? the paragraph came with the second version, the heading with the first
    await page.locator('#diff .document .block:has(p) .since').click();
    const { versions: listed } = (await (await fetch(`${api.url}/versions/Acme/Terms%20of%20Service?limit=2`)).json()) as { versions: { id: string; fetchDate: string }[] };
    expect(await page.locator('#diff .document .block:has(p) .since-note').textContent()).toBe(`Here since ${listed[0]?.fetchDate.slice(0, 19).replace('T', ' ') ?? ''} UTC (Substantive, version ${listed[0]?.id.slice(0, 10) ?? ''})`);
    await page.locator('#diff .document .block:has(h2) .since').click();
    expect(await page.locator('#diff .document .block:has(h2) .since-note a').getAttribute('href')).toBe(`#/terms/Acme/Terms%20of%20Service/${listed[1]?.id ?? ''}`);
    await page.locator('#text').selectOption('changes');
    await expect.poll(() => page.locator('#diff ins').allTextContents()).toEqual(['weekly']);

    const screenshot = await page.screenshot({ fullPage: true });
    expect(distinctPixelBytes(screenshot)).toBeGreaterThan(50);

    await page.setViewportSize({ width: 390, height: 844 });
    const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    expect(widths[0]).toBeLessThanOrEqual(widths[1] ?? 0); // nothing wider than the phone's screen
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('searches all terms from the header, and opens a result rendered with the match marked and in view', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', error => errors.push(error.message));
    await page.goto(new URL('/', api.url).href);
    await page.getByRole('searchbox', { name: 'Search all terms' }).fill('"due weekly"');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(() => page.locator('#search-results h2').textContent()).toBe('1 result for “"due weekly"” in the terms in force');
    expect(await page.locator('#search-results li mark').allTextContents()).toEqual(['due weekly']);
    // over all history, the first version's "monthly" is found too
    await page.getByRole('searchbox', { name: 'Search all terms' }).fill('monthly');
    await page.locator('#search-scope').selectOption('all');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(() => page.locator('#search-results li .meta').allTextContents()).toEqual([expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC → \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC · 1 paragraph$/)]);
    await page.locator('#search-results li a').click();
    await expect.poll(() => page.locator('#diff .document mark').allTextContents()).toEqual(['monthly']);
    expect(await page.locator('#text').inputValue()).toBe('document');
    const found = await page.locator('#diff .document .found').boundingBox();
    expect(found?.y ?? -1).toBeGreaterThanOrEqual(0);
    expect((found?.y ?? Infinity) + (found?.height ?? 0)).toBeLessThanOrEqual(800);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('opens the change a feed entry links to, from its address, with the two versions picked', async () => {
    const { versions: listed } = (await (await fetch(`${api.url}/versions/Acme/Terms%20of%20Service?limit=2`)).json()) as { versions: { id: string }[] };
    const [newest, first] = listed;
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // the first record, as a link to an older change would: 'to' is it, and nothing comes before it
    await page.goto(`${new URL('/', api.url).href}#/terms/Acme/Terms%20of%20Service/${first?.id ?? ''}`);
    await expect.poll(() => page.locator('input[name=to]:checked').getAttribute('value')).toBe(first?.id);
    expect(await page.locator('input[name=from]:checked').count()).toBe(0);
    expect(await page.locator('#heading').textContent()).toBe('Acme · Terms of Service');
    // the newest change: the one before it is 'from', and the changed word is shown
    await page.goto(`${new URL('/', api.url).href}#/terms/Acme/Terms%20of%20Service/${newest?.id.slice(0, 12) ?? ''}`);
    await expect.poll(() => page.locator('input[name=to]:checked').getAttribute('value')).toBe(newest?.id);
    expect(await page.locator('input[name=from]:checked').getAttribute('value')).toBe(first?.id);
    await expect.poll(() => page.locator('#diff ins').allTextContents()).toEqual(['weekly']);
    expect(page.url()).toMatch(/#\/terms\/Acme\/Terms%20of%20Service$/);
    await page.close();
  }, 60_000);

  it('shows a one-word change of a 500 KB terms on the first screen, folded, and steps through changes', async () => {
    // a real-sized terms: 2,000 paragraphs of about 250 bytes; one word changes in the middle
    const paragraphs = (word: string): string =>
      Array.from({ length: 2000 }, (_, index) => `<p>Clause ${String(index)}: the provider may process the data you give for the service it provides, as the law of the place allows, including the logs of your visits, the settings you chose and the messages you sent us${index === 1000 ? `, ${word}` : ''}, and keeps records of it for as long as needed.</p>`).join('');
    let big = 'monthly';
    site.route('/big', () => ({ body: html(`<main><h1>Big terms</h1>${paragraphs(big)}</main>`) }));
    await writeFile(path.join(dir, 'declarations', 'Big.json'), JSON.stringify({ name: 'Big', terms: { 'Terms of Service': { fetch: site.url('/big'), select: 'main' } } }));
    expect(await runCli(['track', '--services', 'Big'], captureIo(dir))).toBe(0);
    big = 'yearly';
    expect(await runCli(['track', '--services', 'Big'], captureIo(dir))).toBe(0);
    const own = await openVersions({ directory: path.join(dir, 'versions-repo'), environment: { PATH: process.env.PATH }, isReadOnly: true });
    const index = HistoryIndex.open(own);
    await index.catchUp();
    const { services } = await loadDeclarations(path.join(dir, 'declarations'));
    const server = await startApiServer({ index, versions: own, services, metadata: await loadMetadata(dir), engineVersion: 'test', host: '127.0.0.1', port: 0 });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      await page.goto(`${new URL('/', server.url).href}#/terms/Big/Terms%20of%20Service`);
      await expect.poll(() => page.locator('#diff ins').allTextContents(), { timeout: 20_000 }).toEqual(['yearly']);
      const figures = await page.evaluate(() => ({
        height: document.documentElement.scrollHeight,
        changeTop: document.querySelector('#diff ins')?.getBoundingClientRect().top ?? Infinity,
        viewport: window.innerHeight,
        folds: [...document.querySelectorAll('#diff .fold')].map(fold => fold.textContent),
      }));
      // the change is on the first screen, and the page is about a screen long, not the document's 10,000 px
      expect(figures.changeTop).toBeLessThan(figures.viewport);
      expect(figures.height).toBeLessThan(1600);
      expect(figures.folds).toEqual([expect.stringMatching(/^⋯ \d{4} unchanged lines$/), expect.stringMatching(/^⋯ \d{3,4} unchanged lines$/)]);
      expect(await page.locator('#position').textContent()).toBe('change 1 of 1');
      expect(await page.locator('.column-title').first().textContent()).toMatch(/^Before: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC → After: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
      await page.screenshot({ path: process.env.VIEWER_SCREENSHOT ?? path.join(dir, 'one-word-change.png') });
      console.info(`viewer, one-word change of a ${String(Math.round(paragraphs('yearly').length / 1024))} KB page: page height ${String(figures.height)} px, change at ${String(Math.round(figures.changeTop))} px of a ${String(figures.viewport)} px screen`);
      // expand a fold: the hidden lines are there
      await page.locator('#diff .fold').first().click();
      await expect.poll(() => page.evaluate(() => document.documentElement.scrollHeight)).toBeGreaterThan(10_000);
      // keyboard: the buttons are reachable and the n key moves to the change
      await page.keyboard.press('n');
      expect(await page.locator('#position').textContent()).toBe('change 1 of 1');
      expect(await page.locator('#next').evaluate(button => getComputedStyle(button).minHeight)).toBe('40px');
    } finally {
      await page.close();
      await server.close();
      index.close();
      await own.close();
    }
  }, 120_000);
});
