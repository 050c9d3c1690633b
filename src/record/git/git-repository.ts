// Snapshot and version repositories on git (OTA-FORMAT §7). This module is the boundary beyond which git is
// hidden: callers see records and opaque ids. Writes go one at a time per repository, in call order.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

import mime from 'mime';

import type { SnapshotRepository, VersionRepository } from '../repository.js';
import type { RecordResult, SnapshotToRecord, StoredSnapshot, StoredVersion, VersionToRecord } from '../model.js';
import { snapshotMessage, versionMessage } from './commit-message.js';
import { baseNameOf, snapshotPath, versionPath } from './file-paths.js';
import { Git, type GitOptions } from './git.js';
import { LatestIndex } from './latest-index.js';

export interface GitRepositoryOptions extends GitOptions {
  /** `%SNAPSHOT_ID` is replaced by the snapshot SHA in version bodies. @default './data/snapshots/%SNAPSHOT_ID' */
  readonly snapshotIdentifierTemplate?: string;
}

abstract class GitRecords {
  protected readonly git: Git;
  private readonly latest: LatestIndex;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: GitOptions) {
    this.git = new Git(options);
    this.latest = new LatestIndex(this.git);
  }

  get directory(): string {
    return this.git.directory;
  }

  initialize(): Promise<void> {
    return this.serialise(async () => {
      await this.git.initialize();
      await this.latest.load();
    });
  }

  /** Saves what this run learned (the latest-record index); call at the end of each pass. */
  finalize(): Promise<void> {
    return this.serialise(async () => {
      await this.git.flush();
      await this.latest.save();
    });
  }

  /** Commits one file and keeps the latest-record index up to date. */
  protected async commit(file: string, content: string | Uint8Array, message: string, date: Date): Promise<string> {
    const id = await this.git.commitFile(file, content, { message, date });
    this.latest.recorded(file, id, date);
    return id;
  }

  /** Runs writes one after the other, whatever the callers' concurrency. */
  protected serialise<T>(task: () => Promise<T>): Promise<T> {
    const result = this.queue.then(task, task);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Tracked files of `<serviceId>/` whose name is `<baseName>.<any extension>` (the working tree is HEAD's). */
  protected async filesOf(serviceId: string, baseName: string): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(path.join(this.git.directory, serviceId));
    } catch {
      return [];
    }
    return names
      .filter(name => name.startsWith(`${baseName}.`) && /^[^.]+$/.test(name.slice(baseName.length + 1)))
      .map(name => `${serviceId}/${name}`);
  }

  protected async isUnchanged(relativePath: string, content: string | Uint8Array): Promise<boolean> {
    let existing: Buffer;
    try {
      existing = await readFile(path.join(this.git.directory, relativePath));
    } catch {
      return false;
    }
    const next = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content.buffer, content.byteOffset, content.byteLength);
    return existing.equals(next);
  }

  /** Commits that changed any of the files, newest first: at most `limit`, none dated after `until`, messages with `grep`. */
  protected async commitsOf(
    files: readonly string[],
    options: { limit?: number; until?: Date; grep?: string } = {},
  ): Promise<{ id: string; date: Date; file: string }[]> {
    if (files.length === 0 || !(await this.git.hasCommits())) return [];
    const grep = options.grep === undefined ? [] : ['--fixed-strings', `--grep=${options.grep}`];
    const log = await this.git.raw(['log', '--no-renames', '--name-only', '--format=%x01%H %aI', ...grep, 'HEAD', '--', ...files]);
    const commits: { id: string; date: Date; file: string }[] = [];
    for (const entry of log.split('\u0001')) {
      const [header = '', ...names] = entry.trim().split('\n');
      const [id = '', date = ''] = header.split(' ');
      const file = names.find(name => files.includes(name));
      if (!id || !file) continue;
      const commitDate = new Date(date);
      if (options.until && commitDate > options.until) continue;
      commits.push({ id, date: commitDate, file });
      if (commits.length === options.limit) break;
    }
    return commits;
  }

  protected async readLatest(files: readonly string[]): Promise<{ id: string; date: Date; file: string; bytes: Buffer } | undefined> {
    const latest = this.latest.latest(files);
    if (!latest) return undefined;
    const bytes = await readFile(path.join(this.git.directory, latest.file));
    return { id: latest.id, date: new Date(latest.date), file: latest.file, bytes };
  }
}

