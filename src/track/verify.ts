// `verify`: every recorded version extracted again from the snapshots its commit names, with the declaration in
// force at their dates, and compared byte for byte. A version that does not come out the same is explained from its
// provenance trailers when it can be: rules changed since (a declaration edited without a history entry), another
// extraction code, a snapshot that a skip rule now says is not the terms, or none of these (a real discrepancy).
import type { Service, SourceDocument } from '../declarations/index.js';
import { EXTRACTION_VERSION, type ExtractInput, findSkipRule, joinDocuments } from '../extract/index.js';
import type { RecordChange, SnapshotRepository, StoredSnapshot, VersionRepository } from '../record/index.js';
import { documentAt, documentIdIn } from './capture.js';
import { DECLARATION_DIGEST, declarationDigest, EXTRACTION_VERSION_KEY } from './provenance.js';

export type VerifyStatus = 'reproduced' | 'differs' | 'unverifiable';

export interface VerifiedVersion {
  readonly id: string;
  readonly serviceId: string;
  readonly termsType: string;
  readonly date: Date;
  readonly status: VerifyStatus;
  /** Why it is not reproduced, for a person. */
  readonly reason?: string;
}

export interface VerifyOptions {
  readonly services: readonly Service[];
  readonly snapshots: SnapshotRepository;
  readonly versions: VersionRepository;
  readonly extract: (input: ExtractInput) => Promise<string>;
  readonly serviceIds?: readonly string[] | undefined;
  readonly termsTypes?: readonly string[] | undefined;
}

/** Verifies the versions, oldest first; those of services without a declaration are unverifiable. */
export async function* verifyVersions(options: VerifyOptions): AsyncGenerator<VerifiedVersion> {
  for await (const change of options.versions.changesSince(undefined)) {
    if (options.serviceIds && !options.serviceIds.includes(change.serviceId)) continue;
    if (options.termsTypes && !options.termsTypes.includes(change.termsType)) continue;
    const base = { id: change.id, serviceId: change.serviceId, termsType: change.termsType, date: change.date };
    const outcome = await verifyOne(change, options);
    yield { ...base, ...outcome };
  }
}

async function verifyOne(change: RecordChange, options: VerifyOptions): Promise<{ status: VerifyStatus; reason?: string }> {
  const service = options.services.find(candidate => candidate.id === change.serviceId);
  if (!service?.termsTypes.includes(change.termsType)) return { status: 'unverifiable', reason: 'no declaration of these terms' };
  if (change.snapshotIds.length === 0) return { status: 'unverifiable', reason: 'its commit names no snapshot' };
  const termsThen = service.getTerms(change.termsType, change.date);
  const documentIds = [...new Set([...termsThen.sourceDocuments, ...service.getTerms(change.termsType).sourceDocuments].map(document => documentIdIn(termsThen, document)))];
  const snapshots: StoredSnapshot[] = [];
  for (const id of change.snapshotIds) {
    const snapshot = await findSnapshot(options.snapshots, change.serviceId, change.termsType, documentIds, id);
    if (!snapshot) return { status: 'unverifiable', reason: `snapshot ${id} is not in ${options.snapshots.location}` };
    snapshots.push(snapshot);
  }
  const documents: SourceDocument[] = [];
  const contents: string[] = [];
  for (const snapshot of snapshots) {
    const declared = termsThen.sourceDocuments.find(document => documentIdIn(termsThen, document) === snapshot.documentId) ?? termsThen.sourceDocuments[0];
    if (!declared) return { status: 'unverifiable', reason: `no source document of the declaration matches snapshot ${snapshot.id}` };
    const document = documentAt(service, termsThen, declared, snapshot.fetchDate);
    documents.push(document);
    const skipped = findSkipRule(snapshot.content, snapshot.mimeType, document);
    if (skipped !== undefined) return { status: 'differs', reason: `snapshot ${snapshot.id} is not the terms, as the declaration now says (${skipped}): this version should not exist` };
    try {
      contents.push(await options.extract({ content: snapshot.content, mimeType: snapshot.mimeType, sourceDocument: document }));
    } catch (error) {
      return { status: 'differs', reason: `${explain(change, documents)}its snapshot ${snapshot.id} no longer extracts: ${(error as Error).message}` };
    }
  }
  const markdown = joinDocuments(contents);
  if (markdown === change.content) return { status: 'reproduced' };
  return { status: 'differs', reason: `${explain(change, documents)}${firstDifference(change.content, markdown)}` };
}

/** What the provenance trailers say of why a version may come out otherwise ('' when they say nothing). */
function explain(change: RecordChange, documents: readonly SourceDocument[]): string {
  const digest = change.metadata[DECLARATION_DIGEST];
  if (digest !== undefined && digest !== declarationDigest(documents)) {
    return `the rules in force at ${change.date.toISOString()} were changed since it was recorded (declaration digest ${digest} then, ${declarationDigest(documents)} now: a declaration edited without a history entry); `;
  }
  const extraction = change.metadata[EXTRACTION_VERSION_KEY];
  if (extraction !== undefined && extraction !== EXTRACTION_VERSION) return `it was extracted by extraction code version ${extraction}, this is ${EXTRACTION_VERSION}; `;
  if (extraction === undefined) return `it was recorded without provenance (engine ${change.metadata['x-engine-version'] ?? 'unknown'}): its rules or extraction code may have changed since; `;
  return 'same rules and extraction code, other Markdown; ';
}

function firstDifference(recorded: string, extracted: string): string {
  const [a, b] = [recorded.split('\n'), extracted.split('\n')];
  const line = a.findIndex((text, index) => text !== b[index]);
  const index = line === -1 ? a.length : line;
  const show = (text: string | undefined): string => (text === undefined ? '(end of text)' : JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text));
  return `line ${String(index + 1)} is ${show(a[index])} in the version, ${show(b[index])} extracted now`;
}

/** A snapshot by id, among the documents it may belong to. */
async function findSnapshot(snapshots: SnapshotRepository, serviceId: string, termsType: string, documentIds: readonly string[], id: string): Promise<StoredSnapshot | undefined> {
  for (const documentId of documentIds) {
    const found = await snapshots.read(id, serviceId, termsType, documentId);
    if (found) return found;
  }
  return undefined;
}
