import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DEFAULT_FETCH_OPTIONS, FetchError, fetchDocument, fetchWithHttp } from '../../src/fetch/index.js';
import { html, startServer, type TestServer } from '../helpers/http-server.js';
import { sourceDocument } from '../helpers/source-document.js';

let server: TestServer;
const options = { ...DEFAULT_FETCH_OPTIONS, navigationTimeoutMs: 1000, languages: ['fr-FR', 'fr', 'en'] };

beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

async function failure(url: string): Promise<FetchError> {
  try {
    await fetchWithHttp(url, options);
  } catch (error) {
    if (error instanceof FetchError) return error;
    throw error;
  }
  throw new Error('the fetch did not fail');
}

describe('plain HTTP fetcher', () => {
  it('follows redirects, sends Accept-Language and keeps the raw Content-Type', async () => {
    let language: string | undefined;
    server.route('/old', { status: 301, headers: { location: '/new' } });
    server.route('/new', request => {
      language = request.headers['accept-language'];
      return { headers: { 'content-type': 'text/html; charset=UTF-8' }, body: html('<main>ok</main>') };
    });
    const document = await fetchWithHttp(server.url('/old'), options);
    expect(document).toMatchObject({ url: server.url('/new'), mimeType: 'text/html; charset=UTF-8', fetcher: 'htmlOnly' });
    expect(document.content).toContain('<main>ok</main>');
    expect(language).toBe('fr-FR, fr, en');
  });

  it('keeps non-text bodies as bytes', async () => {
    server.route('/file.pdf', { headers: { 'content-type': 'application/pdf' }, body: Buffer.from([0x25, 0x50, 0x44, 0x46, 0xff]) });
    const document = await fetchWithHttp(server.url('/file.pdf'), options);
    expect(document.content).toEqual(new Uint8Array([0x25, 0x50, 0x44, 0x46, 0xff]));
  });

  it('classifies failures where they happen', async () => {
    server.route('/forbidden', { status: 403 });
    server.route('/unavailable', { status: 503 });
    server.route('/missing', { status: 404 });
    expect(await failure(server.url('/forbidden'))).toMatchObject({ isLikelyBotBlocking: true, isTransient: true });
    expect(await failure(server.url('/unavailable'))).toMatchObject({ isLikelyBotBlocking: false, isTransient: true });
    expect(await failure(server.url('/missing'))).toMatchObject({
      isTransient: false,
      message: `Fetch failed: Received HTTP code 404 when trying to fetch '${server.url('/missing')}'`,
    });
    const closed = await startServer();
    await closed.close(); // a port nobody listens on any more
    const refused = await failure(closed.url('/terms'));
    expect(refused.message).toBe(`Fetch failed: Network system error ECONNREFUSED occurred when trying to fetch '${closed.url('/terms')}'`);
  });

  it('stops after 20 redirects', async () => {
    server.route('/loop', { status: 302, headers: { location: '/loop' } });
    expect((await failure(server.url('/loop'))).message).toBe(`Fetch failed: maximum redirect reached at: ${server.url('/loop')}`);
  });

  it('fails clearly on a missing or unknown content type', async () => {
    server.route('/untyped', { headers: { 'content-type': '' }, body: 'x' });
    server.route('/strange', { headers: { 'content-type': 'application/x-unheard-of' }, body: 'x' });
    expect((await failure(server.url('/untyped'))).message).toBe(
      `Fetch failed: Received no Content-Type header when trying to fetch '${server.url('/untyped')}'`,
    );
    await expect(
      fetchDocument(sourceDocument({ location: server.url('/strange'), executeClientScripts: false }), { getBrowser: () => Promise.reject(new Error('unused')) }, options),
    ).rejects.toThrow(`Fetch failed: Received an unsupported content type "application/x-unheard-of" when trying to fetch '${server.url('/strange')}'`);
  });

  it('tells when no browser can be started for a bot-blocked page', async () => {
    server.route('/blocked', { status: 403 });
    await expect(
      fetchDocument(sourceDocument({ location: server.url('/blocked') }), { getBrowser: () => Promise.reject(new Error('no Chromium found')) }, options),
    ).rejects.toThrow(`Fetch failed: No browser could be started to fetch '${server.url('/blocked')}': no Chromium found`);
  });

  it('refuses a redirect to another scheme, and a private address when asked to, before any page is kept', async () => {
    server.route('/to-file', { status: 302, headers: { location: 'file:///etc/passwd' } });
    expect((await failure(server.url('/to-file'))).message).toBe(
      `Fetch failed: Refused to fetch '${server.url('/to-file')}': only http and https URLs are fetched (redirected to file:///etc/passwd)`,
    );
    server.route('/private', { body: html('<main>Internal</main>') });
    await expect(fetchWithHttp(server.url('/private'), { ...options, refusePrivateAddresses: true })).rejects.toThrow(
      `Refused to fetch '${server.url('/private')}': 127.0.0.1 is 127.0.0.1, an address that is not public (refusePrivateAddresses is on)`,
    );
    expect(server.hits('/private')).toBe(0);
    await expect(fetchDocument(sourceDocument({ location: 'file:///etc/passwd', executeClientScripts: true }), { getBrowser: () => Promise.reject(new Error('never opened')) }, options)).rejects.toThrow(
      "Refused to fetch 'file:///etc/passwd': only http and https URLs are fetched",
    );
  });
});
