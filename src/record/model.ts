// Snapshots and versions as the rest of the code sees them. A RecordId is opaque (a commit SHA in git).

export type RecordId = string;

/** Trailers of a record, keys lower-cased: `x-engine-version`, `x-fetcher`, `x-source-document-location`. */
export type RecordMetadata = Readonly<Record<string, string>>;

export interface SnapshotToRecord {
  readonly serviceId: string;
  readonly termsType: string;
  /** '' for single-document terms; the snapshot path then carries no document ID. */
  readonly documentId: string;
  readonly fetchDate: Date;
  readonly mimeType: string;
  readonly content: string | Uint8Array;
  readonly metadata: RecordMetadata;
}

export interface VersionToRecord {
  readonly serviceId: string;
  readonly termsType: string;
  readonly fetchDate: Date;
  readonly content: string;
  /** The snapshots it was extracted from, in declaration order. */
  readonly snapshotIds: readonly RecordId[];
  readonly isTechnicalUpgrade: boolean;
  readonly metadata: RecordMetadata;
}

/** A snapshot read back: what was recorded, with its id and its date as stored (seconds); trailers from history(). */
export interface StoredSnapshot extends Omit<SnapshotToRecord, 'metadata'> {
  readonly id: RecordId;
  /** Its trailers: read when the whole history is (history()), not by each lookup. */
  readonly metadata?: RecordMetadata;
}

/** When a document's first snapshot was taken. */
export interface DocumentDate {
  readonly serviceId: string;
  readonly termsType: string;
  readonly documentId: string;
  readonly date: Date;
}

export interface StoredVersion {
  readonly id: RecordId;
  readonly serviceId: string;
  readonly termsType: string;
  readonly fetchDate: Date;
  readonly content: string;
}

/** What `record` did. */
export interface RecordResult<Stored> {
  /** The document's latest record now: the new one, or the latest one when the content was identical to it. */
  readonly record: Stored;
  /** False when the content was byte-identical to the latest record: nothing was written. */
  readonly isNew: boolean;
  /** Whether it is the document's first record (then `isNew` is true). */
  readonly isFirstRecord: boolean;
}

/** A version as the history reads it: the record, how it was made, and the document before and after it. */
export interface RecordChange {
  readonly id: RecordId;
  readonly date: Date;
  /** The subject line of the record (OTA-FORMAT §7.5), legacy subjects included. */
  readonly subject: string;
  readonly serviceId: string;
  readonly termsType: string;
  readonly isFirstRecord: boolean;
  readonly isTechnicalUpgrade: boolean;
  readonly snapshotIds: readonly RecordId[];
  readonly metadata: RecordMetadata;
  /** The document after this record. */
  readonly content: string;
  /** The document before it, '' for a first record. */
  readonly previous: string;
  /** The same two, as the UTF-8 bytes stored, when the repository reads bytes (comparing them needs no decoding). */
  readonly bytes?: { readonly content: Buffer; readonly previous: Buffer };
}
