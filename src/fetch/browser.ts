// The browser fetcher (OTA-FORMAT §5.5–5.6), the only runtime user of Playwright with browser-session.ts:
// one isolated context per fetch, the page's own DOM serialised once the selectors have text.
import type { Browser, Page, Response } from 'playwright';

import { launchChromium, type LaunchOptions } from './browser-session.js';
import { checkDestination, INLINE_SCHEMES } from './destination.js';
import { emptyContentError, FetchError, httpStatusError, timeoutError, tooLargeError } from './errors.js';
import { DEFAULT_MAX_RESPONSE_BYTES, type FetchedDocument, type FetchOptions } from './model.js';

export interface BrowserFetchRequest {
  /** CSS selectors to wait for (select and remove, ranges flattened). */
  readonly selectors: readonly string[];
  /** The document has no selectors (a PDF declaration): keep a PDF response's bytes. */
  readonly acceptsPdf: boolean;
}

/** What the rest of the code knows of a browser: a local Chromium or, later, a remote endpoint. */
export interface BrowserSession {
  fetch(url: string, request: BrowserFetchRequest, options: FetchOptions): Promise<FetchedDocument>;
  close(): Promise<void>;
}

export async function launchBrowserSession(options: LaunchOptions): Promise<BrowserSession> {
  const pages = new BrowserPages(await launchChromium(options));
  return {
    fetch: (url, request, fetchOptions) => fetchWithBrowser(pages, url, request, fetchOptions),
    close: () => pages.browser.close(),
  };
}

/**
 * Opens each page in a fresh context of its own (OTA-FORMAT §5.5: no cookies, storage or cache shared between
 * fetches, so that what one page sets never changes what another shows); closing the page closes its context.
 */
export class BrowserPages {
  constructor(readonly browser: Browser) {}

  async open(options: FetchOptions): Promise<Page> {
    const context = await this.browser.newContext({
      viewport: { width: 1920, height: 1080 },
      ...(options.languages[0] !== undefined && { locale: options.languages[0] }),
      extraHTTPHeaders: { 'Accept-Language': acceptLanguage(options.languages) },
    });
    try {
      const page = await context.newPage();
      page.once('close', () => void context.close().catch(() => undefined));
      return page;
    } catch (error) {
      await context.close().catch(() => undefined);
      throw error;
    }
  }
}

export async function fetchWithBrowser(
  pages: BrowserPages,
  url: string,
  request: BrowserFetchRequest,
  options: FetchOptions,
): Promise<FetchedDocument> {
  if (!url) throw new FetchError(url, 'URL is required');
  const policy = { refusePrivateAddresses: options.refusePrivateAddresses === true };
  let page: Page | undefined;
  try {
    await checkDestination(url, policy);
    page = await pages.open(options);
    const capture = request.acceptsPdf ? await capturePdf(page) : undefined;
    // registered last, so asked first: a page's own requests go only where the declared URL may go
    const refusal = policy.refusePrivateAddresses ? await guardRequests(page, url) : undefined;
    const network = watchNetwork(page);
    let response: Response | null = null;
    try {
      response = await page.goto(url, { waitUntil: 'load', timeout: options.navigationTimeoutMs });
    } catch (error) {
      // Chrome downloads a PDF instead of showing it, and aborts the navigation: the bytes were captured anyway.
      if (!(capture?.pdf && isAbortOrDownload(error))) throw toFetchError(url, error, options.navigationTimeoutMs);
    }
    if (refusal?.error) throw refusal.error;
    if (capture?.pdf) return pdfFrom(capture.pdf, url, options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES);
    if (!response) throw new FetchError(url, `Response is empty when trying to fetch '${url}'`);
    // navigation redirects are not routed: where they went is checked before anything is kept
    for (let hop: ReturnType<Response['request']> | null = response.request(); hop; hop = hop.redirectedFrom()) await checkDestination(hop.url(), policy, url);
    const status = response.status();
    if ((status < 200 || status > 299) && status !== 304) throw httpStatusError(url, status);
    await waitForSettledPage(page, request.selectors, options.waitForElementsTimeoutMs, network);
    if (refusal?.error) throw refusal.error;
    // measured in the page before it is serialised here: a runaway page fails its terms, not this process
    const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    const characters = await page.evaluate(() => document.documentElement.outerHTML.length);
    if (characters > maxBytes) throw tooLargeError(url, maxBytes);
    const content = await page.content();
    if (!content) throw emptyContentError(url);
    return { url: page.url(), mimeType: 'text/html', content, fetcher: 'fullDom' };
  } catch (error) {
    throw toFetchError(url, error, options.navigationTimeoutMs);
  } finally {
    await page?.close().catch(() => undefined);
  }
}

