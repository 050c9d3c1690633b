// One terms, start to end (OTA-FORMAT §8): its documents fetched, their Markdown extracted and compared with the
// latest version, and only then recorded. A Markdown that differs is a candidate: it is recorded once a later fetch
// gives the same Markdown (confirmed), and dropped when a later fetch gives the latest version back (a transient
// page: a bot wall, a placeholder, a truncated response). Also the technical upgrade of one terms.
import type { Service, SourceDocument, Terms } from '../declarations/index.js';
import { type HeldVersion, heldIdOf, type HoldReason, type StoredSnapshot, type StoredVersion } from '../record/index.js';
import { type Capture, captureTerms, type DocumentCapture, isSameCapture, type CaptureMarkdown, documentAt, documentIdIn, markdownOf } from './capture.js';
import { EXTRACTION_VERSION, SkippedPageError } from '../extract/index.js';
import { extractionFingerprint, termsKey } from './extraction-cache.js';
import { InaccessibleContentError, UnstableContentError } from './inaccessible-content-error.js';
import { findSuspicions } from './suspect/suspect-content.js';
import { versionMetadata } from './provenance.js';
import type { TrackContext } from './track-context.js';
import { validatorsKey } from './validators-cache.js';

export type { DocumentFetcher, TrackContext } from './track-context.js';

export interface TermsOutcome {
  readonly snapshotsRecorded: number;
  readonly versionsRecorded: number;
  /** A change seen once and not again: the fetch that showed it was not the service's terms. */
  readonly unconfirmed: number;
  /** A confirmed change that looks like something other than the terms: held in quarantine, not recorded. */
  readonly held?: { readonly version: HeldVersion; readonly isNew: boolean };
}

/** A terms whose Markdown differs from its latest version, waiting for a later fetch to confirm it. */
export interface Candidate {
  readonly capture: Capture;
  readonly markdown: string;
  readonly latest: StoredVersion | undefined;
  /** Fetches made so far. */
  readonly fetches: number;
}

/**
 * Fetches the documents and records them when their Markdown is the latest version's; returns a Candidate when it
 * differs (nothing is recorded then). Throws InaccessibleContentError when a fetch or an extraction fails, and
 * PassStoppedError when the pass stopped before the terms fetched anything.
 */
export async function trackTerms(service: Service, terms: Terms, context: TrackContext): Promise<TermsOutcome | Candidate> {
  const latest = await context.versions.findLatest(terms.serviceId, terms.type);
  const { capture, errors } = await captureTerms(terms, context, { isConditional: true });
  let result: CaptureMarkdown;
  try {
    if (errors.length > 0) throw new InaccessibleContentError([...errors]);
    result = await markdownOf(service, terms, capture, latest, context);
  } catch (error) {
    // what was fetched is kept, as OTA keeps it: the raw pages a declaration can be fixed against; but not a page its
    // declaration says is not the terms (the next technical upgrade, OTA's included, would extract it into a version)
    const isSkipped = error instanceof InaccessibleContentError && error.errors.some(cause => cause instanceof SkippedPageError);
    if (!isSkipped) await recordSnapshots(terms, capture, false, context);
    // a page just fetched that does not extract may be a transient one (truncated, a placeholder): one more try
    const isFreshPage = errors.length === 0 && capture.documents.some(item => item.stored === undefined);
    if (isFreshPage && error instanceof InaccessibleContentError) throw new InaccessibleContentError(error.errors, true);
    throw error;
  }
  if (latest && result.markdown === latest.content) return recordCapture(service, terms, capture, result, { latest, isTechnicalUpgrade: false }, context);
  // the same text was confirmed and held by an earlier run: held again, without asking the service twice
  const held = await context.quarantine.get(heldIdOf(terms.serviceId, terms.type, result.markdown));
  if (held) return holdCapture(service, terms, capture, result.markdown, held.reasons, latest, context);
  if (context.confirmation.fetches <= 1) return recordChange(service, terms, capture, result, latest, context);
  return { capture, markdown: result.markdown, latest, fetches: 1 };
}

/**
 * Fetches a candidate's documents again (after the confirmation delay, counted from its last fetch) until two
 * consecutive fetches agree; records what they agree on. When none agree within the fetches allowed, nothing is
 * recorded and the terms is reported: its page is not stable.
 */
