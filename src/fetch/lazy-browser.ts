// A browser opened on first need and closed by its owner only if it was opened: most runs fetch no page that
// needs scripts, and starting Chromium costs a second and ~200 MB. Its pages can be bounded: each is a renderer
// process of ~110 MB.
import type { BrowserSession } from './browser.js';

export interface LazyBrowserOptions {
  /** Pages rendering at the same time; further fetches wait for one to end. @default unbounded */
  readonly maxPages?: number;
}

export interface LazyBrowser {
  /** The session, opened by the first call; later calls share it (a failure to open is each caller's). */
  get(): Promise<BrowserSession>;
  /** Whether a fetch would get a page at once. */
  hasFreePage(): boolean;
  /** Closes the session if it was opened; a session that failed to open or to close is not an error here. */
  close(): Promise<void>;
}

export function lazyBrowser(open: () => Promise<BrowserSession>, options: LazyBrowserOptions = {}): LazyBrowser {
  const maxPages = Math.max(1, options.maxPages ?? Infinity);
  let session: Promise<BrowserSession> | undefined;
  let active = 0;
  const waiting: (() => void)[] = [];
  const bounded = async (): Promise<BrowserSession> => {
    const opened = await open();
    return {
      fetch: async (url, request, fetchOptions) => {
        while (active >= maxPages) await new Promise<void>(resolve => waiting.push(resolve));
        active++;
        try {
          return await opened.fetch(url, request, fetchOptions);
        } finally {
          active--;
          waiting.shift()?.();
        }
      },
      close: () => opened.close(),
    };
  };
  return {
    get: () => (session ??= bounded()),
    hasFreePage: () => active < maxPages,
    close: async () => {
      if (session) await session.then(opened => opened.close()).catch(() => undefined);
      session = undefined;
    },
  };
}
