// Releasing a held version (terms-archive quarantine release): its snapshots recorded, then the version, both dated
// at the fetch, as tracking would have recorded them had no rule held them back.
import { ArchiverError } from '../archiver-error.js';
import type { HeldVersion, RecordResult, SnapshotRepository, StoredVersion, VersionRepository } from '../record/index.js';

/** A held version that cannot be recorded now: its records would come after later ones, or a snapshot is gone. */
export class ReleaseRefusedError extends ArchiverError {
  override name = 'ReleaseRefusedError';
}

export interface ReleaseTarget {
  readonly snapshots: SnapshotRepository;
  readonly versions: VersionRepository;
  /** Written in the X-engine-version trailer. */
  readonly engineVersion: string;
}

export async function releaseHeld(held: HeldVersion, target: ReleaseTarget): Promise<RecordResult<StoredVersion>> {
  const { snapshots, versions } = target;
  const terms = `${held.serviceId} ${held.termsType}`;
  const refuse = (what: string, id: string, date: Date): ReleaseRefusedError =>
    new ReleaseRefusedError(
      `${held.id} was fetched on ${held.fetchDate.toISOString()}, before the latest ${what} of ${terms} (${id}, ${date.toISOString()}): released, it would break the order of the history. Discard it, or rebuild the versions from the snapshots`,
    );
  // a version recorded since it was held (whatever its date, which may be the same second) comes before it for good
  const latest = await versions.findLatest(held.serviceId, held.termsType);
  if (latest && latest.id !== held.latestVersionId) throw refuse('version', latest.id, latest.fetchDate);
  for (const snapshot of held.snapshots) {
    if (snapshot.id !== undefined) {
      if (!(await snapshots.contains(snapshot.id))) throw new ReleaseRefusedError(`${held.id} names snapshot ${snapshot.id}, which ${snapshots.location} does not hold: it cannot be recorded`);
      continue;
    }
    const newest = await snapshots.findLatest(held.serviceId, held.termsType, snapshot.documentId);
    if (newest && newest.fetchDate.getTime() > snapshot.fetchDate.getTime()) throw refuse('snapshot', newest.id, newest.fetchDate);
  }
  const snapshotIds: string[] = [];
  for (const snapshot of held.snapshots) {
    if (snapshot.id !== undefined || snapshot.content === undefined) {
      snapshotIds.push(snapshot.id ?? '');
      continue;
    }
    const recorded = await snapshots.record({
      serviceId: held.serviceId,
      termsType: held.termsType,
      documentId: snapshot.documentId,
      fetchDate: snapshot.fetchDate,
      mimeType: snapshot.mimeType,
      content: snapshot.content,
      metadata: snapshot.metadata,
    });
    snapshotIds.push(recorded.record.id);
  }
  return versions.record({
    serviceId: held.serviceId,
    termsType: held.termsType,
    fetchDate: held.fetchDate,
    content: held.content,
    snapshotIds,
    isTechnicalUpgrade: false,
    // the provenance of the extraction that was held, with this engine's version as the one that recorded it
    metadata: { ...held.metadata, 'x-engine-version': target.engineVersion },
  });
}
