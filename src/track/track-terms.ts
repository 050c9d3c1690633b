// One terms, start to end: fetch each source document and record its snapshot, then extract the stored
// snapshots and record the version (OTA-FORMAT §8). Also the technical upgrade of one terms.
import type { Service, SourceDocument, Terms } from '../declarations/index.js';
import { extract, EXTRACTION_VERSION, ExtractError, joinDocuments } from '../extract/index.js';
import { type BrowserSession, fetchDocumentIfChanged, type FetchOptions, NOT_MODIFIED } from '../fetch/index.js';
import type { SnapshotRepository, StoredSnapshot, VersionRepository } from '../record/index.js';
import type { EventHub } from './events.js';
import { type ExtractionCache, extractionFingerprint, termsKey } from './extraction-cache.js';
import type { HostLimiter } from './host-limiter.js';
import { InaccessibleContentError } from './inaccessible-content-error.js';
import { usableValidators, type ValidatorsCache, validatorsKey } from './validators-cache.js';

export interface TrackContext {
  readonly snapshots: SnapshotRepository;
  readonly versions: VersionRepository;
  readonly fetchOptions: FetchOptions;
  readonly engineVersion: string;
  readonly getBrowser: () => Promise<BrowserSession>;
  readonly events: EventHub;
  readonly now: () => Date;
  /** Keeps requests to one host few and spaced, however many terms run in parallel. */
  readonly hosts: HostLimiter;
  readonly extractionCache: ExtractionCache;
  /** Validators of the pages' latest responses, for conditional requests. */
  readonly validators: ValidatorsCache;
}

export interface TermsOutcome {
  readonly snapshotsRecorded: number;
  readonly versionsRecorded: number;
}

function documentIdIn(terms: Terms, document: SourceDocument): string {
  return terms.isCombined ? document.id : '';
}

/** Fetches and records every document; throws InaccessibleContentError when any fetch or extraction fails. */
export async function trackTerms(service: Service, terms: Terms, context: TrackContext): Promise<TermsOutcome> {
  const fetchDate = context.now();
  const { recorded, errors } = await recordSnapshots(terms, terms.sourceDocuments, fetchDate, context);
  if (errors.length > 0) throw new InaccessibleContentError(errors);
  const versionsRecorded = await recordVersion(service, terms, false, context);
  return { snapshotsRecorded: recorded, versionsRecorded };
}

/**
 * Re-extracts the latest stored snapshots with today's rules. Fetches only the documents a combined terms
 * gained since its last version (they have no snapshot yet).
 */
export async function upgradeTerms(service: Service, terms: Terms, context: TrackContext): Promise<TermsOutcome> {
  let snapshotsRecorded = 0;
  if (terms.isCombined && (await context.versions.findLatest(terms.serviceId, terms.type))) {
    const missing: SourceDocument[] = [];
    for (const document of terms.sourceDocuments) {
      const latest = await context.snapshots.findLatest(terms.serviceId, terms.type, documentIdIn(terms, document));
      if (!latest) missing.push(document);
    }
    if (missing.length > 0) {
      const { recorded, errors } = await recordSnapshots(terms, missing, context.now(), context);
      if (errors.length > 0) throw new InaccessibleContentError(errors);
      snapshotsRecorded = recorded;
    }
  }
  const versionsRecorded = await recordVersion(service, terms, true, context);
  return { snapshotsRecorded, versionsRecorded };
}

async function recordSnapshots(
  terms: Terms,
  documents: readonly SourceDocument[],
  fetchDate: Date,
  context: TrackContext,
): Promise<{ recorded: number; errors: Error[] }> {
  const errors: Error[] = [];
  let recorded = 0;
  for (const document of documents) {
    const documentId = documentIdIn(terms, document);
    const cacheKey = validatorsKey(document.location, context.fetchOptions);
    const known = context.validators.get(cacheKey);
    const latest = known ? await context.snapshots.findLatest(terms.serviceId, terms.type, documentId) : undefined;
    const since = usableValidators(known, latest?.id, fetchDate);
    let fetched;
    try {
      fetched = await context.hosts.run(document.location, () =>
        fetchDocumentIfChanged(document, { getBrowser: context.getBrowser }, context.fetchOptions, since),
      );
    } catch (error) {
      errors.push(error instanceof Error ? error : new Error(String(error)));
      continue;
    }
    if (fetched === NOT_MODIFIED && latest) {
      // The server says the page is the one of the latest snapshot: nothing to record, as for identical bytes.
      context.events.emit('snapshotNotChanged', {
        serviceId: terms.serviceId,
        termsType: terms.type,
        documentId,
        fetchDate,
        mimeType: latest.mimeType,
        content: latest.content,
        metadata: { 'x-engine-version': context.engineVersion, 'x-fetcher': 'htmlOnly', 'x-source-document-location': document.location },
        isFirstRecord: false,
      });
      continue;
    }
    if (fetched === NOT_MODIFIED) continue; // unreachable: validators are only sent with a latest snapshot
    const snapshot = {
      serviceId: terms.serviceId,
      termsType: terms.type,
      documentId,
      fetchDate,
      mimeType: fetched.mimeType,
      content: fetched.content,
      metadata: {
        'x-engine-version': context.engineVersion,
        'x-fetcher': fetched.fetcher,
        'x-source-document-location': document.location,
      },
    };
    const result = await context.snapshots.record(snapshot);
    const event = { ...snapshot, ...result };
    if (result.id === undefined) context.events.emit('snapshotNotChanged', event);
    else {
      recorded++;
      context.events.emit(result.isFirstRecord ? 'firstSnapshotRecorded' : 'snapshotRecorded', event);
    }
    if (fetched.validators) {
      const snapshotId = result.id ?? (await context.snapshots.findLatest(terms.serviceId, terms.type, documentId))?.id;
      if (snapshotId) context.validators.set(cacheKey, { ...fetched.validators, snapshotId, receivedAt: fetchDate.toISOString() });
    }
  }
  return { recorded, errors };
}

