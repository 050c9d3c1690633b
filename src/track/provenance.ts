// What a version's commit says of how it was made, beyond OTA's trailers, so that `verify` can tell a version it
// cannot reproduce from one whose rules have changed since: a digest of the rules it was extracted with (selectors,
// filters and their code, skip rules, each as in force at its snapshot's date) and the extraction code's version.
// OTA's readers keep unknown trailers as opaque metadata.
import { createHash } from 'node:crypto';

import type { SourceDocument } from '../declarations/index.js';
import { EXTRACTION_VERSION } from '../extract/index.js';
import type { RecordMetadata } from '../record/index.js';

export const DECLARATION_DIGEST = 'x-declaration-digest';
export const EXTRACTION_VERSION_KEY = 'x-extraction-version';
/** Of a snapshot (and the versions made from it) that a web archive gave: the archive's address. */
export const BACKFILLED_FROM = 'x-backfilled-from';
/** Of a backfilled snapshot: the raw capture's address. */
export const CAPTURE_URL = 'x-capture-url';

/** The rules of a source document that its Markdown depends on, as one string. */
export function documentRules(document: SourceDocument): string {
  return JSON.stringify({
    location: document.location,
    select: document.contentSelectors ?? null,
    remove: document.insignificantContentSelectors ?? null,
    filters: document.filters.map(step => [step.name, step.params ?? null, step.isBuiltIn, step.run ? String(step.run) : null]),
    ...(document.skip && { skip: document.skip }),
  });
}

/** A short digest of the rules of the documents a version was extracted from, in order. */
export function declarationDigest(documents: readonly SourceDocument[]): string {
  const hash = createHash('sha256');
  for (const document of documents) hash.update(documentRules(document)).update('\u0000');
  return hash.digest('hex').slice(0, 16);
}

/** The trailers of a version: OTA's engine version, then the provenance `verify` reads. */
export function versionMetadata(engineVersion: string, documents: readonly SourceDocument[]): RecordMetadata {
  return { 'x-engine-version': engineVersion, [DECLARATION_DIGEST]: declarationDigest(documents), [EXTRACTION_VERSION_KEY]: EXTRACTION_VERSION };
}
