// Reads a repository's records in commit order, with each file's content before and after, for indexes built
// beside the repository (the history index of feeds and the API). Two git processes whatever the number of
// commits: one `git log` for the list, one `git cat-file --batch` for the contents.
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

import { simpleGit } from 'simple-git';

import type { RecordMetadata } from '../model.js';
import { decodeMessage } from './commit-message.js';
import { parsePath } from './file-paths.js';

export interface RecordChange {
  readonly id: string;
  readonly date: Date;
  readonly subject: string;
  readonly serviceId: string;
  readonly termsType: string;
  readonly isFirstRecord: boolean;
  readonly isTechnicalUpgrade: boolean;
  readonly snapshotIds: readonly string[];
  readonly metadata: RecordMetadata;
  /** The file's content after this commit. */
  readonly content: string;
  /** Its content before, '' when the commit created it. */
  readonly previous: string;
}

/** `git cat-file --batch`: one process answering `<revision>:<path>` requests in order. */
export class BlobReader {
  private readonly process: ChildProcessWithoutNullStreams;
  private buffer: Buffer = Buffer.alloc(0);
  private readonly waiting: { resolve: (content: Buffer | undefined) => void; reject: (error: Error) => void }[] = [];

  constructor(directory: string, environment: Readonly<Record<string, string>>) {
    this.process = spawn('git', ['cat-file', '--batch'], { cwd: directory, env: environment });
    this.process.stdout.on('data', (chunk: Buffer) => {
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      this.drain();
    });
    this.process.on('error', error => {
      for (const waiter of this.waiting.splice(0)) waiter.reject(error);
    });
  }

  read(revision: string, filePath: string): Promise<Buffer | undefined> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.process.stdin.write(`${revision}:${filePath}\n`);
    });
  }

  private drain(): void {
    for (;;) {
      const waiter = this.waiting[0];
      const newline = this.buffer.indexOf(10);
      if (!waiter || newline === -1) return;
      const header = this.buffer.subarray(0, newline).toString('utf8');
      if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
        this.buffer = this.buffer.subarray(newline + 1);
        this.waiting.shift();
        waiter.resolve(undefined);
        continue;
      }
      const size = Number(header.split(' ')[2]);
      if (this.buffer.length < newline + 1 + size + 1) return;
      // a copy of its own, not a slice of Node's shared 8 KB pool: a pooled slice would keep its whole slab alive as
      // long as any small long-lived buffer cut from the same slab (a ZIP entry's name, say) lives
      const content = Buffer.allocUnsafeSlow(size);
      this.buffer.copy(content, 0, newline + 1, newline + 1 + size);
      this.buffer = this.buffer.subarray(newline + 1 + size + 1);
      this.waiting.shift();
      waiter.resolve(content);
    }
  }

  close(): void {
    this.process.stdin.end();
  }
}

const START = '\u0001';
const FIELD = '\u001f';
const END = '\u001e';

/**
 * The record commits after `since` (all when undefined), oldest first, with the content of their file before and
 * after. Commits that are not records (other subjects, several files) are skipped.
 */
export async function* readRecordChanges(
  directory: string,
  since: string | undefined,
  environment: Readonly<Record<string, string>>,
): AsyncGenerator<RecordChange> {
  const git = simpleGit({ baseDir: directory }).env({ ...environment, GIT_LITERAL_PATHSPECS: '1' });
  // a repository without commits yet (every page of the first run failed) has no history to read
  if ((await git.raw(['rev-parse', '--verify', '--quiet', 'HEAD']).catch(() => '')).trim() === '') return;
  const range = since ? `${since}..HEAD` : 'HEAD';
  const log = await git.raw(['log', '--reverse', '--no-renames', '--name-only', `--format=${START}%H${FIELD}%aI${FIELD}%s${FIELD}%b${END}`, range]);
  const reader = new BlobReader(directory, environment);
  const latest = new Map<string, string>();
  try {
    for (const entry of log.split(START)) {
      const end = entry.indexOf(END);
      if (end === -1) continue;
      const [id = '', date = '', subject = '', body = ''] = entry.slice(0, end).split(FIELD);
      const files = entry.slice(end + 1).split('\n').filter(line => line.trim() !== '');
      const [file] = files;
      const parsed = file === undefined ? undefined : parsePath(file);
      if (files.length !== 1 || file === undefined || !parsed) continue;
      const decoded = decodeMessage(subject, body);
      const content = ((await reader.read(id, file)) ?? Buffer.alloc(0)).toString('utf8');
      const previous = latest.get(file) ?? ((await reader.read(`${id}^`, file)) ?? Buffer.alloc(0)).toString('utf8');
      latest.set(file, content);
      yield {
        id,
        date: new Date(date),
        subject,
        serviceId: parsed.serviceId,
        termsType: parsed.termsType,
        isFirstRecord: decoded.isFirstRecord,
        isTechnicalUpgrade: decoded.isTechnicalUpgrade,
        snapshotIds: decoded.snapshotIds,
        metadata: decoded.metadata,
        content,
        previous,
      };
    }
  } finally {
    reader.close();
  }
}

/** Whether `commit` is HEAD or one of its ancestors (false when history was rewritten without it). */
export function isAncestorOfHead(directory: string, commit: string, environment: Readonly<Record<string, string>>): Promise<boolean> {
  return new Promise(resolve => {
    execFile('git', ['merge-base', '--is-ancestor', commit, 'HEAD'], { cwd: directory, env: environment }, error => {
      resolve(!error);
    });
  });
}
