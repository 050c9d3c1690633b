// Snapshot and version repositories in memory, with the git ones' behaviour (record ids of 40 hex digits, dates
// kept to the second, nothing recorded for identical content, the newest record in the order records were made),
// so that tracking can be unit-tested without a disk, a git binary or a network.
import { createHash } from 'node:crypto';

import { subjectOf } from '../git/commit-message.js';
import type {
  DocumentDate,
  RecordChange,
  RecordId,
  RecordMetadata,
  RecordResult,
  SnapshotToRecord,
  StoredSnapshot,
  StoredVersion,
  VersionToRecord,
} from '../model.js';
import type { RecordRepository, SideFiles, SnapshotRepository, VersionRepository } from '../repository.js';

class MemorySideFiles implements SideFiles {
  readonly files = new Map<string, string>();

  read(name: string): Promise<string | undefined> {
    return Promise.resolve(this.files.get(name));
  }

  write(name: string, content: string): Promise<void> {
    this.files.set(name, content);
    return Promise.resolve();
  }

  pathOf(): undefined {
    return undefined;
  }
}

interface Entry<Stored> {
  readonly key: string;
  readonly stored: Stored;
  readonly isFirstRecord: boolean;
  readonly isTechnicalUpgrade: boolean;
  readonly snapshotIds: readonly RecordId[];
  readonly metadata: RecordMetadata;
}

const inSeconds = (date: Date): Date => new Date(Math.floor(date.getTime() / 1000) * 1000);

function sameContent(a: string | Uint8Array, b: string | Uint8Array): boolean {
  const bytes = (content: string | Uint8Array): Buffer => (typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content));
  return bytes(a).equals(bytes(b));
}

abstract class MemoryRecords<Stored extends { readonly id: RecordId; readonly content: string | Uint8Array }> implements RecordRepository {
  readonly sideFiles = new MemorySideFiles();
  /** Every record, in the order it was made. */
  protected readonly entries: Entry<Stored>[] = [];

  constructor(readonly location: string) {}

  head(): Promise<RecordId | undefined> {
    return Promise.resolve(this.entries.at(-1)?.stored.id);
  }

  contains(id: RecordId): Promise<boolean> {
    return Promise.resolve(this.entries.some(entry => entry.stored.id === id));
  }

  count(): Promise<number> {
    return Promise.resolve(this.entries.length);
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  /** Drops the records after `id`, as a rewritten git history would (for tests of readers that must notice). */
  rewindTo(id: RecordId | undefined): void {
    const index = id === undefined ? -1 : this.entries.findIndex(entry => entry.stored.id === id);
    this.entries.splice(index + 1);
  }

  protected newestOf(key: string): Entry<Stored> | undefined {
    return this.entries.findLast(entry => entry.key === key);
  }

  protected newestFirst(key: string): Entry<Stored>[] {
    return this.entries.filter(entry => entry.key === key).reverse();
  }

  /**
   * Records unless `isUnchanged` says the records of the key hold it already (then the key's newest record is the
   * answer); `make` builds the record from its new id.
   */
  protected add(
    key: string,
    isUnchanged: (records: readonly Stored[]) => boolean,
    details: Omit<Entry<Stored>, 'key' | 'stored' | 'isFirstRecord'>,
    make: (id: RecordId) => Stored,
  ): RecordResult<Stored> {
    const latest = this.newestOf(key);
    if (latest && isUnchanged(this.newestFirst(key).map(entry => entry.stored))) return { record: latest.stored, isNew: false, isFirstRecord: false };
    const id = createHash('sha1').update(`${this.location}\0${String(this.entries.length)}\0${key}`).digest('hex');
    const entry = { key, stored: make(id), isFirstRecord: latest === undefined, ...details };
    this.entries.push(entry);
    return { record: entry.stored, isNew: true, isFirstRecord: entry.isFirstRecord };
  }
}

export class MemorySnapshotRepository extends MemoryRecords<StoredSnapshot> implements SnapshotRepository {
  constructor(location = 'memory:snapshots') {
    super(location);
  }

  record(snapshot: SnapshotToRecord): Promise<RecordResult<StoredSnapshot>> {
    const mimeType = baseType(snapshot.mimeType);
    // as in git, where each type has its file: unchanged when the newest record of this type holds these bytes
    const isUnchanged = (records: readonly StoredSnapshot[]): boolean => {
      const sameType = records.find(record => record.mimeType === mimeType);
      return sameType !== undefined && sameContent(sameType.content, snapshot.content);
    };
    const details = { isTechnicalUpgrade: false, snapshotIds: [], metadata: snapshot.metadata };
    const make = (id: RecordId): StoredSnapshot => ({
      id,
      serviceId: snapshot.serviceId,
      termsType: snapshot.termsType,
      documentId: snapshot.documentId,
      fetchDate: inSeconds(snapshot.fetchDate),
      mimeType,
      // as a git repository reads it back: PDFs as bytes, the rest as text
      content: mimeType === 'application/pdf' || typeof snapshot.content === 'string' ? snapshot.content : Buffer.from(snapshot.content).toString('utf8'),
    });
    return Promise.resolve(this.add(keyOf(snapshot.serviceId, snapshot.termsType, snapshot.documentId), isUnchanged, details, make));
  }

