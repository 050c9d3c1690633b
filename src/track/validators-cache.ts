// The HTTP validators (ETag, Last-Modified) of each page's latest response, so that the next run can ask the
// server whether the page changed (a conditional request) instead of downloading it again. An entry is trusted
// only while the snapshot it was saved with is still the document's latest, and for a week at most: then the page
// is downloaded in full once, in case a server keeps answering 304 to a page that changed.
import type { FetchOptions, HttpValidators } from '../fetch/index.js';
import type { SideFiles } from '../record/index.js';
import { emptyCache, type KeyedCache, openSideFileCache } from './side-file-cache.js';

export interface StoredValidators extends HttpValidators {
  /** The snapshot recorded (or found unchanged) from the response that carried them. */
  readonly snapshotId: string;
  /** When that response was received (ISO 8601). */
  readonly receivedAt: string;
}

export type ValidatorsCache = KeyedCache<StoredValidators>;

export const MAX_VALIDATORS_AGE_MS = 7 * 24 * 60 * 60 * 1000;

/** The cache key: a page may differ by language, and the languages asked for are part of the request. */
export function validatorsKey(location: string, options: FetchOptions): string {
  return `${location}\u0000${options.languages.join(',')}`;
}

/** The validators to send, or undefined to fetch unconditionally. */
export function usableValidators(entry: StoredValidators | undefined, latestSnapshotId: string | undefined, now: Date): HttpValidators | undefined {
  if (!entry || entry.snapshotId !== latestSnapshotId) return undefined;
  if (now.getTime() - Date.parse(entry.receivedAt) > MAX_VALIDATORS_AGE_MS) return undefined;
  return {
    ...(entry.etag !== undefined && { etag: entry.etag }),
    ...(entry.lastModified !== undefined && { lastModified: entry.lastModified }),
  };
}

/** The cache, kept as a side file of the snapshots repository (validators belong to its snapshots). */
export function openValidatorsCache(sideFiles: SideFiles): Promise<ValidatorsCache> {
  return openSideFileCache<StoredValidators>(sideFiles, 'http-validators.json');
}

export const NO_VALIDATORS_CACHE: ValidatorsCache = emptyCache<StoredValidators>();
