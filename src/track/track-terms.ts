// One terms, start to end: fetch each source document and record its snapshot, then extract the stored
// snapshots and record the version (OTA-FORMAT §8). Also the technical upgrade of one terms.
import type { Service, SourceDocument, Terms } from '../declarations/index.js';
import { extract, ExtractError } from '../extract/index.js';
import { type BrowserSession, fetchDocument, type FetchOptions } from '../fetch/index.js';
import type { SnapshotRepository, StoredSnapshot, VersionRepository } from '../record/index.js';
import type { EventHub } from './events.js';
import type { HostLimiter } from './host-limiter.js';
import { InaccessibleContentError } from './inaccessible-content-error.js';

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
}

export interface TermsOutcome {
  readonly snapshotsRecorded: number;
  readonly versionsRecorded: number;
}

const DOCUMENTS_SEPARATOR = '\n\n- - -\n\n';

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
    let fetched;
    try {
      fetched = await context.hosts.run(document.location, () =>
        fetchDocument(document, { getBrowser: context.getBrowser }, context.fetchOptions),
      );
    } catch (error) {
      errors.push(error instanceof Error ? error : new Error(String(error)));
      continue;
    }
    const snapshot = {
      serviceId: terms.serviceId,
      termsType: terms.type,
      documentId: documentIdIn(terms, document),
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
  }
  return { recorded, errors };
}

/** Extracts the latest stored snapshot of each document and records the joined Markdown. Returns 0 or 1. */
async function recordVersion(service: Service, terms: Terms, isTechnicalUpgrade: boolean, context: TrackContext): Promise<number> {
  const snapshots: { document: SourceDocument; snapshot: StoredSnapshot }[] = [];
  for (const document of terms.sourceDocuments) {
    const snapshot = await context.snapshots.findLatest(terms.serviceId, terms.type, documentIdIn(terms, document));
    if (!snapshot) return 0; // nothing to extract yet: no version, no event (as OTA)
    snapshots.push({ document, snapshot });
  }
  const errors: Error[] = [];
  const contents: string[] = [];
  for (const { document, snapshot } of snapshots) {
    try {
      contents.push(await extractSnapshot(service, terms, document, snapshot));
    } catch (error) {
      errors.push(error instanceof Error ? error : new Error(String(error)));
    }
  }
  if (errors.length > 0) throw new InaccessibleContentError(errors);
  const fetchDate = new Date(Math.max(...snapshots.map(({ snapshot }) => snapshot.fetchDate.getTime())));
  const version = {
    serviceId: terms.serviceId,
    termsType: terms.type,
    fetchDate,
    content: contents.join(DOCUMENTS_SEPARATOR),
    snapshotIds: snapshots.map(({ snapshot }) => snapshot.id),
    isTechnicalUpgrade,
    metadata: { 'x-engine-version': context.engineVersion },
  };
  const result = await context.versions.record(version);
  const event = { ...version, ...result, mimeType: 'text/markdown' as const };
  if (result.id === undefined) {
    context.events.emit('versionNotChanged', event);
    return 0;
  }
  context.events.emit(result.isFirstRecord ? 'firstVersionRecorded' : 'versionRecorded', event);
  return 1;
}

/** Extracts a stored snapshot with the rules in force at its fetch date (history files). */
async function extractSnapshot(
  service: Service,
  terms: Terms,
  document: SourceDocument,
  snapshot: StoredSnapshot,
): Promise<string> {
  if (snapshot.content.length === 0) {
    throw new ExtractError(`Empty content for source document ${document.location} in snapshot ${snapshot.id}`);
  }
  const termsThen = service.getTerms(terms.type, snapshot.fetchDate);
  const documentThen =
    termsThen.sourceDocuments.find(candidate => documentIdIn(termsThen, candidate) === documentIdIn(terms, document)) ??
    (termsThen.sourceDocuments.length === 1 && !terms.isCombined ? termsThen.sourceDocuments[0] : undefined) ??
    document;
  return extract({ content: snapshot.content, mimeType: snapshot.mimeType, sourceDocument: documentThen });
}
