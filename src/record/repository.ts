// What tracking needs from storage. Git implements it (git/); another backend would implement the same.
import type { RecordResult, SnapshotToRecord, StoredSnapshot, StoredVersion, VersionToRecord } from './model.js';

export interface SnapshotRepository {
  initialize(): Promise<void>;
  /** Saves what the repository keeps between runs besides its records; called at the end of each pass. */
  finalize(): Promise<void>;
  record(snapshot: SnapshotToRecord): Promise<RecordResult>;
  findLatest(serviceId: string, termsType: string, documentId: string): Promise<StoredSnapshot | undefined>;
}

export interface VersionRepository {
  initialize(): Promise<void>;
  finalize(): Promise<void>;
  record(version: VersionToRecord): Promise<RecordResult>;
  findLatest(serviceId: string, termsType: string): Promise<StoredVersion | undefined>;
}
