// `rebuild-versions`: the versions history made again from the snapshots, each extracted with the declaration,
// history entries, filters and skip rules in force at its date, into another repository. The terms not selected are
// copied as they are, so that the result can replace the current history whole. What changed is compared per terms.
import { createHash } from 'node:crypto';

import type { Service, SourceDocument, Terms } from '../declarations/index.js';
import { type ExtractInput, findSkipRule, joinDocuments } from '../extract/index.js';
import type { SnapshotRepository, StoredSnapshot, VersionRepository } from '../record/index.js';
import { documentIdIn } from './capture.js';
import { BACKFILLED_FROM, versionMetadata } from './provenance.js';

export interface RebuildOptions {
  readonly services: readonly Service[];
  readonly snapshots: SnapshotRepository;
  /** The versions as they are (read). */
  readonly current: VersionRepository;
  /** An empty repository the history is rebuilt into. */
  readonly target: VersionRepository;
  readonly extract: (input: ExtractInput) => Promise<string>;
  readonly engineVersion: string;
  readonly serviceIds?: readonly string[] | undefined;
  readonly termsTypes?: readonly string[] | undefined;
  /** The snapshots' new ids, when `snapshots` is a rewritten copy of the repository the versions name: copied versions name them instead. */
  readonly snapshotIdMap?: ReadonlyMap<string, string>;
}

/** A version as compared: its date and a digest of its text. */
interface VersionMark {
  readonly id: string;
  readonly date: Date;
  readonly digest: string;
}

export interface TermsComparison {
  readonly serviceId: string;
  readonly termsType: string;
  readonly before: number;
  readonly after: number;
  /** Versions of the current history with no version of the same text at the same date in the rebuilt one. */
  readonly dropped: readonly VersionMark[];
  /** Rebuilt versions with no version of the same text at the same date in the current history. */
  readonly added: readonly VersionMark[];
  /** Snapshots a skip rule refused, with the rule. */
  readonly skipped: readonly { readonly snapshotId: string; readonly rule: string }[];
  /** Snapshots that did not extract (no version made from them). */
  readonly failed: number;
}

export interface RebuildResult {
  readonly comparisons: readonly TermsComparison[];
  /** Versions of terms not selected, copied as they were. */
  readonly copied: number;
  /** Versions recorded from the snapshots. */
  readonly rebuilt: number;
}

const digestOf = (text: string): string => createHash('sha256').update(text).digest('hex');
const termsKey = (serviceId: string, termsType: string): string => `${serviceId}\u0000${termsType}`;

export async function rebuildVersions(options: RebuildOptions): Promise<RebuildResult> {
  const isSelected = (serviceId: string, termsType: string): boolean => {
    const service = options.services.find(candidate => candidate.id === serviceId);
    if (!service?.termsTypes.includes(termsType)) return false;
    return (!options.serviceIds || options.serviceIds.includes(serviceId)) && (!options.termsTypes || options.termsTypes.includes(termsType));
  };
  const comparisons = new Map<string, { serviceId: string; termsType: string; before: VersionMark[]; after: VersionMark[]; skipped: { snapshotId: string; rule: string }[]; failed: number }>();
  const comparisonOf = (serviceId: string, termsType: string): NonNullable<ReturnType<typeof comparisons.get>> => {
    const key = termsKey(serviceId, termsType);
    let comparison = comparisons.get(key);
    if (!comparison) comparisons.set(key, (comparison = { serviceId, termsType, before: [], after: [], skipped: [], failed: 0 }));
    return comparison;
  };
  // the terms not rebuilt are copied first, as they are; each terms' own order is what readers rely on
  let copied = 0;
  for await (const change of options.current.changesSince(undefined)) {
    if (isSelected(change.serviceId, change.termsType)) {
      comparisonOf(change.serviceId, change.termsType).before.push({ id: change.id, date: change.date, digest: digestOf(change.content) });
      continue;
    }
    const recorded = await options.target.record({
      serviceId: change.serviceId,
      termsType: change.termsType,
      fetchDate: change.date,
      content: change.content,
      snapshotIds: change.snapshotIds.map(id => options.snapshotIdMap?.get(id) ?? id),
      isTechnicalUpgrade: change.isTechnicalUpgrade,
      metadata: change.metadata,
    });
    if (recorded.isNew) copied++;
  }
  let rebuilt = 0;
  /** Each document's latest snapshot that is the terms (skip rules refuse the others). */
  const latest = new Map<string, StoredSnapshot>();
  const lastText = new Map<string, string>();
  /** The Markdown of each document's latest snapshot: a combined terms' other documents are not extracted again. */
  const extracted = new Map<string, { readonly snapshotId: string; readonly markdown: string }>();
  for await (const snapshot of options.snapshots.history()) {
    if (!isSelected(snapshot.serviceId, snapshot.termsType)) continue;
    const service = options.services.find(candidate => candidate.id === snapshot.serviceId)!;
    const terms = service.getTerms(snapshot.termsType, snapshot.fetchDate);
    const document = terms.sourceDocuments.find(candidate => documentIdIn(terms, candidate) === snapshot.documentId);
    if (!document) continue; // a document the declaration did not have at that date
    const comparison = comparisonOf(snapshot.serviceId, snapshot.termsType);
    const rule = findSkipRule(snapshot.content, snapshot.mimeType, document);
    if (rule !== undefined) {
      comparison.skipped.push({ snapshotId: snapshot.id, rule });
      continue;
    }
    latest.set(`${termsKey(snapshot.serviceId, snapshot.termsType)}\u0000${snapshot.documentId}`, snapshot);
    const made = await markdownAt(service, terms, snapshot.fetchDate, latest, extracted, options.extract);
    if (made === 'incomplete') continue;
    if (made === 'failed') {
      comparison.failed++;
      continue;
    }
    const key = termsKey(snapshot.serviceId, snapshot.termsType);
    if (lastText.get(key) === made.markdown) continue;
    lastText.set(key, made.markdown);
    const recorded = await options.target.record({
      serviceId: snapshot.serviceId,
      termsType: snapshot.termsType,
      fetchDate: new Date(Math.max(...made.snapshots.map(used => used.fetchDate.getTime()))),
      content: made.markdown,
      snapshotIds: made.snapshots.map(used => used.id),
      isTechnicalUpgrade: false,
      metadata: { ...versionMetadata(options.engineVersion, made.documents), ...backfillMetadata(made.snapshots) },
    });
    if (!recorded.isNew) continue;
    rebuilt++;
    comparison.after.push({ id: recorded.record.id, date: recorded.record.fetchDate, digest: digestOf(made.markdown) });
  }
  return { comparisons: [...comparisons.values()].map(compare), copied, rebuilt };
}

