// Browsers on other machines: Playwright browser servers (`chromium.launchServer`) or hosted
// Playwright-compatible services, reached by their ws:// endpoints. Fetches are spread over the endpoints in
// turn; an endpoint that cannot be reached, or whose browser goes away, is left out and the others carry on.
import type { Browser } from 'playwright';

import { BrowserPages, type BrowserSession, fetchWithBrowser } from './browser.js';
import { loadPlaywright } from './browser-session.js';

export interface RemoteBrowserOptions {
  /** ws:// (or wss://) endpoints of browser servers. */
  readonly endpoints: readonly string[];
  /** How long connecting to one endpoint may take. @default 30000 */
  readonly connectTimeoutMs?: number;
}

interface Endpoint {
  readonly url: string;
  browser?: Promise<BrowserPages>;
  isDown: boolean;
  lastError?: string;
}

export function connectBrowserSession(options: RemoteBrowserOptions): BrowserSession {
  const endpoints: Endpoint[] = options.endpoints.map(url => ({ url, isDown: false }));
  let turn = 0;

  const connect = (endpoint: Endpoint): Promise<BrowserPages> => {
    endpoint.browser ??= loadPlaywright()
      .then(({ chromium }) => chromium.connect(endpoint.url, { timeout: options.connectTimeoutMs ?? 30_000 }))
      .then((browser: Browser) => {
        browser.on('disconnected', () => {
          endpoint.isDown = true;
          endpoint.lastError = 'the browser disconnected';
        });
        return new BrowserPages(browser);
      });
    return endpoint.browser;
  };

  /** The next endpoint that is up and connects, in turn. */
  const nextBrowser = async (): Promise<BrowserPages> => {
    for (let tries = 0; tries < endpoints.length; tries++) {
      const endpoint = endpoints[turn++ % endpoints.length];
      if (!endpoint || endpoint.isDown) continue;
      try {
        return await connect(endpoint);
      } catch (error) {
        endpoint.isDown = true;
        endpoint.lastError = error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
      }
    }
    const reasons = endpoints.map(endpoint => `${endpoint.url}: ${endpoint.lastError ?? 'down'}`).join('; ');
    throw new Error(`no browser endpoint could be used (${reasons})`);
  };

  return {
    fetch: async (url, request, fetchOptions) => fetchWithBrowser(await nextBrowser(), url, request, fetchOptions),
    close: async () => {
      await Promise.all(
        endpoints.map(async endpoint => {
          const pages = await endpoint.browser?.catch(() => undefined);
          await pages?.browser.close().catch(() => undefined);
        }),
      );
    },
  };
}
