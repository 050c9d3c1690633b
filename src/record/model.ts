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

export interface RecordResult {
  /** Absent when the content was byte-identical to the latest record: nothing was committed. */
  readonly id?: RecordId;
  readonly isFirstRecord: boolean;
}

/** A snapshot read back: what was recorded, less its trailers, with its id and its date as git keeps it (seconds). */
export interface StoredSnapshot extends Omit<SnapshotToRecord, 'metadata'> {
  readonly id: RecordId;
}

export interface StoredVersion {
  readonly id: RecordId;
  readonly serviceId: string;
  readonly termsType: string;
  readonly fetchDate: Date;
  readonly content: string;
}

/** A commit of either repository, decoded (OTA-FORMAT §7.9). */
export interface DecodedRecord {
  readonly id: RecordId;
  readonly serviceId: string;
  readonly termsType: string;
  readonly documentId: string;
  readonly fetchDate: Date;
  readonly kind: 'snapshot' | 'version';
  readonly mimeType: string;
  readonly isFirstRecord: boolean;
  readonly isTechnicalUpgrade: boolean;
  readonly snapshotIds: readonly RecordId[];
  readonly metadata: RecordMetadata;
}