/**
 * Aborts a page's requests to schemes other than http(s) and inline data, and to hosts that are not public; the first
 * refusal is kept, and fails the fetch (a page that needed a private address is not what the declaration points at).
 */
async function guardRequests(page: Page, url: string): Promise<{ error?: FetchError }> {
  const refusal: { error?: FetchError } = {};
  await page.route('**/*', async route => {
    const target = route.request().url();
    if (INLINE_SCHEMES.has(new URL(target).protocol)) {
      await route.fallback();
      return;
    }
    try {
      await checkDestination(target, { refusePrivateAddresses: true }, url);
    } catch (error) {
      refusal.error ??= error instanceof FetchError ? error : new FetchError(url, String(error));
      await route.abort('blockedbyclient');
      return;
    }
    await route.fallback();
  });
  return refusal;
}

interface CapturedPdf {
  readonly status: number;
  readonly url: string;
  readonly body: Buffer;
}

/**
 * Fetches the page's main document through the browser context (its cookies and headers) and keeps the bytes
 * when it is a PDF, since a downloaded PDF's body cannot be read back from the navigation.
 */
async function capturePdf(page: Page): Promise<{ pdf?: CapturedPdf }> {
  const capture: { pdf?: CapturedPdf } = {};
  await page.route('**/*', async route => {
    const isMainDocument = route.request().isNavigationRequest() && route.request().frame() === page.mainFrame();
    if (!isMainDocument || capture.pdf) {
      await route.continue();
      return;
    }
    const response = await route.fetch();
    if ((response.headers()['content-type'] ?? '').includes('application/pdf')) {
      capture.pdf = { status: response.status(), url: response.url(), body: await response.body() };
    }
    await route.fulfill({ response });
  });
  return capture;
}

function pdfFrom(pdf: CapturedPdf, url: string, maxBytes: number): FetchedDocument {
  if (pdf.status < 200 || pdf.status > 299) throw httpStatusError(url, pdf.status);
  if (pdf.body.length === 0) throw emptyContentError(url);
  if (pdf.body.length > maxBytes) throw tooLargeError(url, maxBytes);
  return { url: pdf.url, mimeType: 'application/pdf', content: new Uint8Array(pdf.body), fetcher: 'fullDom' };
}

/** How long the network may stay busy before the page is read anyway (analytics beacons never rest). */
const NETWORK_IDLE_TIMEOUT_MS = 3000;
/** The selected text must stay the same this long, with no request in flight, for the page to count as settled. */
const SETTLE_QUIET_MS = 300;
/** How often the selected text is read while waiting for it to settle. */
const SETTLE_POLL_MS = 50;

/** The page's requests in flight, counted from before the navigation. */
function watchNetwork(page: Page): { readonly isBusy: () => boolean } {
  let inFlight = 0;
  page.on('request', () => { inFlight++; });
  const done = (): void => { inFlight = Math.max(0, inFlight - 1); };
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  return { isBusy: () => inFlight > 0 };
}

