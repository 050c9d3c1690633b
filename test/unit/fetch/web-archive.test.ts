import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DEFAULT_FETCH_OPTIONS, WebArchive } from '../../../src/fetch/index.js';
import { startServer, type TestServer } from '../../helpers/http-server.js';

let archive: TestServer;
beforeAll(async () => {
  archive = await startServer();
});
afterAll(async () => {
  await archive.close();
});

const client = (): WebArchive => new WebArchive({ baseUrl: `${archive.origin}/`, fetch: DEFAULT_FETCH_OPTIONS, requestsPerSecond: 100, retryDelayMs: 10 });

describe('WebArchive', () => {
  it('asks again after a 429 or a 503, waiting longer each time, and reads the CDX JSON', async () => {
    archive.route('/cdx/search/cdx', (_request, count) =>
      count === 1 ? { status: 429, body: 'slow down' } : count === 2 ? { status: 503, body: 'busy' } : { body: JSON.stringify([['timestamp', 'original', 'mimetype', 'digest'], ['20190301101500', 'https://acme.example/terms', 'text/html', 'A'], ['not a date', 'https://acme.example/terms', 'text/html', 'B'], ['20300101000000', 'https://acme.example/terms', 'text/html', 'C']]) },
    );
    const web = client();
    const captures = await web.captures('https://acme.example/terms', undefined, new Date('2026-01-01'));
    expect(web.requests).toBe(3);
    // a row without a date is skipped, and so is the one after `to`
    expect(captures.map(capture => [capture.timestamp, capture.date.toISOString()])).toEqual([['20190301101500', '2019-03-01T10:15:00.000Z']]);
    expect(web.captureUrl(captures[0] ?? { timestamp: '', url: '' })).toBe(`${archive.origin}/web/20190301101500id_/https://acme.example/terms`);
  });

  it('says what it got when the list is not the JSON asked for, and gives up on a 404 at once', async () => {
    archive.route('/cdx/search/cdx', { body: '<html>maintenance</html>' });
    await expect(client().captures('https://acme.example/terms', undefined, undefined)).rejects.toThrow("The archive's capture list is not JSON: <html>maintenance</html>");
    const web = client();
    await expect(web.raw({ timestamp: '20190301101500', url: 'https://acme.example/gone' })).rejects.toThrow(/HTTP code 404/);
    expect(web.requests).toBe(1);
  });
});