  findLatest(serviceId: string, termsType: string, documentId: string): Promise<StoredSnapshot | undefined> {
    return Promise.resolve(this.newestOf(keyOf(serviceId, termsType, documentId))?.stored);
  }

  list(serviceId: string, termsType: string, documentId: string, limit: number): Promise<StoredSnapshot[]> {
    return Promise.resolve(this.newestFirst(keyOf(serviceId, termsType, documentId)).slice(0, limit).map(entry => entry.stored));
  }

  async *history(): AsyncGenerator<StoredSnapshot> {
    for (const entry of [...this.entries]) yield await Promise.resolve({ ...entry.stored, metadata: entry.metadata });
  }

  firstDates(): Promise<DocumentDate[]> {
    const first = new Map<string, DocumentDate>();
    for (const { key, stored } of this.entries) if (!first.has(key)) first.set(key, { serviceId: stored.serviceId, termsType: stored.termsType, documentId: stored.documentId, date: stored.fetchDate });
    return Promise.resolve([...first.values()]);
  }

  read(id: RecordId, serviceId: string, termsType: string, documentId: string): Promise<StoredSnapshot | undefined> {
    return Promise.resolve(this.newestFirst(keyOf(serviceId, termsType, documentId)).find(entry => entry.stored.id === id)?.stored);
  }
}

export class MemoryVersionRepository extends MemoryRecords<StoredVersion> implements VersionRepository {
  constructor(location = 'memory:versions') {
    super(location);
  }

  record(version: VersionToRecord): Promise<RecordResult<StoredVersion>> {
    const details = { isTechnicalUpgrade: version.isTechnicalUpgrade, snapshotIds: version.snapshotIds, metadata: version.metadata };
    const make = (id: RecordId): StoredVersion => ({
      id,
      serviceId: version.serviceId,
      termsType: version.termsType,
      fetchDate: inSeconds(version.fetchDate),
      content: version.content,
    });
    const isUnchanged = ([latest]: readonly StoredVersion[]): boolean => latest?.content === version.content;
    return Promise.resolve(this.add(keyOf(version.serviceId, version.termsType), isUnchanged, details, make));
  }

  findLatest(serviceId: string, termsType: string): Promise<StoredVersion | undefined> {
    return Promise.resolve(this.newestOf(keyOf(serviceId, termsType))?.stored);
  }

  list(serviceId: string, termsType: string, limit: number): Promise<StoredVersion[]> {
    return Promise.resolve(this.newestFirst(keyOf(serviceId, termsType)).slice(0, limit).map(entry => entry.stored));
  }

  findAt(serviceId: string, termsType: string, date: Date, snapshotId?: RecordId): Promise<StoredVersion | undefined> {
    const versions = this.newestFirst(keyOf(serviceId, termsType));
    const made = snapshotId === undefined ? undefined : versions.find(entry => entry.snapshotIds.includes(snapshotId));
    return Promise.resolve((made ?? versions.find(entry => entry.stored.fetchDate <= date))?.stored);
  }

  read(id: RecordId, serviceId: string, termsType: string): Promise<string | undefined> {
    const key = keyOf(serviceId, termsType);
    return Promise.resolve(this.entries.find(entry => entry.key === key && entry.stored.id === id)?.stored.content);
  }

  async *changesSince(since: RecordId | undefined): AsyncGenerator<RecordChange> {
    const start = since === undefined ? 0 : this.entries.findIndex(entry => entry.stored.id === since) + 1;
    const entries = this.entries.slice(start);
    for (const [offset, entry] of entries.entries()) {
      const previous = this.entries.slice(0, start + offset).findLast(candidate => candidate.key === entry.key);
      const { id, serviceId, termsType, fetchDate, content } = entry.stored;
      await Promise.resolve();
      yield {
        id,
        date: fetchDate,
        subject: subjectOf({ serviceId, termsType, isFirstRecord: entry.isFirstRecord, isTechnicalUpgrade: entry.isTechnicalUpgrade }),
        serviceId,
        termsType,
        isFirstRecord: entry.isFirstRecord,
        isTechnicalUpgrade: entry.isTechnicalUpgrade,
        snapshotIds: entry.snapshotIds,
        metadata: entry.metadata,
        content,
        previous: previous?.stored.content ?? '',
      };
    }
  }
}

const keyOf = (...parts: string[]): string => parts.join('\0');

/** `text/html; charset=utf-8` → `text/html`: what a stored record's type reads back as. */
const baseType = (mimeType: string): string => mimeType.split(';')[0]?.trim() ?? mimeType;
