// One terms, start to end: fetch each source document and record its snapshot, then extract the stored
// snapshots and record the version (OTA-FORMAT §8). Also the technical upgrade of one terms.
import type { Service, SourceDocument, Terms } from '../declarations/index.js';
import { EXTRACTION_VERSION, ExtractError, type ExtractInput, joinDocuments } from '../extract/index.js';
import { type FetchedDocument, type FetchOptions, type HttpValidators, NOT_MODIFIED } from '../fetch/index.js';
import type { SnapshotRepository, StoredSnapshot, VersionRepository } from '../record/index.js';
import type { EventHub } from './events.js';
import { type ExtractionCache, extractionFingerprint, termsKey } from './extraction-cache.js';
import type { HostLimiter } from './host-limiter.js';
import { InaccessibleContentError, PassStoppedError } from './inaccessible-content-error.js';
import { usableValidators, type ValidatorsCache, validatorsKey } from './validators-cache.js';

/** Fetches a source document, conditionally when validators are given. */
export type DocumentFetcher = (document: SourceDocument, since: HttpValidators | undefined) => Promise<FetchedDocument | typeof NOT_MODIFIED>;

export interface TrackContext {
  readonly snapshots: SnapshotRepository;
  readonly versions: VersionRepository;
  /** The options fetches run with (their languages are part of the validators' key). */
  readonly fetchOptions: FetchOptions;
  readonly engineVersion: string;
  readonly fetch: DocumentFetcher;
  readonly events: EventHub;
  readonly now: () => Date;
  /** Keeps requests to one host few and spaced, however many terms run in parallel. */
  readonly hosts: HostLimiter;
  readonly extractionCache: ExtractionCache;
  /** Validators of the pages' latest responses, for conditional requests. */
  readonly validators: ValidatorsCache;
  /** True once the pass is asked to stop: a terms that has not fetched anything yet does not start. */
  readonly isStopping: () => boolean;
  /** Extracts a snapshot (filters of the service's own under a time limit). */
  readonly extract: (input: ExtractInput) => Promise<string>;
}

export interface TermsOutcome {
  readonly snapshotsRecorded: number;
  readonly versionsRecorded: number;
}

function documentIdIn(terms: Terms, document: SourceDocument): string {
  return terms.isCombined ? document.id : '';
}

/**
 * Fetches and records every document, then records the version; throws InaccessibleContentError when any fetch or
 * extraction fails, and PassStoppedError when the pass stopped before the terms fetched anything.
 */
export async function trackTerms(service: Service, terms: Terms, context: TrackContext): Promise<TermsOutcome> {
  const { stored, recorded, errors } = await recordSnapshots(terms, terms.sourceDocuments, context.now(), context);
  if (errors.length > 0) throw new InaccessibleContentError(errors);
  const versionsRecorded = await recordVersion(service, terms, stored, false, context);
  return { snapshotsRecorded: recorded, versionsRecorded };
}

/**
 * Re-extracts the latest stored snapshots with today's rules. Fetches only the documents a combined terms
 * gained since its last version (they have no snapshot yet).
 */
export async function upgradeTerms(service: Service, terms: Terms, context: TrackContext): Promise<TermsOutcome> {
  const latest: (StoredSnapshot | undefined)[] = [];
  for (const document of terms.sourceDocuments) latest.push(await context.snapshots.findLatest(terms.serviceId, terms.type, documentIdIn(terms, document)));
  const missing = terms.sourceDocuments.filter((_document, index) => latest[index] === undefined);
  let snapshotsRecorded = 0;
  if (terms.isCombined && missing.length > 0 && (await context.versions.findLatest(terms.serviceId, terms.type))) {
    const { stored, recorded, errors } = await recordSnapshots(terms, missing, context.now(), context);
    if (errors.length > 0) throw new InaccessibleContentError(errors);
    for (const snapshot of stored) latest[terms.sourceDocuments.findIndex(document => documentIdIn(terms, document) === snapshot.documentId)] = snapshot;
    snapshotsRecorded = recorded;
  }
  const snapshots = latest.filter((snapshot): snapshot is StoredSnapshot => snapshot !== undefined);
  // nothing to extract yet: no version, no event (as OTA)
  if (snapshots.length < terms.sourceDocuments.length) return { snapshotsRecorded, versionsRecorded: 0 };
  const versionsRecorded = await recordVersion(service, terms, snapshots, true, context);
  return { snapshotsRecorded, versionsRecorded };
}

interface RecordedSnapshots {
  /** The latest snapshot of each document fetched, in their order (the new one or the unchanged one). */
  readonly stored: StoredSnapshot[];
  recorded: number;
  readonly errors: Error[];
}