export async function confirmTerms(service: Service, terms: Terms, candidate: Candidate, context: TrackContext): Promise<TermsOutcome> {
  let { capture, markdown } = candidate;
  const markdowns = [markdown];
  for (let fetches = candidate.fetches + 1; fetches <= context.confirmation.fetches; fetches++) {
    const wait = capture.date.getTime() + context.confirmation.delayMs - context.now().getTime();
    if (wait > 0) await new Promise(resolve => setTimeout(resolve, wait));
    const { capture: again, errors } = await captureTerms(terms, context, { isConditional: false, like: capture });
    if (errors.length > 0) throw new InaccessibleContentError([...errors]);
    // the same bytes as the fetch before: the same Markdown (extraction is deterministic), not extracted again
    const result = isSameCapture(again, capture) ? { markdown } : await markdownOf(service, terms, again, candidate.latest, context);
    const options = { latest: candidate.latest, isTechnicalUpgrade: false };
    if (result.markdown === markdown) return recordChange(service, terms, again, result, candidate.latest, context);
    if (candidate.latest && result.markdown === candidate.latest.content) {
      context.events.emit('info', {
        message: 'A change seen on the first fetch was not there on the next one: not recorded (a transient page, such as a bot wall, a placeholder or a truncated response)',
        serviceId: terms.serviceId,
        termsType: terms.type,
      });
      return { ...(await recordCapture(service, terms, again, result, options, context)), unconfirmed: 1 };
    }
    capture = again;
    markdown = result.markdown;
    markdowns.push(markdown);
  }
  throw new InaccessibleContentError([new UnstableContentError(terms, markdowns.length, context.confirmation.delayMs)]);
}

/**
 * Re-extracts the latest stored snapshots with today's rules. Fetches only the documents a combined terms
 * gained since its last version (they have no snapshot yet).
 */
export async function upgradeTerms(service: Service, terms: Terms, context: TrackContext): Promise<TermsOutcome> {
  const stored: (StoredSnapshot | undefined)[] = [];
  for (const document of terms.sourceDocuments) stored.push(await context.snapshots.findLatest(terms.serviceId, terms.type, documentIdIn(terms, document)));
  const latest = await context.versions.findLatest(terms.serviceId, terms.type);
  const missing = terms.sourceDocuments.filter((_document, index) => stored[index] === undefined);
  const captured = terms.isCombined && missing.length > 0 && latest ? await captureTerms(terms, context, { isConditional: false, documents: missing }) : undefined;
  if (captured && captured.errors.length > 0) throw new InaccessibleContentError([...captured.errors]);
  const fetched = captured?.capture;
  const documents = terms.sourceDocuments.flatMap((document, index) => {
    const snapshot = stored[index];
    if (snapshot) return [{ document, documentId: snapshot.documentId, date: snapshot.fetchDate, mimeType: snapshot.mimeType, content: snapshot.content, stored: snapshot }];
    return fetched?.documents.filter(item => item.document === document) ?? [];
  });
  // nothing to extract yet: no version, no event (as OTA)
  if (documents.length < terms.sourceDocuments.length) return { snapshotsRecorded: 0, versionsRecorded: 0, unconfirmed: 0 };
  const capture: Capture = { documents, date: context.now() };
  const result = await markdownOf(service, terms, capture, latest, context);
  return recordCapture(service, terms, capture, result, { latest, isTechnicalUpgrade: true }, context);
}

/** Records a confirmed change, unless a suspect-content rule holds it in quarantine. */
async function recordChange(service: Service, terms: Terms, capture: Capture, result: CaptureMarkdown, latest: StoredVersion | undefined, context: TrackContext): Promise<TermsOutcome> {
  const reasons = await findSuspicions(
    { markdown: result.markdown, latest, versions: limit => context.versions.list(terms.serviceId, terms.type, limit), now: context.now() },
    context.suspectRules,
  );
  if (reasons.length > 0) return holdCapture(service, terms, capture, result.markdown, reasons, latest, context);
  return recordCapture(service, terms, capture, result, { latest, isTechnicalUpgrade: false }, context);
}

/** Holds the capture's Markdown in quarantine, with what was fetched: nothing goes to either repository. */
async function holdCapture(service: Service, terms: Terms, capture: Capture, markdown: string, reasons: readonly HoldReason[], latest: StoredVersion | undefined, context: TrackContext): Promise<TermsOutcome> {
  const held = await context.quarantine.hold({
    serviceId: terms.serviceId,
    termsType: terms.type,
    fetchDate: new Date(Math.max(...capture.documents.map(item => item.date.getTime()))),
    content: markdown,
    snapshots: capture.documents.map(item => ({
      documentId: item.documentId,
      fetchDate: item.date,
      mimeType: item.mimeType,
      metadata: snapshotMetadata(item, context),
      ...(item.stored ? { id: item.stored.id } : { content: item.content }),
    })),
    reasons,
    latestVersionId: latest?.id,
    metadata: versionMetadata(context.engineVersion, capture.documents.map(item => documentAt(service, terms, item.document, item.date))),
  });
  return { snapshotsRecorded: 0, versionsRecorded: 0, unconfirmed: 0, held: { version: held.held, isNew: held.isNew } };
}

function snapshotMetadata(item: DocumentCapture, context: TrackContext): Record<string, string> {
  return {
    'x-engine-version': context.engineVersion,
    'x-fetcher': item.fetched?.fetcher ?? 'htmlOnly',
    'x-source-document-location': item.document.location,
  };
}

