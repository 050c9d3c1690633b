// What the snapshot and version repositories on git share: opening, the write queue, the latest-record index, the
// cat-file readers, and the walk of a document's commits. This folder is the boundary beyond which git is hidden.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

import { MissingRepositoryError, ReadOnlyRepositoryError, RecordsNotSavedError } from '../errors.js';
import type { RecordRepository } from '../repository.js';
import { BlobReader } from './blob-reader.js';
import { Git, type GitOptions } from './git.js';
import { LatestIndex } from './latest-index.js';
import { FolderSideFiles } from './side-files.js';
import { WriteLock } from './write-lock.js';

/** Records between two checkpoints: how many a crash can cost at most (the next run records them again). */
const CHECKPOINT_EVERY = 100;

export interface GitRepositoryOptions extends GitOptions {
  /**
   * Open an existing repository to read it: nothing is created, reset or written but side files, and a folder
   * that is not a repository is refused (MissingRepositoryError). @default false
   */
  readonly isReadOnly?: boolean;
  /** `git cat-file` processes that serve reads by id, so that concurrent readers do not queue. @default 1 */
  readonly readers?: number;
  /**
   * A repository whose records this one's name (the snapshots of versions): made durable before this one's are, at
   * every checkpoint and flush, and when that fails, this one's records since its last checkpoint are dropped, so
   * that no record ever names one that is not kept.
   */
  readonly dependsOn?: RecordRepository;
}

export interface CommitOfFile {
  readonly id: string;
  readonly date: Date;
  readonly file: string;
}

/** Git keeps dates to the second: a record reads back with its date so. */
export function inSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

export abstract class GitRecords implements RecordRepository {
  readonly sideFiles: FolderSideFiles;
  protected readonly git: Git;
  private readonly latest: LatestIndex;
  private readonly isReadOnly: boolean;
  private readonly readerCount: number;
  private readers: BlobReader[] = [];
  private turn = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private isDirty = false;
  private sinceCheckpoint = 0;
  private lock: WriteLock | undefined;
  private readonly dependsOn: RecordRepository | undefined;
  /** Repositories whose records name this one's: told when this one drops records they may name. */
  private readonly dependents = new Set<GitRecords>();
  /** Records this one's pending ones may name were dropped: they cannot be kept. */
  private isDependencyDropped = false;

  constructor(
    options: GitRepositoryOptions,
    private readonly kind: 'snapshots' | 'versions',
  ) {
    this.git = new Git(options);
    this.sideFiles = new FolderSideFiles(this.git.sideFilesDirectory);
    this.latest = new LatestIndex(this.git, this.sideFiles);
    this.isReadOnly = options.isReadOnly ?? false;
    this.readerCount = Math.max(1, options.readers ?? 1);
    this.dependsOn = options.dependsOn;
    if (options.dependsOn instanceof GitRecords) options.dependsOn.dependents.add(this);
  }

  get location(): string {
    return this.git.directory;
  }

  /**
   * Creates or reopens the repository and loads the latest-record index; read-only, only checks that it exists (the
   * index is loaded on first need: most readers read by id).
   */
  async open(): Promise<this> {
    if (this.isReadOnly) {
      if (!(await this.git.exists())) throw new MissingRepositoryError(this.git.directory, this.kind);
      return this;
    }
    await this.git.initialize();
    this.lock = await WriteLock.acquire(this.sideFiles.pathOf('write.lock'), this.git.directory);
    await this.latest.load();
    return this;
  }

  async head(): Promise<string | undefined> {
    await this.settle();
    return (await this.git.head()) || undefined;
  }

  async contains(id: string): Promise<boolean> {
    await this.settle();
    return this.git.isAncestorOfHead(id);
  }

  async count(): Promise<number> {
    await this.settle();
    return this.git.commitCount();
  }

  flush(): Promise<void> {
    return this.serialise(async () => {
      if (this.isDirty) await this.afterDependency(() => this.git.flush());
      this.isDirty = false;
      this.sinceCheckpoint = 0;
      // only a cache: on a full disk it is rebuilt by the next run, which must not fail for it
      if (!this.isReadOnly) await this.latest.save().catch(() => undefined);
      this.releaseReaders();
    });
  }

