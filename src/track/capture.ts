// What a terms' documents hold at one moment, fetched or as stored, and the Markdown they make. Tracking compares it
// with the latest version before recording anything: a capture is only a candidate until it is recorded.
import type { Service, SourceDocument, Terms } from '../declarations/index.js';
import { checkSkipRules, EXTRACTION_VERSION, ExtractError, joinDocuments } from '../extract/index.js';
import { type FetchedDocument, NOT_MODIFIED } from '../fetch/index.js';
import type { StoredSnapshot, StoredVersion } from '../record/index.js';
import { extractionFingerprint, termsKey } from './extraction-cache.js';
import { InaccessibleContentError, PassStoppedError } from './inaccessible-content-error.js';
import type { TrackContext } from './track-context.js';
import { usableValidators, validatorsKey } from './validators-cache.js';

/** One document of a capture. */
export interface DocumentCapture {
  readonly document: SourceDocument;
  readonly documentId: string;
  /** When the content was fetched (the stored snapshot's date when unchanged). */
  readonly date: Date;
  readonly mimeType: string;
  readonly content: string | Uint8Array;
  /** The document's latest snapshot, when the content is that snapshot's (unchanged, or a 304). */
  readonly stored?: StoredSnapshot;
  /** The response, when one was received: to record when new, and for its validators. */
  readonly fetched?: FetchedDocument;
}

export interface Capture {
  readonly documents: readonly DocumentCapture[];
  /** When the capture's fetches started. */
  readonly date: Date;
}

export function documentIdIn(terms: Terms, document: SourceDocument): string {
  return terms.isCombined ? document.id : '';
}

function sameContent(a: string | Uint8Array, b: string | Uint8Array): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a === b;
  const bytes = (content: string | Uint8Array): Buffer => (typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content.buffer, content.byteOffset, content.byteLength));
  return bytes(a).equals(bytes(b));
}

/** Whether two captures hold the same bytes for each document: the same Markdown, without extracting again. */
export function isSameCapture(a: Capture, b: Capture): boolean {
  return (
    a.documents.length === b.documents.length &&
    a.documents.every((item, index) => {
      const other = b.documents[index];
      return other !== undefined && other.document === item.document && other.mimeType === item.mimeType && sameContent(other.content, item.content);
    })
  );
}

export interface CaptureOptions {
  /** Send the validators of the latest snapshots (a first fetch); a confirming fetch asks for the whole page. */
  readonly isConditional: boolean;
  /** Only these documents (a combined terms' new ones). @default all */
  readonly documents?: readonly SourceDocument[];
  /** A capture to repeat: each document is fetched through the fetcher that got it then (a browser stays a browser). */
  readonly like?: Capture;
}

/**
 * Fetches the terms' documents: the capture of those that could be, and the errors of the others. Throws
 * PassStoppedError when the pass stopped before the first request. Nothing is recorded.
 */
export async function captureTerms(terms: Terms, context: TrackContext, options: CaptureOptions): Promise<{ capture: Capture; errors: readonly Error[] }> {
  const date = context.now();
  const documents: DocumentCapture[] = [];
  const errors: Error[] = [];
  for (const [index, document] of (options.documents ?? terms.sourceDocuments).entries()) {
    const documentId = documentIdIn(terms, document);
    const latest = await context.snapshots.findLatest(terms.serviceId, terms.type, documentId);
    const since = options.isConditional ? usableValidators(context.validators.get(validatorsKey(document.location, context.fetchOptions)), latest?.id, date) : undefined;
    // once a terms has fetched a document, it finishes, stopping or not: its snapshots and version go together
    const shouldStart = index === 0 ? () => !context.isStopping() : undefined;
    const before = options.like?.documents.find(item => item.document === document);
    const request = before?.fetched?.fetcher === 'fullDom' && document.executeClientScripts !== true ? { ...document, executeClientScripts: true } : document;
    let fetched: FetchedDocument | typeof NOT_MODIFIED;
    try {
      fetched = await context.hosts.run(document.location, () => context.fetch(request, since), shouldStart);
    } catch (error) {
      if (error instanceof PassStoppedError) throw error;
      errors.push(error instanceof Error ? error : new Error(String(error)));
      continue;
    }
    if (fetched === NOT_MODIFIED) {
      // validators are only sent with a latest snapshot: the server says the page is still that one
      if (latest) documents.push({ document, documentId, date: latest.fetchDate, mimeType: latest.mimeType, content: latest.content, stored: latest });
      continue;
    }
    const isUnchanged = latest !== undefined && latest.mimeType === fetched.mimeType.split(';')[0]?.trim() && sameContent(latest.content, fetched.content);
    documents.push(
      isUnchanged
        ? { document, documentId, date: latest.fetchDate, mimeType: latest.mimeType, content: latest.content, stored: latest, fetched }
        : { document, documentId, date, mimeType: fetched.mimeType, content: fetched.content, fetched },
    );
  }
  return { capture: { documents, date }, errors };
}

/** The source document as declared at a date (history files); the current one when history has no match. */
export function documentAt(service: Service, terms: Terms, document: SourceDocument, date: Date): SourceDocument {
  const termsThen = service.getTerms(terms.type, date);
  return (
    termsThen.sourceDocuments.find(candidate => documentIdIn(termsThen, candidate) === documentIdIn(terms, document)) ??
    (termsThen.sourceDocuments.length === 1 && !terms.isCombined ? termsThen.sourceDocuments[0] : undefined) ??
    document
  );
}

export interface CaptureMarkdown {
  readonly markdown: string;
  /** What the Markdown was extracted from, for the extraction cache; absent when a document is not stored yet. */
  readonly fingerprint?: string;
}

/**
 * The Markdown of a capture, each document extracted with the rules in force at its date. When every document is
 * stored and the extraction cache says the latest version was made from exactly these, that version is the answer.
 */
export async function markdownOf(service: Service, terms: Terms, capture: Capture, latest: StoredVersion | undefined, context: TrackContext): Promise<CaptureMarkdown> {
  const inputs = capture.documents.map(item => ({ ...item, document: documentAt(service, terms, item.document, item.date) }));
  const isStored = inputs.every(item => item.stored !== undefined);
  const fingerprint = isStored
    ? extractionFingerprint(`${EXTRACTION_VERSION}/${context.engineVersion}/${terms.filtersDigest}`, inputs.map(item => ({ snapshotId: item.stored?.id ?? '', document: item.document })))
    : undefined;
  const cached = context.extractionCache.get(termsKey(terms.serviceId, terms.type));
  // Same snapshots, same rules, same code: the Markdown would be the latest version's.
  if (fingerprint !== undefined && latest && cached?.fingerprint === fingerprint && cached.versionId === latest.id) return { markdown: latest.content, fingerprint };
  const errors: Error[] = [];
  const contents: string[] = [];
  for (const item of inputs) {
    try {
      if (item.content.length === 0) throw new ExtractError(`Empty content for source document ${item.document.location}${item.stored ? ` in snapshot ${item.stored.id}` : ''}`);
      checkSkipRules(item.content, item.mimeType, item.document);
      contents.push(await context.extract({ content: item.content, mimeType: item.mimeType, sourceDocument: item.document }));
    } catch (error) {
      errors.push(error instanceof Error ? error : new Error(String(error)));
    }
  }
  if (errors.length > 0) throw new InaccessibleContentError(errors);
  return { markdown: joinDocuments(contents), ...(fingerprint !== undefined && { fingerprint }) };
}
