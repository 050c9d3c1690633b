// Remote browsers: a Playwright browser server started here on 127.0.0.1 with Debian's Chromium stands for a
// browser on another machine. One endpoint that cannot be reached must not stop the run.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { type BrowserServer, chromium } from 'playwright';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { connectBrowserSession, DEFAULT_FETCH_OPTIONS } from '../../src/fetch/index.js';
import { browserSuiteTitle, chromiumPath, isBrowserMissing } from '../helpers/chromium.js';
import { createTestCollection, type TestCollection } from '../helpers/collection.js';
import { git } from '../helpers/git.js';
import { html, startServer, type TestServer } from '../helpers/http-server.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const SCRIPTED_PAGE = html(
  `<main id="content"></main><script>setTimeout(function () { document.getElementById('content').innerHTML = '<h1>Remote</h1><p>Rendered far away.</p>'; }, 100);</script>`,
);

describe.skipIf(isBrowserMissing)(browserSuiteTitle('remote browser endpoints'), () => {
  let browserServer: BrowserServer;
  let site: TestServer;
  let collection: TestCollection;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    if (!chromiumPath) throw new Error('CI is set but no Chromium was found: .ci/run must install one');
    browserServer = await chromium.launchServer({
      executablePath: chromiumPath,
      host: '127.0.0.1',
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      timeout: 30_000,
    });
    site = await startServer({ '/app': { body: SCRIPTED_PAGE } });
  }, 60_000);
  afterAll(async () => {
    await site.close();
    await browserServer.close();
  });
  beforeEach(async () => {
    const temp = await makeTempDir();
    cleanup = temp.cleanup;
    collection = await createTestCollection(temp.dir);
  });
  afterEach(async () => {
    await collection.close();
    await cleanup();
  });

  it('renders pages on a browser server, skipping an endpoint that cannot be reached', async () => {
    const closed = await startServer();
    await closed.close();
    const unreachable = closed.origin.replace('http://', 'ws://');
    const session = connectBrowserSession({ endpoints: [unreachable, browserServer.wsEndpoint()], connectTimeoutMs: 5000 });
    try {
      const first = await session.fetch(site.url('/app'), { selectors: ['#content h1'], acceptsPdf: false }, DEFAULT_FETCH_OPTIONS);
      const second = await session.fetch(site.url('/app'), { selectors: ['#content h1'], acceptsPdf: false }, DEFAULT_FETCH_OPTIONS);
      for (const document of [first, second]) {
        expect(document.fetcher).toBe('fullDom');
        expect(document.content).toContain('<h1>Remote</h1>');
      }
    } finally {
      await session.close();
    }
  }, 60_000);

  it('tracks through the remote browser, and reports terms inaccessible when no endpoint works', async () => {
    await collection.writeDeclaration('Remote', {
      name: 'Remote',
      terms: { 'Terms of Service': { fetch: site.url('/app'), select: '#content', executeClientScripts: true } },
    });
    const archivist = await collection.archivist({ openBrowser: () => Promise.resolve(connectBrowserSession({ endpoints: [browserServer.wsEndpoint()] })) });
    await archivist.runPass({ technicalUpgradeOnly: false });
    expect(await readFile(path.join(collection.versionsDir, 'Remote', 'Terms of Service.md'), 'utf8')).toBe('Remote\n======\n\nRendered far away.');
    expect(git(collection.snapshotsDir, 'log', '-1', '--format=%(trailers:key=X-fetcher,valueonly)').trim()).toBe('fullDom');

    const dead = await collection.archivist({
      openBrowser: () => Promise.resolve(connectBrowserSession({ endpoints: ['ws://127.0.0.1:9/nothing'], connectTimeoutMs: 2000 })),
    });
    const summary = await dead.runPass({ technicalUpgradeOnly: false });
    expect(summary.inaccessible).toBe(1);
  }, 60_000);
});