  /**
   * Ends the cat-file processes; the next read starts new ones. Done at each flush (the end of a pass): a process
   * kept for months grows with every object it read (git's caches) and keeps the packs a `gc` replaced mapped, and
   * their disk space taken. Reads already asked for are still answered.
   */
  private releaseReaders(): void {
    for (const reader of this.readers) reader.close();
    this.readers = [];
  }

  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      this.releaseReaders();
      await this.lock?.release();
      this.lock = undefined;
    }
  }

  /**
   * Runs `save` (a checkpoint or the end of the stream) once the repository this one depends on has saved its
   * records; when either fails, the records since the last checkpoint are dropped and RecordsNotSavedError thrown.
   */
  private async afterDependency(save: () => Promise<void>): Promise<void> {
    let reason: string | undefined;
    try {
      await this.dependsOn?.flush();
    } catch (error) {
      reason = `the records they name were not saved (${error instanceof Error ? error.message : String(error)})`;
    }
    if (this.isDependencyDropped) reason ??= `the records they name in ${this.dependsOn?.location ?? 'another repository'} were dropped`;
    try {
      if (reason !== undefined) throw new Error(reason);
      await save();
    } catch (error) {
      throw await this.drop(reason ?? `git could not save them (${error instanceof Error ? error.message : String(error)})`, error);
    }
  }

  /** Drops the records since the last checkpoint (and tells the repositories whose records may name them). */
  private async drop(reason: string, cause: unknown): Promise<RecordsNotSavedError> {
    await this.git.abandon().catch(() => undefined);
    await this.latest.load().catch(() => undefined);
    this.isDirty = false;
    this.sinceCheckpoint = 0;
    this.isDependencyDropped = false;
    for (const dependent of this.dependents) if (dependent.isDirty) dependent.isDependencyDropped = true;
    return new RecordsNotSavedError(`${this.git.directory}: the records made since the last checkpoint were dropped: ${reason}`, { cause });
  }

  /** Commits one file and keeps the latest-record index up to date. Call inside `serialise`. */
  protected async commit(file: string, content: string | Uint8Array, message: string, date: Date): Promise<string> {
    if (this.isReadOnly) throw new ReadOnlyRepositoryError(this.git.directory);
    let id: string;
    try {
      id = await this.git.commitFile(file, content, { message, date });
    } catch (error) {
      // the file or the commit could not be written (a full disk): nothing since the checkpoint can be trusted
      throw await this.drop(`this one could not be written (${error instanceof Error ? error.message : String(error)})`, error);
    }
    this.latest.recorded(file, id, date);
    this.isDirty = true;
    if (++this.sinceCheckpoint >= CHECKPOINT_EVERY) {
      this.sinceCheckpoint = 0;
      await this.afterDependency(() => this.git.checkpoint());
    }
    return id;
  }

  /** Runs writes one after the other, whatever the callers' concurrency. */
  protected serialise<T>(task: () => Promise<T>): Promise<T> {
    const result = this.queue.then(task, task);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Before reading history with git: the commits written so far are on the branch. */
  private async settle(): Promise<void> {
    if (this.isDirty) await this.flush();
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

  /** A file as HEAD holds it (the working tree is HEAD's). */
  protected readWorkingFile(file: string): Promise<Buffer> {
    return readFile(path.join(this.git.directory, file));
  }

  /** The newest record of any of these files, in commit order, with its bytes. */
  protected async readLatest(files: readonly string[]): Promise<(CommitOfFile & { bytes: Buffer }) | undefined> {
    // a reader's index follows HEAD, which another process may move
    if (this.isReadOnly && (await this.git.head()) !== this.latest.describedHead) await this.latest.load();
    const latest = this.latest.latest(files);
    if (!latest) return undefined;
    const bytes = await readFile(path.join(this.git.directory, latest.file));
    return { id: latest.id, date: new Date(latest.date), file: latest.file, bytes };
  }

  /** Commits that changed any of the files, newest first: at most `limit`, none dated after `until`, messages with `grep`. */
  protected async commitsOf(files: readonly string[], options: { limit?: number; until?: Date; grep?: string } = {}): Promise<CommitOfFile[]> {
    await this.settle();
    if (files.length === 0 || (await this.git.head()) === '') return [];
    const grep = options.grep === undefined ? [] : ['--fixed-strings', `--grep=${options.grep}`];
    const log = await this.git.raw(['log', '-z', '--no-renames', '--name-only', '--format=%x01%H %aI', ...grep, 'HEAD', '--', ...files]);
    const commits: CommitOfFile[] = [];
    for (const entry of log.split('\u0001')) {
      const [header = '', ...names] = entry.split(/[\0\n]/);
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

  /** Every commit that records one file, oldest first (a record touches one file; others are not records). */
  protected async *everyCommit(): AsyncGenerator<CommitOfFile & { readonly body: string }> {
    await this.settle();
    if ((await this.git.head()) === '') return;
    const log = await this.git.raw(['log', '-z', '--reverse', '--no-renames', '--name-only', '--format=%x01%H %aI%x1f%b%x1e', 'HEAD']);
    for (const entry of log.split('\u0001')) {
      const end = entry.indexOf('\u001e');
      if (end === -1) continue;
      const [header = '', body = ''] = entry.slice(0, end).split('\u001f');
      const files = entry.slice(end + 1).split(/[\0\n]/).filter(name => name !== '');
      const [id = '', date = ''] = header.split(' ');
      if (id && files.length === 1 && files[0] !== undefined) yield { id, date: new Date(date), file: files[0], body };
    }
  }

  /** The bytes of a file at a commit, through one of the long-lived cat-file processes. */
  protected readBlob(id: string, file: string): Promise<Buffer | undefined> {
    return this.reader().read(id, file);
  }

  /** A commit's author date, read through a cat-file process; undefined when there is no such commit. */
  protected async commitDate(id: string): Promise<Date | undefined> {
    const commit = (await this.reader().readObject(id))?.toString('utf8');
    const seconds = /^author .* (\d+) [+-]\d{4}$/m.exec(commit ?? '')?.[1];
    return seconds === undefined ? undefined : new Date(Number(seconds) * 1000);
  }

  private reader(): BlobReader {
    if (this.readers.length < this.readerCount) this.readers.push(new BlobReader(this.git.directory, this.git.environment));
    return this.readers[this.turn++ % this.readers.length] as BlobReader;
  }
}
