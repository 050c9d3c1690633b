// `git cat-file --batch`: one long-lived process answering `<revision>:<path>` requests in order, so that reading
// many blobs (a history, a dataset, an API's requests) costs one process, not one per blob.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';

export class BlobReader {
  private isClosed = false;
  private readonly process: ChildProcessWithoutNullStreams;
  /** What git wrote and was not read yet, as it came: concatenating on each chunk would copy it again and again. */
  private chunks: Buffer[] = [];
  private outgoing: string[] = [];
  private buffered = 0;
  private readonly waiting: { resolve: (content: Buffer | undefined) => void; reject: (error: Error) => void }[] = [];

  constructor(directory: string, environment: Readonly<Record<string, string>>) {
    this.process = spawn('git', ['cat-file', '--batch'], { cwd: directory, env: environment });
    this.process.stdout.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
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
      this.send(`${revision}:${filePath}\n`);
    });
  }

  /** A commit object's text (its headers, then its message), or undefined when there is no such object. */
  readObject(revision: string): Promise<Buffer | undefined> {
    if (!/^[0-9a-f]{4,64}$/.test(revision)) return Promise.resolve(undefined);
    if (this.isClosed) return Promise.reject(new Error('git cat-file was closed'));
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.send(`${revision}\n`);
    });
  }

  /** Requests asked for in the same turn go to git in one write. */
  private send(request: string): void {
    if (this.outgoing.push(request) > 1) return;
    queueMicrotask(() => {
      const requests = this.outgoing.join('');
      this.outgoing = [];
      if (!this.isClosed) this.process.stdin.write(requests);
    });
  }

  private fail(error: Error): void {
    for (const waiter of this.waiting.splice(0)) waiter.reject(error);
  }

  /** The first `length` bytes waiting, copied into a buffer of their own, and dropped from the queue. */
  private take(length: number): Buffer {
    const taken = Buffer.allocUnsafeSlow(length);
    let filled = 0;
    while (filled < length) {
      const chunk = this.chunks[0] as Buffer;
      const used = Math.min(chunk.length, length - filled);
      chunk.copy(taken, filled, 0, used);
      filled += used;
      if (used === chunk.length) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(used);
    }
    this.buffered -= length;
    return taken;
  }

  /** Where the first line break waiting is, counted from the first byte waiting; -1 when none came yet. */
  private lineEnd(): number {
    let offset = 0;
    for (const chunk of this.chunks) {
      const at = chunk.indexOf(10);
      if (at !== -1) return offset + at;
      offset += chunk.length;
    }
    return -1;
  }

  private drain(): void {
    for (;;) {
      const waiter = this.waiting[0];
      const newline = this.lineEnd();
      if (!waiter || newline === -1) return;
      const header = this.peek(newline).toString('utf8');
      if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
        this.take(newline + 1);
        this.waiting.shift();
        waiter.resolve(undefined);
        continue;
      }
      const size = Number(header.split(' ')[2]);
      if (this.buffered < newline + 1 + size + 1) return;
      this.take(newline + 1);
      // a copy of its own, not a slice of a chunk: a slice would keep the whole chunk alive
      const content = this.take(size);
      this.take(1);
      this.waiting.shift();
      waiter.resolve(content);
    }
  }

  /** The first `length` bytes waiting, left in the queue (a header line: short). */
  private peek(length: number): Buffer {
    const first = this.chunks[0] as Buffer;
    return first.length >= length ? first.subarray(0, length) : Buffer.concat(this.chunks).subarray(0, length);
  }

  close(): void {
    this.isClosed = true;
    this.process.stdin.end();
  }
}
