// What fetching takes and gives: a fetched document, the fetch options, their defaults.
import type { ProxySettings } from './proxy.js';

/** Which fetcher produced a snapshot; recorded in the `X-fetcher` trailer. */
export type FetcherName = 'htmlOnly' | 'fullDom';

export interface FetchedDocument {
  /** The URL the content came from, after redirects. */
  readonly url: string;
  /** The raw Content-Type (parameters included) for plain HTTP; `text/html` or `application/pdf` from a browser. */
  readonly mimeType: string;
  /** Text for `text/*` responses (decoded to a string), bytes for anything else (PDFs). */
  readonly content: string | Uint8Array;
  readonly fetcher: FetcherName;
  /** The response's validators, for a conditional request next time (plain HTTP only). */
  readonly validators?: HttpValidators;
}

/** What a server said identifies this version of a page (RFC 9110 §8.8). */
export interface HttpValidators {
  readonly etag?: string;
  readonly lastModified?: string;
}

/** A conditional request's answer when the page is unchanged (HTTP 304). */
export const NOT_MODIFIED = 'not-modified';

export interface FetchOptions {
  /** The whole HTTP request, or the browser navigation. @default 30000 */
  readonly navigationTimeoutMs: number;
  /** How long a browser fetch waits for the selectors to have text. @default 10000 */
  readonly waitForElementsTimeoutMs: number;
  /** BCP 47 tags in priority order, without q-values, e.g. ['en-IE', 'en-GB', 'en']. @default ['en'] */
  readonly languages: readonly string[];
  /** The User-Agent header of plain HTTP fetches. */
  readonly userAgent: string;
  /**
   * Refuse hosts that resolve to addresses that are not public (private, loopback, link-local: cloud metadata
   * endpoints, this server's own services), for the declared URL, each redirect, and a page's own requests in the
   * browser. Recommended for public instances. @default false
   */
  readonly refusePrivateAddresses?: boolean;
  /**
   * The most bytes a response may hold, once decompressed (a page, a PDF, or what a browser page serialises to):
   * a larger one is refused before it is held in memory, so that a decompression bomb or a runaway page fails its
   * terms and not the run. @default 25 MiB
   */
  readonly maxResponseBytes?: number;
  /** An outgoing proxy (HTTP_PROXY, HTTPS_PROXY, NO_PROXY): plain fetches go through it; the browser's is set at launch. */
  readonly proxy?: ProxySettings | undefined;
}

/** The default of FetchOptions.maxResponseBytes: ten times the largest terms page seen in OTA's collections. */
export const DEFAULT_MAX_RESPONSE_BYTES = 25 * 1024 * 1024;

export const DEFAULT_FETCH_OPTIONS: FetchOptions = {
  navigationTimeoutMs: 30_000,
  waitForElementsTimeoutMs: 10_000,
  languages: ['en'],
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
};

/** Parses OTA's `language` setting: comma-separated BCP 47 tags, q-values rejected. */
export function parseLanguages(value: string): string[] {
  if (value.includes(';q=')) {
    throw new Error(
      `Quality factors are not supported in fetcher language configuration; received "${value}". Provide a comma-separated list of BCP 47 tags in priority order, for example "en-IE,en-GB,en".`,
    );
  }
  const tags = value.split(',').map(tag => tag.trim()).filter(tag => tag !== '');
  if (tags.length === 0) throw new Error(`Fetcher language must contain at least one tag; received "${value}".`);
  return tags;
}
