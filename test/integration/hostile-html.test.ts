// Pages that try to break extraction: each either extracts or fails with a clear message, and a failing page
// never stops the others. Safety timeouts only bound a runaway test; nothing here asserts a duration.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { extract, MAX_SELECTED_TEXT_LENGTH } from '../../src/extract/index.js';
import type { InaccessibleContentError } from '../../src/track/index.js';
import { createTestCollection } from '../helpers/collection.js';
import { html, startServer, type TestServer } from '../helpers/http-server.js';
import { sourceDocument } from '../helpers/source-document.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const paragraph = '<p>Lorem ipsum dolor sit amet, <a href="/x">link</a> consectetur adipiscing elit.</p>\n';
const HUGE_PAGE = html(`<main><h1 id="title">Terms</h1>${paragraph.repeat(250_000)}</main>`); // about 20 MB
const DEEP_PAGE = html(`<main>${'<div>'.repeat(10_000)}deep text${'</div>'.repeat(10_000)}</main>`);

const extractHtml = (content: string, overrides: Parameters<typeof sourceDocument>[0] = {}): Promise<string> =>
  extract({ content, mimeType: 'text/html', sourceDocument: sourceDocument(overrides) });

describe('hostile pages', () => {
  it('refuses to convert a 20 MB selection, naming the selector, and extracts a narrow one from the same page', async () => {
    expect(HUGE_PAGE.length).toBeGreaterThan(20_000_000);
    await expect(extractHtml(HUGE_PAGE)).rejects.toThrow(
      new RegExp(`The provided selector "main" selects \\d+ characters of text in the web page at '.*', more than the ${MAX_SELECTED_TEXT_LENGTH} that can be converted`),
    );
    expect(await extractHtml(HUGE_PAGE, { contentSelectors: '#title' })).toBe('Terms\n=====');
  }, 120_000);

  it('fails clearly on 10,000 levels of nesting, with either engine', async () => {
    for (const engine of ['light', 'jsdom'] as const) {
      await expect(extract({ content: DEEP_PAGE, mimeType: 'text/html', sourceDocument: sourceDocument(), engine })).rejects.toThrow(
        "Extract failed: The web page at 'https://acme.example/legal/terms' is nested too deeply to be extracted",
      );
    }
  }, 120_000);

  it('names invalid selectors in select, remove and ranges', async () => {
    await expect(extractHtml(html('<main>x</main>'), { contentSelectors: 'main[[' })).rejects.toThrow("Extract failed: 'main[[' is not a valid selector");
    await expect(extractHtml(html('<main>x</main>'), { insignificantContentSelectors: '##' })).rejects.toThrow("Extract failed: '##' is not a valid selector");
    await expect(extractHtml(html('<main>x</main>'), { contentSelectors: { startBefore: ':::', endAfter: 'main' } })).rejects.toThrow(
      "Extract failed: ':::' is not a valid selector",
    );
  });

  it('extracts a selector matching 50,000 nodes, and removes 50,000 nodes', async () => {
    const page = html(`<main><h1>Terms</h1>${'<span class="m">x</span> '.repeat(50_000)}</main>`);
    const markdown = await extractHtml(page, { contentSelectors: '.m' });
    expect(markdown).toBe('x'.repeat(50_000));
    expect(await extractHtml(page, { insignificantContentSelectors: '.m' })).toBe('Terms\n=====');
  }, 120_000);

  it('keeps going through broken encodings and control characters', async () => {
    const broken = html('<main><p>caf\ufffd \u0000 \u0001 \udcff text</p></main>');
    const markdown = await extractHtml(broken);
    // the HTML parser drops NUL; both engines give the same text
    expect(markdown).toBe(await extract({ content: broken, mimeType: 'text/html', sourceDocument: sourceDocument(), engine: 'jsdom' }));
    expect(markdown.startsWith("caf\ufffd ")).toBe(true);
    expect(markdown.endsWith(" text")).toBe(true);
    const bytes = Buffer.concat([Buffer.from('<main><p>'), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from(' ok</p></main>')]);
    expect(await extract({ content: new Uint8Array(bytes), mimeType: 'text/html', sourceDocument: sourceDocument() })).toBe('\ufffd(\ufffd\ufffd ok');
  });
});

describe('hostile pages during tracking', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({
      '/deep': { body: DEEP_PAGE },
      '/invalid': { body: html('<main>fine</main>') },
      '/fine': { body: html('<main>A normal page</main>') },
    });
  });
  afterAll(() => server.close());

  it('reports each broken terms as inaccessible with the reason, and tracks the others', async () => {
    const { dir, cleanup } = await makeTempDir();
    const collection = await createTestCollection(dir);
    try {
      await collection.writeDeclaration('Deep', { name: 'Deep', terms: { 'Terms of Service': { fetch: server.url('/deep'), select: 'main' } } });
      await collection.writeDeclaration('Invalid', { name: 'Invalid', terms: { 'Terms of Service': { fetch: server.url('/invalid'), select: 'main >>> p' } } });
      await collection.writeDeclaration('Fine', { name: 'Fine', terms: { 'Terms of Service': { fetch: server.url('/fine'), select: 'main' } } });
      const archivist = await collection.archivist();
      const summary = await archivist.runPass({ technicalUpgradeOnly: false });
      expect(summary).toMatchObject({ versionsRecorded: 1, inaccessible: 2 });
      const reasons = collection.events
        .filter(event => event.name === 'inaccessibleContent')
        .map(event => [(event.args[1] as { declarationFile: string }).declarationFile, (event.args[0] as InaccessibleContentError).reasons[0]])
        // both are retried at the end of the pass, in parallel: in either order
        .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
      expect(reasons).toEqual([
        ['declarations/Deep.json', `Extract failed: The web page at '${server.url('/deep')}' is nested too deeply to be extracted`],
        ['declarations/Invalid.json', "Extract failed: 'main >>> p' is not a valid selector"],
      ]);
    } finally {
      await collection.close();
      await cleanup();
    }
  }, 120_000);
});
