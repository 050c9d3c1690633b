// Remembers, per terms, what its latest version was extracted from: the snapshots, the rules as resolved and
// the extraction code. When all three are unchanged, extracting again would give the same Markdown, so runs
// where nothing changed skip it. The file is a cache: losing it only costs one extraction per terms.
import { createHash } from 'node:crypto';

import type { SourceDocument } from '../declarations/index.js';
import type { SideFiles } from '../record/index.js';
import { documentRules } from './provenance.js';
import { emptyCache, type KeyedCache, openSideFileCache } from './side-file-cache.js';

export interface CachedExtraction {
  readonly fingerprint: string;
  /** The version the fingerprint produced (or found unchanged). */
  readonly versionId: string;
}

export type ExtractionCache = KeyedCache<CachedExtraction>;

/** A fingerprint of everything an extraction depends on. */
export function extractionFingerprint(
  codeVersion: string,
  inputs: readonly { readonly snapshotId: string; readonly document: SourceDocument }[],
): string {
  const hash = createHash('sha256').update(codeVersion);
  for (const { snapshotId, document } of inputs) hash.update('\u0000').update(snapshotId).update('\u0000').update(documentRules(document));
  return hash.digest('hex');
}

/** The cache key of a terms. */
export const termsKey = (serviceId: string, termsType: string): string => `${serviceId}\u0000${termsType}`;

/** The cache, kept as a side file of the versions repository. */
export function openExtractionCache(sideFiles: SideFiles): Promise<ExtractionCache> {
  return openSideFileCache<CachedExtraction>(sideFiles, 'extraction-cache.json');
}

/** A cache that remembers nothing (the default: every version is extracted). */
export const NO_EXTRACTION_CACHE: ExtractionCache = emptyCache<CachedExtraction>();
