// Snapshots on git (OTA-FORMAT §7): one file per document, `<service>/<terms type>[ #<document id>].<ext>`, one
// commit per record, dated at the fetch.
import mime from 'mime';

import type { DocumentDate, RecordResult, SnapshotToRecord, StoredSnapshot } from '../model.js';
import type { SnapshotRepository } from '../repository.js';
import { parseTrailers, snapshotMessage } from './commit-message.js';
import { baseNameOf, parsePath, snapshotPath } from './file-paths.js';
import { type CommitOfFile, GitRecords, type GitRepositoryOptions, inSeconds } from './git-records.js';

interface Identity {
  readonly serviceId: string;
  readonly termsType: string;
  readonly documentId: string;
}

export class GitSnapshotRepository extends GitRecords implements SnapshotRepository {
  constructor(options: GitRepositoryOptions) {
    super(options, 'snapshots');
  }

  record(snapshot: SnapshotToRecord): Promise<RecordResult<StoredSnapshot>> {
    return this.serialise(async () => {
      const file = snapshotPath(snapshot.serviceId, snapshot.termsType, snapshot.documentId, snapshot.mimeType);
      const existing = await this.filesOf(snapshot.serviceId, baseNameOf(snapshot.termsType, snapshot.documentId));
      const latest = await this.readLatest(existing);
      const bytes = toBuffer(snapshot.content);
      // unchanged when the file of this type holds these bytes already (after html → pdf → the same html, git has
      // nothing to commit: the latest stays the PDF, as before the page went back)
      const current = latest?.file === file ? latest.bytes : existing.includes(file) ? await this.readWorkingFile(file) : undefined;
      if (latest && current?.equals(bytes)) return { record: storedSnapshot(snapshot, latest), isNew: false, isFirstRecord: false };
      const isFirstRecord = existing.length === 0;
      const message = snapshotMessage({ ...snapshot, isFirstRecord, isTechnicalUpgrade: false });
      const id = await this.commit(file, snapshot.content, message, snapshot.fetchDate);
      return { record: storedSnapshot(snapshot, { id, date: inSeconds(snapshot.fetchDate), file, bytes }), isNew: true, isFirstRecord };
    });
  }

  async findLatest(serviceId: string, termsType: string, documentId: string): Promise<StoredSnapshot | undefined> {
    const latest = await this.readLatest(await this.filesOf(serviceId, baseNameOf(termsType, documentId)));
    return latest && storedSnapshot({ serviceId, termsType, documentId }, latest);
  }

  async list(serviceId: string, termsType: string, documentId: string, limit: number): Promise<StoredSnapshot[]> {
    const commits = await this.commitsOf(await this.filesOf(serviceId, baseNameOf(termsType, documentId)), { limit });
    const stored: StoredSnapshot[] = [];
    for (const commit of commits) {
      const bytes = await this.readBlob(commit.id, commit.file);
      if (bytes) stored.push(storedSnapshot({ serviceId, termsType, documentId }, { ...commit, bytes }));
    }
    return stored;
  }

  async *history(): AsyncGenerator<StoredSnapshot> {
    for await (const commit of this.everyCommit()) {
      const parsed = parsePath(commit.file);
      if (!parsed) continue;
      const bytes = await this.readBlob(commit.id, commit.file);
      if (bytes) yield { ...storedSnapshot({ serviceId: parsed.serviceId, termsType: parsed.termsType, documentId: parsed.documentId }, { ...commit, bytes }), metadata: parseTrailers(commit.body) };
    }
  }

  async firstDates(): Promise<DocumentDate[]> {
    const first = new Map<string, DocumentDate>();
    for await (const commit of this.everyCommit()) {
      const parsed = parsePath(commit.file);
      const key = parsed && `${parsed.serviceId}\u0000${parsed.termsType}\u0000${parsed.documentId}`;
      if (parsed && key && !first.has(key)) first.set(key, { serviceId: parsed.serviceId, termsType: parsed.termsType, documentId: parsed.documentId, date: commit.date });
    }
    return [...first.values()];
  }

  async read(id: string, serviceId: string, termsType: string, documentId: string): Promise<StoredSnapshot | undefined> {
    if (!/^[0-9a-f]{4,64}$/.test(id)) return undefined;
    // the file of any type the document ever had (a page that became a PDF keeps both files)
    for (const file of await this.filesOf(serviceId, baseNameOf(termsType, documentId))) {
      const bytes = await this.readBlob(id, file);
      if (!bytes) continue;
      // the file this commit recorded, not another type of the document that it merely carries along
      const before = await this.readBlob(`${id}^`, file);
      if (before?.equals(bytes)) continue;
      const date = await this.commitDate(id);
      if (date) return storedSnapshot({ serviceId, termsType, documentId }, { id, date, file, bytes });
    }
    return undefined;
  }
}

function toBuffer(content: string | Uint8Array): Buffer {
  return typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content.buffer, content.byteOffset, content.byteLength);
}

/** A snapshot as it reads back: its type from its file's extension, PDFs as bytes, the rest as text. */
function storedSnapshot(identity: Identity, record: CommitOfFile & { readonly bytes: Buffer }): StoredSnapshot {
  const mimeType = mime.getType(record.file) ?? 'application/octet-stream';
  const content = mimeType === 'application/pdf' ? new Uint8Array(record.bytes) : record.bytes.toString('utf8');
  return { id: record.id, serviceId: identity.serviceId, termsType: identity.termsType, documentId: identity.documentId, fetchDate: record.date, mimeType, content };
}