export class GitSnapshotRepository extends GitRecords implements SnapshotRepository {
  async record(snapshot: SnapshotToRecord): Promise<RecordResult> {
    return this.serialise(async () => {
      const file = snapshotPath(snapshot.serviceId, snapshot.termsType, snapshot.documentId, snapshot.mimeType);
      const existing = await this.filesOf(snapshot.serviceId, baseNameOf(snapshot.termsType, snapshot.documentId));
      const isFirstRecord = existing.length === 0;
      if (existing.includes(file) && (await this.isUnchanged(file, snapshot.content))) return { isFirstRecord: false };
      const message = snapshotMessage({ ...snapshot, isFirstRecord, isTechnicalUpgrade: false });
      const id = await this.commit(file, snapshot.content, message, snapshot.fetchDate);
      return { id, isFirstRecord };
    });
  }

  /** The newest snapshot of a document, whatever its extension (after html → pdf, the newer file). */
  async findLatest(serviceId: string, termsType: string, documentId: string): Promise<StoredSnapshot | undefined> {
    const files = await this.filesOf(serviceId, baseNameOf(termsType, documentId));
    const latest = await this.readLatest(files);
    if (!latest) return undefined;
    return storedSnapshot({ serviceId, termsType, documentId }, latest);
  }

  /** The document's snapshots, newest first (at most `limit`), read from git history. */
  async list(serviceId: string, termsType: string, documentId: string, limit: number): Promise<StoredSnapshot[]> {
    const files = await this.filesOf(serviceId, baseNameOf(termsType, documentId));
    const commits = await this.commitsOf(files, { limit });
    return Promise.all(
      commits.map(async commit => storedSnapshot({ serviceId, termsType, documentId }, { ...commit, bytes: await this.git.readBlob(commit.id, commit.file) })),
    );
  }
}

function storedSnapshot(
  identity: { serviceId: string; termsType: string; documentId: string },
  record: { id: string; date: Date; file: string; bytes: Buffer },
): StoredSnapshot {
  const mimeType = mime.getType(record.file) ?? 'application/octet-stream';
  const content = mimeType === 'application/pdf' ? new Uint8Array(record.bytes) : record.bytes.toString('utf8');
  return { id: record.id, ...identity, fetchDate: record.date, mimeType, content };
}

export class GitVersionRepository extends GitRecords implements VersionRepository {
  private readonly snapshotIdentifierTemplate: string;

  constructor(options: GitRepositoryOptions) {
    super(options);
    this.snapshotIdentifierTemplate = options.snapshotIdentifierTemplate ?? './data/snapshots/%SNAPSHOT_ID';
  }

  async record(version: VersionToRecord): Promise<RecordResult> {
    return this.serialise(async () => {
      const file = versionPath(version.serviceId, version.termsType);
      const isFirstRecord = (await this.filesOf(version.serviceId, version.termsType)).length === 0;
      if (!isFirstRecord && (await this.isUnchanged(file, version.content))) return { isFirstRecord: false };
      const message = versionMessage({
        ...version,
        isFirstRecord,
        snapshotIdentifierTemplate: this.snapshotIdentifierTemplate,
      });
      const id = await this.commit(file, version.content, message, version.fetchDate);
      return { id, isFirstRecord };
    });
  }

  async findLatest(serviceId: string, termsType: string): Promise<StoredVersion | undefined> {
    const latest = await this.readLatest(await this.filesOf(serviceId, termsType));
    if (!latest) return undefined;
    return { id: latest.id, serviceId, termsType, fetchDate: latest.date, content: latest.bytes.toString('utf8') };
  }

  /**
   * The version in force when a snapshot was taken: the one whose message names the snapshot, else the newest one
   * recorded at or before the snapshot's date (a snapshot that changed nothing in the Markdown has no version).
   */
  async findAt(serviceId: string, termsType: string, date: Date, snapshotId?: string): Promise<StoredVersion | undefined> {
    const files = await this.filesOf(serviceId, termsType);
    const [commit] = (snapshotId ? await this.commitsOf(files, { limit: 1, grep: snapshotId }) : []).concat(await this.commitsOf(files, { limit: 1, until: date }));
    if (!commit) return undefined;
    const bytes = await this.git.readBlob(commit.id, commit.file);
    return { id: commit.id, serviceId, termsType, fetchDate: commit.date, content: bytes.toString('utf8') };
  }
}
