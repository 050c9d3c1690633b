import { ArchiverError } from '../archiver-error.js';

/** What the caller should do about a failed fetch, decided where the failure happens (OTA-FORMAT §5.7). */
export interface FetchFailureKind {
  /** Worth one more try at the end of the run: timeouts, DNS hiccups, 5xx, and bot blocking. */
  readonly isTransient: boolean;
  /** The site probably refused a non-browser client: 403, 406, 502, or a reset connection. */
  readonly isLikelyBotBlocking: boolean;
}

/**
 * A document could not be fetched. The message carries OTA's wording, prefixed with "Fetch failed: ",
 * because reports and issue labels match on it.
 */
export class FetchError extends ArchiverError implements FetchFailureKind {
  override name = 'FetchError';
  readonly url: string;
  readonly detail: string;
  readonly isTransient: boolean;
  readonly isLikelyBotBlocking: boolean;
  /** The HTTP status, when the server answered with an error. */
  status?: number;

  constructor(url: string, detail: string, kind: Partial<FetchFailureKind> = {}, options?: ErrorOptions) {
    super(`Fetch failed: ${detail}`, options);
    this.url = url;
    this.detail = detail;
    this.isLikelyBotBlocking = kind.isLikelyBotBlocking ?? false;
    this.isTransient = (kind.isTransient ?? false) || this.isLikelyBotBlocking;
  }
}

const BOT_BLOCKING_STATUSES = new Set([403, 406, 502]);
const TRANSIENT_STATUSES = new Set([500, 503, 504]);
const TRANSIENT_CODES = new Set(['EAI_AGAIN', 'ETIMEDOUT', 'ERR_NAME_NOT_RESOLVED']);

export function httpStatusError(url: string, status: number): FetchError {
  const error = new FetchError(url, `Received HTTP code ${status} when trying to fetch '${url}'`, {
    isLikelyBotBlocking: BOT_BLOCKING_STATUSES.has(status),
    isTransient: TRANSIENT_STATUSES.has(status),
  });
  error.status = status;
  return error;
}

export function networkError(url: string, code: string, cause: unknown): FetchError {
  return new FetchError(
    url,
    `Network system error ${code} occurred when trying to fetch '${url}'`,
    { isLikelyBotBlocking: code === 'ECONNRESET', isTransient: TRANSIENT_CODES.has(code) },
    { cause },
  );
}

export function timeoutError(url: string, timeoutMs: number, cause?: unknown): FetchError {
  return new FetchError(
    url,
    `Timed out after ${timeoutMs / 1000} seconds when trying to fetch '${url}'`,
    { isTransient: true },
    { cause },
  );
}

export function emptyContentError(url: string): FetchError {
  return new FetchError(url, `Received an empty content when fetching '${url}'`);
}

export function tooLargeError(url: string, maxBytes: number): FetchError {
  return new FetchError(url, `Received more than ${formatBytes(maxBytes)} (decompressed) when trying to fetch '${url}': no terms page is that large (maxResponseBytes)`);
}

export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB` : `${String(bytes)} bytes`;
}
