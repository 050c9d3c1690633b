// `preview --against-history`: what a declaration change does to the recorded history. The last N snapshots of a
// terms are extracted again with the declaration as it is now, and each result is compared with the version that
// was in force at that snapshot's date.
import { createTwoFilesPatch } from 'diff';

import type { SourceDocument, Terms } from '../declarations/index.js';
import { extract, joinDocuments } from '../extract/index.js';
import type { SnapshotRepository, VersionRepository } from '../record/index.js';

export interface HistoryComparison {
  readonly snapshotId: string;
  readonly fetchDate: Date;
  /** The version in force at the snapshot's date, if any. */
  readonly versionId?: string;
  /** Unified diff from the recorded version to the new extraction; '' when identical. */
  readonly diff: string;
  /** Why the snapshot could not be extracted with the new declaration. */
  readonly error?: string;
}

/**
 * Compares, for each of the last `count` snapshots of the terms' first document (of every document for a combined
 * terms, taken at the same dates), the recorded version with a new extraction.
 */
export async function compareWithHistory(
  terms: Terms,
  repositories: { readonly snapshots: SnapshotRepository; readonly versions: VersionRepository },
  count: number,
): Promise<HistoryComparison[]> {
  const idOf = (document: SourceDocument): string => (terms.isCombined ? document.id : '');
  const [lead] = terms.sourceDocuments;
  if (!lead) return [];
  const snapshots = await repositories.snapshots.list(terms.serviceId, terms.type, idOf(lead), count);
  const comparisons: HistoryComparison[] = [];
  for (const snapshot of snapshots) {
    const version = await repositories.versions.findAt(terms.serviceId, terms.type, snapshot.fetchDate, snapshot.id);
    const base = { snapshotId: snapshot.id, fetchDate: snapshot.fetchDate, ...(version && { versionId: version.id }) };
    try {
      const parts: string[] = [];
      for (const document of terms.sourceDocuments) {
        const stored = document === lead ? snapshot : (await repositories.snapshots.list(terms.serviceId, terms.type, idOf(document), 1000)).find(candidate => candidate.fetchDate <= snapshot.fetchDate);
        if (!stored) throw new Error(`no snapshot of ${document.location} at or before ${snapshot.fetchDate.toISOString()}`);
        parts.push(await extract({ content: stored.content, mimeType: stored.mimeType, sourceDocument: document }));
      }
      const now = joinDocuments(parts);
      const recorded = version?.content ?? '';
      const diff = now === recorded ? '' : createTwoFilesPatch('recorded', 'with this declaration', recorded, now, version?.id ?? '(no version)', snapshot.id);
      comparisons.push({ ...base, diff });
    } catch (error) {
      comparisons.push({ ...base, diff: '', error: (error as Error).message });
    }
  }
  return comparisons;
}