/** A version made from a snapshot a web archive gave is marked so, with the archive (backfill.ts). */
function backfillMetadata(snapshots: readonly StoredSnapshot[]): Record<string, string> {
  const archive = snapshots.map(snapshot => snapshot.metadata?.[BACKFILLED_FROM]).find(value => value !== undefined);
  return archive === undefined ? {} : { [BACKFILLED_FROM]: archive };
}

/** The terms' Markdown from each document's latest snapshot, once every document has one. */
async function markdownAt(
  service: Service,
  terms: Terms,
  date: Date,
  latest: ReadonlyMap<string, StoredSnapshot>,
  extracted: Map<string, { readonly snapshotId: string; readonly markdown: string }>,
  extract: (input: ExtractInput) => Promise<string>,
): Promise<'incomplete' | 'failed' | { markdown: string; snapshots: StoredSnapshot[]; documents: SourceDocument[] }> {
  const snapshots: StoredSnapshot[] = [];
  const documents: SourceDocument[] = [];
  const keys: string[] = [];
  for (const document of terms.sourceDocuments) {
    const key = `${termsKey(terms.serviceId, terms.type)}\u0000${documentIdIn(terms, document)}`;
    const snapshot = latest.get(key);
    if (!snapshot) return 'incomplete';
    keys.push(key);
    snapshots.push(snapshot);
    // each document as declared at its own snapshot's date (the date given is the newest of them)
    const then = snapshot.fetchDate.getTime() === date.getTime() ? terms : service.getTerms(terms.type, snapshot.fetchDate);
    documents.push(then.sourceDocuments.find(candidate => documentIdIn(then, candidate) === snapshot.documentId) ?? document);
  }
  const contents: string[] = [];
  try {
    for (const [index, snapshot] of snapshots.entries()) {
      const known = extracted.get(keys[index]!);
      const markdown = known?.snapshotId === snapshot.id ? known.markdown : await extract({ content: snapshot.content, mimeType: snapshot.mimeType, sourceDocument: documents[index]! });
      extracted.set(keys[index]!, { snapshotId: snapshot.id, markdown });
      contents.push(markdown);
    }
  } catch {
    return 'failed';
  }
  return { markdown: joinDocuments(contents), snapshots, documents };
}

function compare(comparison: { serviceId: string; termsType: string; before: VersionMark[]; after: VersionMark[]; skipped: TermsComparison['skipped']; failed: number }): TermsComparison {
  const mark = (version: VersionMark): string => `${String(version.date.getTime())}/${version.digest}`;
  const afterMarks = new Set(comparison.after.map(mark));
  const beforeMarks = new Set(comparison.before.map(mark));
  return {
    serviceId: comparison.serviceId,
    termsType: comparison.termsType,
    before: comparison.before.length,
    after: comparison.after.length,
    dropped: comparison.before.filter(version => !afterMarks.has(mark(version))),
    added: comparison.after.filter(version => !beforeMarks.has(mark(version))),
    skipped: comparison.skipped,
    failed: comparison.failed,
  };
}