/** Extracts the latest stored snapshot of each document and records the joined Markdown. Returns 0 or 1. */
async function recordVersion(service: Service, terms: Terms, isTechnicalUpgrade: boolean, context: TrackContext): Promise<number> {
  const inputs: { document: SourceDocument; snapshot: StoredSnapshot }[] = [];
  for (const document of terms.sourceDocuments) {
    const snapshot = await context.snapshots.findLatest(terms.serviceId, terms.type, documentIdIn(terms, document));
    if (!snapshot) return 0; // nothing to extract yet: no version, no event (as OTA)
    inputs.push({ document: documentAt(service, terms, document, snapshot.fetchDate), snapshot });
  }
  const fingerprint = extractionFingerprint(
    `${EXTRACTION_VERSION}/${context.engineVersion}/${terms.filtersDigest}`,
    inputs.map(({ document, snapshot }) => ({ snapshotId: snapshot.id, document })),
  );
  const fetchDate = new Date(Math.max(...inputs.map(({ snapshot }) => snapshot.fetchDate.getTime())));
  const base = {
    serviceId: terms.serviceId,
    termsType: terms.type,
    fetchDate,
    snapshotIds: inputs.map(({ snapshot }) => snapshot.id),
    isTechnicalUpgrade,
    metadata: { 'x-engine-version': context.engineVersion },
  };
  const cached = context.extractionCache.get(termsKey(terms.serviceId, terms.type));
  if (cached?.fingerprint === fingerprint) {
    const latest = await context.versions.findLatest(terms.serviceId, terms.type);
    if (latest?.id === cached.versionId) {
      // Same snapshots, same rules, same code: the Markdown would be the latest version's.
      context.events.emit('versionNotChanged', { ...base, content: latest.content, isFirstRecord: false, mimeType: 'text/markdown' });
      return 0;
    }
  }
  const errors: Error[] = [];
  const contents: string[] = [];
  for (const { document, snapshot } of inputs) {
    try {
      contents.push(await extractSnapshot(document, snapshot));
    } catch (error) {
      errors.push(error instanceof Error ? error : new Error(String(error)));
    }
  }
  if (errors.length > 0) throw new InaccessibleContentError(errors);
  const version = { ...base, content: joinDocuments(contents) };
  const result = await context.versions.record(version);
  const event = { ...version, ...result, mimeType: 'text/markdown' as const };
  const versionId = result.id ?? (await context.versions.findLatest(terms.serviceId, terms.type))?.id;
  if (versionId) context.extractionCache.set(termsKey(terms.serviceId, terms.type), { fingerprint, versionId });
  if (result.id === undefined) {
    context.events.emit('versionNotChanged', event);
    return 0;
  }
  context.events.emit(result.isFirstRecord ? 'firstVersionRecorded' : 'versionRecorded', event);
  return 1;
}

/** The source document as declared at a date (history files); the current one when history has no match. */
function documentAt(service: Service, terms: Terms, document: SourceDocument, date: Date): SourceDocument {
  const termsThen = service.getTerms(terms.type, date);
  return (
    termsThen.sourceDocuments.find(candidate => documentIdIn(termsThen, candidate) === documentIdIn(terms, document)) ??
    (termsThen.sourceDocuments.length === 1 && !terms.isCombined ? termsThen.sourceDocuments[0] : undefined) ??
    document
  );
}

/** Extracts a stored snapshot with the rules that were in force at its fetch date. */
async function extractSnapshot(document: SourceDocument, snapshot: StoredSnapshot): Promise<string> {
  if (snapshot.content.length === 0) {
    throw new ExtractError(`Empty content for source document ${document.location} in snapshot ${snapshot.id}`);
  }
  return extract({ content: snapshot.content, mimeType: snapshot.mimeType, sourceDocument: document });
}