/**
 * Waits until the page is done, within `timeoutMs`: each selector matches an element with text, then the selected
 * text stays the same for SETTLE_QUIET_MS with no request in flight (the network for NETWORK_IDLE_TIMEOUT_MS at most:
 * some pages never rest). A "Loading…" placeholder that a script replaces, or that waits for late data, is not taken
 * for the terms. Running out of time is not an error: the page is read as it is.
 */
async function waitForSettledPage(page: Page, selectors: readonly string[], timeoutMs: number, network: { readonly isBusy: () => boolean }): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  await waitForSelectors(page, selectors, timeoutMs);
  const networkDeadline = Date.now() + NETWORK_IDLE_TIMEOUT_MS;
  const isIdle = (): boolean => !network.isBusy() || Date.now() > networkDeadline;
  const css = selectors.length > 0 ? [...selectors] : ['body'];
  const read = (): Promise<string> =>
    page.evaluate((list: string[]) => list.map(selector => Array.from(document.querySelectorAll(selector), element => element.textContent ?? '').join('\u0000')).join('\u0001'), css);
  let previous = await read();
  let quietSince = isIdle() ? Date.now() : Number.POSITIVE_INFINITY;
  while (Date.now() + SETTLE_POLL_MS < deadline) {
    await new Promise(resolve => setTimeout(resolve, SETTLE_POLL_MS));
    const current = await read();
    if (current !== previous || !isIdle()) quietSince = Number.POSITIVE_INFINITY;
    else if (quietSince === Number.POSITIVE_INFINITY) quietSince = Date.now();
    previous = current;
    if (Date.now() - quietSince >= SETTLE_QUIET_MS) return;
  }
}

/** Waits, in parallel, until each selector matches an element with text; running out of time is not an error. */
async function waitForSelectors(page: Page, selectors: readonly string[], timeoutMs: number): Promise<void> {
  await Promise.all(
    selectors.map(async selector => {
      try {
        await page.waitForFunction(
          (css: string) => Boolean(document.querySelector(css)?.textContent?.trim()),
          selector,
          { timeout: timeoutMs, polling: 'raf' },
        );
      } catch (error) {
        if (!isPlaywrightTimeout(error)) throw error;
      }
    }),
  );
}

function acceptLanguage(languages: readonly string[]): string {
  return languages.map((tag, index) => (index === 0 ? tag : `${tag};q=${Math.max(0.1, 1 - index / 10).toFixed(1)}`)).join(',');
}

/** Playwright's TimeoutError, recognised by name so that Playwright is only loaded when a browser is used. */
function isPlaywrightTimeout(error: unknown): error is Error {
  return error instanceof Error && error.name === 'TimeoutError';
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.message.includes('net::ERR_ABORTED');
}

function isAbortOrDownload(error: unknown): boolean {
  return isAbort(error) || (error instanceof Error && error.message.includes('Download is starting'));
}

const TRANSIENT_BROWSER_ERRORS = ['ERR_NAME_NOT_RESOLVED', 'ERR_TIMED_OUT', 'ERR_INTERNET_DISCONNECTED'];

function toFetchError(url: string, error: unknown, timeoutMs: number): FetchError {
  if (error instanceof FetchError) return error;
  if (isPlaywrightTimeout(error)) return timeoutError(url, timeoutMs, error);
  const message = error instanceof Error ? error.message : String(error);
  if (isAbort(error)) return new FetchError(url, `Navigation aborted when trying to fetch '${url}'`, {}, { cause: error });
  // Playwright prefixes the method and appends a call log; the browser's own words are kept verbatim.
  const firstLine = (message.split('\n')[0] ?? message).replace(/^[\w.]+: /, '');
  return new FetchError(
    url,
    firstLine,
    {
      isTransient: TRANSIENT_BROWSER_ERRORS.some(code => firstLine.includes(code)),
      isLikelyBotBlocking: firstLine.includes('ERR_CONNECTION_RESET'),
    },
    { cause: error },
  );
}
