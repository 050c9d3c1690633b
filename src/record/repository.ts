// What the rest of the code may ask of storage. Git implements it (git/), memory too (memory/, for unit tests);
// callers get opened repositories from index.ts and never see a path inside them.
import type {
  DocumentDate,
  RecordChange,
  RecordId,
  RecordResult,
  SnapshotToRecord,
  StoredSnapshot,
  StoredVersion,
  VersionToRecord,
} from './model.js';

/** Files a repository keeps beside its records, never recorded: caches and indexes that can be rebuilt. */
export interface SideFiles {
  /** The file's text, or undefined when it does not exist. */
  read(name: string): Promise<string | undefined>;
  /** Replaces the file at once (a crash leaves the old one or the new one, never half of one). */
  write(name: string, content: string): Promise<void>;
  /** A path on disk, for libraries that open the file themselves (SQLite); undefined when kept in memory. */
  pathOf(name: string): string | undefined;
}

export interface RecordRepository {
  /** Where the records are, for messages: a folder, or a name for memory. */
  readonly location: string;
  readonly sideFiles: SideFiles;
  /** The newest record in the order records were made; undefined before the first. */
  head(): Promise<RecordId | undefined>;
  /** Whether a record is in the current history (false once history was rewritten without it). */
  contains(id: RecordId): Promise<boolean>;
  /** How many records there are. */
  count(): Promise<number>;
  /** Makes the records made so far durable and saves the repository's own side files; at the end of each pass. */
  flush(): Promise<void>;
  /** Flushes, then lets go of processes and files; the repository cannot be used afterwards. */
  close(): Promise<void>;
}

export interface SnapshotRepository extends RecordRepository {
  /** Records a snapshot unless it is byte-identical to the document's latest one. Writes go in call order. */
  record(snapshot: SnapshotToRecord): Promise<RecordResult<StoredSnapshot>>;
  /** The document's newest snapshot, whatever its type (after html → pdf, the PDF). */
  findLatest(serviceId: string, termsType: string, documentId: string): Promise<StoredSnapshot | undefined>;
  /** The document's snapshots, newest first, at most `limit`. */
  list(serviceId: string, termsType: string, documentId: string, limit: number): Promise<StoredSnapshot[]>;
  /** Every snapshot, oldest first in the order they were recorded, read one at a time, with its trailers. */
  history(): AsyncIterable<StoredSnapshot>;
  /** The date of each document's first snapshot (what a backfill fills the history before). */
  firstDates(): Promise<DocumentDate[]>;
  /** A snapshot of the document by id; undefined when the document has no such snapshot. */
  read(id: RecordId, serviceId: string, termsType: string, documentId: string): Promise<StoredSnapshot | undefined>;
}

export interface VersionRepository extends RecordRepository {
  /** Records a version unless it is byte-identical to the terms' latest one. Writes go in call order. */
  record(version: VersionToRecord): Promise<RecordResult<StoredVersion>>;
  findLatest(serviceId: string, termsType: string): Promise<StoredVersion | undefined>;
  /** The terms' versions, newest first, at most `limit`. */
  list(serviceId: string, termsType: string, limit: number): Promise<StoredVersion[]>;
  /**
   * The version in force when a snapshot was taken: the one made from that snapshot when `snapshotId` is given and
   * one was, else the newest recorded at or before `date`.
   */
  findAt(serviceId: string, termsType: string, date: Date, snapshotId?: RecordId): Promise<StoredVersion | undefined>;
  /** The content of a version of a terms, by id; undefined when the terms has no such version. */
  read(id: RecordId, serviceId: string, termsType: string): Promise<string | undefined>;
  /** The versions recorded after `since` (all when undefined), oldest first, with the document before and after. */
  changesSince(since: RecordId | undefined): AsyncIterable<RecordChange>;
}