async function recordSnapshots(terms: Terms, documents: readonly SourceDocument[], fetchDate: Date, context: TrackContext): Promise<RecordedSnapshots> {
  const result: RecordedSnapshots = { stored: [], recorded: 0, errors: [] };
  for (const [index, document] of documents.entries()) {
    const documentId = documentIdIn(terms, document);
    const cacheKey = validatorsKey(document.location, context.fetchOptions);
    const known = context.validators.get(cacheKey);
    const latest = known ? await context.snapshots.findLatest(terms.serviceId, terms.type, documentId) : undefined;
    const since = usableValidators(known, latest?.id, fetchDate);
    // once a terms has fetched a document, it finishes, stopping or not: its snapshots and version go together
    const shouldStart = index === 0 ? () => !context.isStopping() : undefined;
    let fetched;
    try {
      fetched = await context.hosts.run(document.location, () => context.fetch(document, since), shouldStart);
    } catch (error) {
      if (error instanceof PassStoppedError) throw error;
      result.errors.push(error instanceof Error ? error : new Error(String(error)));
      continue;
    }
    const metadata = {
      'x-engine-version': context.engineVersion,
      'x-fetcher': fetched === NOT_MODIFIED ? 'htmlOnly' : fetched.fetcher,
      'x-source-document-location': document.location,
    };
    if (fetched === NOT_MODIFIED) {
      // validators are only sent with a latest snapshot; the server says the page is still that one: nothing to
      // record, as for identical bytes
      if (!latest) continue;
      result.stored.push(latest);
      const { serviceId, termsType, mimeType, content } = latest;
      context.events.emit('snapshotNotChanged', { serviceId, termsType, documentId, fetchDate, mimeType, content, metadata, isFirstRecord: false });
      continue;
    }
    const snapshot = { serviceId: terms.serviceId, termsType: terms.type, documentId, fetchDate, mimeType: fetched.mimeType, content: fetched.content, metadata };
    const recorded = await context.snapshots.record(snapshot);
    result.stored.push(recorded.record);
    if (recorded.isNew) {
      result.recorded++;
      context.events.emit(recorded.isFirstRecord ? 'firstSnapshotRecorded' : 'snapshotRecorded', { ...snapshot, id: recorded.record.id, isFirstRecord: recorded.isFirstRecord });
    } else context.events.emit('snapshotNotChanged', { ...snapshot, isFirstRecord: false });
    if (fetched.validators) context.validators.set(cacheKey, { ...fetched.validators, snapshotId: recorded.record.id, receivedAt: fetchDate.toISOString() });
  }
  return result;
}

/** Extracts the latest snapshot of each document and records the joined Markdown. Returns 0 or 1. */
async function recordVersion(
  service: Service,
  terms: Terms,
  snapshots: readonly StoredSnapshot[],
  isTechnicalUpgrade: boolean,
  context: TrackContext,
): Promise<number> {
  const inputs = terms.sourceDocuments.map((document, index) => {
    const snapshot = snapshots[index] as StoredSnapshot;
    return { document: documentAt(service, terms, document, snapshot.fetchDate), snapshot };
  });
  const fingerprint = extractionFingerprint(
    `${EXTRACTION_VERSION}/${context.engineVersion}/${terms.filtersDigest}`,
    inputs.map(({ document, snapshot }) => ({ snapshotId: snapshot.id, document })),
  );
  const base = {
    serviceId: terms.serviceId,
    termsType: terms.type,
    fetchDate: new Date(Math.max(...inputs.map(({ snapshot }) => snapshot.fetchDate.getTime()))),
    snapshotIds: inputs.map(({ snapshot }) => snapshot.id),
    isTechnicalUpgrade,
    metadata: { 'x-engine-version': context.engineVersion },
    mimeType: 'text/markdown' as const,
  };
  const cacheKey = termsKey(terms.serviceId, terms.type);
  if (context.extractionCache.get(cacheKey)?.fingerprint === fingerprint) {
    const latest = await context.versions.findLatest(terms.serviceId, terms.type);
    if (latest && latest.id === context.extractionCache.get(cacheKey)?.versionId) {
      // Same snapshots, same rules, same code: the Markdown would be the latest version's.
      context.events.emit('versionNotChanged', { ...base, content: latest.content, isFirstRecord: false });
      return 0;
    }
  }
  const errors: Error[] = [];
  const contents: string[] = [];
  for (const { document, snapshot } of inputs) {
    try {
      contents.push(await extractSnapshot(document, snapshot, context));
    } catch (error) {
      errors.push(error instanceof Error ? error : new Error(String(error)));
    }
  }
  if (errors.length > 0) throw new InaccessibleContentError(errors);
  const { mimeType, ...version } = { ...base, content: joinDocuments(contents) };
  const recorded = await context.versions.record(version);
  context.extractionCache.set(cacheKey, { fingerprint, versionId: recorded.record.id });
  if (!recorded.isNew) {
    context.events.emit('versionNotChanged', { ...version, mimeType, isFirstRecord: false });
    return 0;
  }
  context.events.emit(recorded.isFirstRecord ? 'firstVersionRecorded' : 'versionRecorded', { ...version, mimeType, id: recorded.record.id, isFirstRecord: recorded.isFirstRecord });
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
async function extractSnapshot(document: SourceDocument, snapshot: StoredSnapshot, context: TrackContext): Promise<string> {
  if (snapshot.content.length === 0) {
    throw new ExtractError(`Empty content for source document ${document.location} in snapshot ${snapshot.id}`);
  }
  return context.extract({ content: snapshot.content, mimeType: snapshot.mimeType, sourceDocument: document });
}