/** Records a capture: its new snapshots, then its version if the Markdown changed. */
async function recordCapture(
  service: Service,
  terms: Terms,
  capture: Capture,
  result: CaptureMarkdown,
  options: { readonly latest: StoredVersion | undefined; readonly isTechnicalUpgrade: boolean },
  context: TrackContext,
): Promise<TermsOutcome> {
  const { snapshots, snapshotsRecorded } = await recordSnapshots(terms, capture, options.isTechnicalUpgrade, context);
  const version = {
    serviceId: terms.serviceId,
    termsType: terms.type,
    fetchDate: new Date(Math.max(...snapshots.map(snapshot => snapshot.fetchDate.getTime()))),
    content: result.markdown,
    snapshotIds: snapshots.map(snapshot => snapshot.id),
    isTechnicalUpgrade: options.isTechnicalUpgrade,
    metadata: versionMetadata(context.engineVersion, documentsUsed(service, terms, capture, snapshots)),
  };
  const mimeType = 'text/markdown' as const;
  if (options.latest && options.latest.content === result.markdown && result.fingerprint !== undefined) {
    // same snapshots and same Markdown as the latest version: nothing to ask the repository
    context.events.emit('versionNotChanged', { ...version, mimeType, isFirstRecord: false });
    context.extractionCache.set(termsKey(terms.serviceId, terms.type), { fingerprint: result.fingerprint, versionId: options.latest.id });
    return { snapshotsRecorded, versionsRecorded: 0, unconfirmed: 0 };
  }
  const recorded = await context.versions.record(version);
  const fingerprint = extractionFingerprint(
    `${EXTRACTION_VERSION}/${context.engineVersion}/${terms.filtersDigest}`,
    documentsUsed(service, terms, capture, snapshots).map((document, index) => ({ snapshotId: snapshots[index]?.id ?? '', document })),
  );
  context.extractionCache.set(termsKey(terms.serviceId, terms.type), { fingerprint, versionId: recorded.record.id });
  if (!recorded.isNew) {
    context.events.emit('versionNotChanged', { ...version, mimeType, isFirstRecord: false });
    return { snapshotsRecorded, versionsRecorded: 0, unconfirmed: 0 };
  }
  context.events.emit(recorded.isFirstRecord ? 'firstVersionRecorded' : 'versionRecorded', { ...version, mimeType, id: recorded.record.id, isFirstRecord: recorded.isFirstRecord });
  return { snapshotsRecorded, versionsRecorded: 1, unconfirmed: 0 };
}

/** The source documents as declared at each snapshot's date: the rules the capture's Markdown was extracted with. */
function documentsUsed(service: Service, terms: Terms, capture: Capture, snapshots: readonly StoredSnapshot[]): SourceDocument[] {
  return snapshots.map((snapshot, index) => documentAt(service, terms, capture.documents[index]?.document ?? terms.sourceDocuments[index]!, snapshot.fetchDate));
}

/** Records the capture's new snapshots; returns each document's latest snapshot, in order. */
async function recordSnapshots(
  terms: Terms,
  capture: Capture,
  isTechnicalUpgrade: boolean,
  context: TrackContext,
): Promise<{ snapshots: StoredSnapshot[]; snapshotsRecorded: number }> {
  let snapshotsRecorded = 0;
  const snapshots: StoredSnapshot[] = [];
  for (const item of capture.documents) {
    const snapshot = {
      serviceId: terms.serviceId,
      termsType: terms.type,
      documentId: item.documentId,
      fetchDate: item.date,
      mimeType: item.mimeType,
      content: item.content,
      metadata: snapshotMetadata(item, context),
    };
    let stored = item.stored;
    if (stored) {
      // the latest snapshot holds this content already (unchanged bytes, or a 304)
      if (item.fetched !== undefined || !isTechnicalUpgrade) context.events.emit('snapshotNotChanged', { ...snapshot, fetchDate: capture.date, isFirstRecord: false });
    } else {
      const recorded = await context.snapshots.record(snapshot);
      stored = recorded.record;
      if (recorded.isNew) {
        snapshotsRecorded++;
        context.events.emit(recorded.isFirstRecord ? 'firstSnapshotRecorded' : 'snapshotRecorded', { ...snapshot, id: recorded.record.id, isFirstRecord: recorded.isFirstRecord });
      } else context.events.emit('snapshotNotChanged', { ...snapshot, isFirstRecord: false });
    }
    snapshots.push(stored);
    const validators = item.fetched?.validators;
    if (validators) context.validators.set(validatorsKey(item.document.location, context.fetchOptions), { ...validators, snapshotId: stored.id, receivedAt: capture.date.toISOString() });
  }
  return { snapshots, snapshotsRecorded };
}
