// The two ways a page is parsed. `light` (parse5 into the light DOM, css-select) is the fast default;
// `jsdom` is OTA's own, used when a service's filter functions need a standard DOM Document, and as the
// reference the light engine is checked against.
import { createRequire } from 'node:module';

import type * as Jsdom from 'jsdom';

import { parseHtml } from './light-dom/parse.js';
import type { PageDocument, PageFragment } from './page.js';

export type EngineName = 'light' | 'jsdom';

export interface ParsedPage {
  readonly document: PageDocument;
  /** The page as a standard DOM Document, for the service's filters (jsdom engine only). */
  readonly nativeDocument: unknown;
  close(): void;
}

export function parsePage(html: string, url: string, engine: EngineName): ParsedPage {
  if (engine === 'light') {
    const document = parseHtml(html, url);
    return { document, nativeDocument: undefined, close: () => undefined };
  }
  const { JSDOM, VirtualConsole } = loadJsdom();
  const dom = new JSDOM(html, { url, virtualConsole: new VirtualConsole() });
  return {
    document: dom.window.document as unknown as PageDocument,
    nativeDocument: dom.window.document,
    close: () => {
      dom.window.close();
    },
  };
}

let jsdom: typeof Jsdom | undefined;

/** jsdom takes ~90 MB once loaded: only runs that use it (service filters, `--engine jsdom`) load it. */
function loadJsdom(): typeof Jsdom {
  jsdom ??= createRequire(import.meta.url)('jsdom') as typeof Jsdom;
  return jsdom;
}

export type { PageFragment };
