// A web archive's past captures of a page: the Internet Archive's CDX API lists them (`/cdx/search/cdx`), and each is
// served raw, as the page was captured, in the `id_` form (`/web/<timestamp>id_/<url>`: no banner, no rewritten
// links). Other archives that answer the same two routes (pywb, OpenWayback, Memento-compatible ones with a CDX
// server) work too. Polite: one request at a time, at most `requestsPerSecond`, and transient failures (429, 5xx,
// network) retried with growing waits.
import { FetchError } from './errors.js';
import { fetchWithHttp } from './http.js';
import type { FetchOptions } from './model.js';

export const INTERNET_ARCHIVE_URL = 'https://web.archive.org';

export interface Capture {
  /** `YYYYMMDDhhmmss`, as the archive names it. */
  readonly timestamp: string;
  readonly date: Date;
  /** The URL captured. */
  readonly url: string;
  readonly mimeType: string;
  /** The archive's digest of the capture's bytes. */
  readonly digest: string;
}

export interface RawCapture {
  readonly content: string | Uint8Array;
  /** The Content-Type the archive gave (the captured page's own, in the `id_` form). */
  readonly mimeType: string;
}

export interface WebArchiveOptions {
  /** e.g. https://web.archive.org (no trailing slash needed). */
  readonly baseUrl: string;
  readonly fetch: FetchOptions;
  /** @default 1 */
  readonly requestsPerSecond?: number;
  /** Tries per request, the first included. @default 4 */
  readonly attempts?: number;
  /** The first wait after a transient failure, doubled each time. @default 5000 */
  readonly retryDelayMs?: number;
  readonly signal?: AbortSignal;
}

/** `YYYYMMDDhhmmss` of a date, in UTC. */
export function archiveTimestamp(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

function dateOf(timestamp: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})?(\d{2})?(\d{2})?$/.exec(timestamp);
  if (!match) return undefined;
  const [, year, month, day, hour = '00', minute = '00', second = '00'] = match;
  const date = new Date(`${year ?? ''}-${month ?? ''}-${day ?? ''}T${hour}:${minute}:${second}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise(resolve => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });

export class WebArchive {
  private readonly base: string;
  private nextRequestAt = 0;
  /** Requests made, retries included. */
  requests = 0;

  constructor(private readonly options: WebArchiveOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
  }

  /** The raw capture's address. */
  captureUrl(capture: Pick<Capture, 'timestamp' | 'url'>): string {
    return `${this.base}/web/${capture.timestamp}id_/${capture.url}`;
  }

  /** One request, after the wait that keeps the rate, tried again on transient failures. */
  private async get(url: string): Promise<RawCapture> {
    const attempts = this.options.attempts ?? 4;
    let wait = this.options.retryDelayMs ?? 5000;
    for (let attempt = 1; ; attempt++) {
      const delay = this.nextRequestAt - Date.now();
      if (delay > 0) await sleep(delay, this.options.signal);
      this.options.signal?.throwIfAborted();
      this.nextRequestAt = Date.now() + 1000 / (this.options.requestsPerSecond ?? 1);
      this.requests++;
      try {
        const fetched = await fetchWithHttp(url, this.options.fetch);
        return { content: fetched.content, mimeType: fetched.mimeType };
      } catch (error) {
        // an archive asks for slower requests with 429 (Too Many Requests)
        const isTransient = error instanceof FetchError && (error.isTransient || error.status === 429);
        if (!isTransient || attempt >= attempts) throw error;
        await sleep(wait, this.options.signal);
        wait *= 2;
      }
    }
  }

  /**
   * The captures of `url` with HTTP status 200 between two dates, oldest first, one per distinct content (the CDX
   * API's `collapse=digest` drops a capture identical to the one before it).
   */
  async captures(url: string, from: Date | undefined, to: Date | undefined): Promise<Capture[]> {
    const query = new URLSearchParams({ url, output: 'json', fl: 'timestamp,original,statuscode,mimetype,digest', filter: 'statuscode:200', collapse: 'digest' });
    if (from) query.set('from', archiveTimestamp(from));
    if (to) query.set('to', archiveTimestamp(to));
    const listing = `${this.base}/cdx/search/cdx?${query.toString()}`;
    const { content } = await this.get(listing);
    const text = typeof content === 'string' ? content : Buffer.from(content).toString('utf8');
    let rows: unknown;
    try {
      rows = text.trim() === '' ? [] : JSON.parse(text);
    } catch {
      throw new FetchError(listing, `The archive's capture list is not JSON: ${text.slice(0, 80)}`);
    }
    if (!Array.isArray(rows)) throw new FetchError(listing, 'The archive\'s capture list is not a JSON array');
    const [header, ...entries] = rows as unknown[][];
    const field = (entry: unknown[], index: number, fallback = ''): string => {
      const value = entry[index];
      return typeof value === 'string' || typeof value === 'number' ? String(value) : fallback;
    };
    const column = (name: string): number => (Array.isArray(header) ? header.indexOf(name) : -1);
    const at = { timestamp: column('timestamp'), original: column('original'), mimetype: column('mimetype'), digest: column('digest') };
    if (at.timestamp < 0 || at.original < 0) throw new FetchError(listing, 'The archive\'s capture list has no timestamp or original column');
    const captures: Capture[] = [];
    for (const entry of entries) {
      const timestamp = field(entry, at.timestamp);
      const date = dateOf(timestamp);
      // the CDX `to` is inclusive and to the second: a capture at `to` itself is not before it
      if (!date || (to && date >= to) || (from && date < from)) continue;
      captures.push({ timestamp, date, url: field(entry, at.original, url), mimeType: field(entry, at.mimetype), digest: field(entry, at.digest) });
    }
    return captures.sort((a, b) => a.date.getTime() - b.date.getTime());
  }

  /** A capture as the page was served then. */
  raw(capture: Pick<Capture, 'timestamp' | 'url'>): Promise<RawCapture> {
    return this.get(this.captureUrl(capture));
  }
}
