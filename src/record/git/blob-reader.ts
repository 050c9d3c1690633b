// `git cat-file --batch`: one long-lived process answering `<revision>:<path>` requests in order, so that reading
// many blobs (a history, a dataset, an API's requests) costs one process, not one per blob.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';

export class BlobReader {
  private isClosed = false;
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
      this.fail(error);
    });
    this.process.on('close', code => {
      this.isClosed = true;
      this.fail(new Error(`git cat-file stopped (${String(code)}) before answering`));
    });
    this.process.stdin.on('error', error => {
      this.fail(error);
    });
  }

  /** The blob, or undefined when the revision has no such file. */
  read(revision: string, filePath: string): Promise<Buffer | undefined> {
    // the request is one line: a path with a line break could not be asked for (and no record path has one)
    if (filePath.includes('\n')) return Promise.resolve(undefined);
    if (this.isClosed) return Promise.reject(new Error('git cat-file was closed'));
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.process.stdin.write(`${revision}:${filePath}\n`);
    });
  }

  /** A commit object's text (its headers, then its message), or undefined when there is no such object. */
  readObject(revision: string): Promise<Buffer | undefined> {
    if (!/^[0-9a-f]{4,64}$/.test(revision)) return Promise.resolve(undefined);
    if (this.isClosed) return Promise.reject(new Error('git cat-file was closed'));
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.process.stdin.write(`${revision}\n`);
    });
  }

  private fail(error: Error): void {
    for (const waiter of this.waiting.splice(0)) waiter.reject(error);
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
      // a copy of its own, not a slice of the chunk: a slice would keep the whole chunk alive
      const content = Buffer.allocUnsafeSlow(size);
      this.buffer.copy(content, 0, newline + 1, newline + 1 + size);
      this.buffer = this.buffer.subarray(newline + 1 + size + 1);
      this.waiting.shift();
      waiter.resolve(content);
    }
  }

  close(): void {
    this.isClosed = true;
    this.process.stdin.end();
  }
}
