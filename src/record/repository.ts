// What tracking needs from storage. Git implements it (git/); another backend would implement the same.
import type { RecordResult, SnapshotToRecord, StoredSnapshot, StoredVersion, VersionToRecord } from './model.js';

export interface SnapshotRepository {
  initialize(): Promise<void>;
  record(snapshot: SnapshotToRecord): Promise<RecordResult>;
  findLatest(serviceId: string, termsType: string, documentId: string): Promise<StoredSnapshot | undefined>;
}

export interface VersionRepository {
  initialize(): Promise<void>;
  record(version: VersionToRecord): Promise<RecordResult>;
  findLatest(serviceId: string, termsType: string): Promise<StoredVersion | undefined>;
}
