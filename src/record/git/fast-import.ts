// One long-lived `git fast-import` per repository and pass: a commit is a few lines written to its input, not
// three git processes. Each commit still holds one file, with its own dates and message; `get-mark` answers
// its SHA at once. The branch moves at each checkpoint (which the repository asks for, and waits for) and when the
// stream closes; a crash before that loses only the commits since the last checkpoint, which the next run records
// again.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';

export interface StreamCommit {
  readonly branch: string;
  readonly path: string;
  readonly content: string | Uint8Array;
  readonly message: string;
  readonly date: Date;
  readonly authorName: string;
  readonly authorEmail: string;
}

export class FastImportStream {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly exited: Promise<number | null>;
  private readonly pending: ((line: string) => void)[] = [];
  private buffered = '';
  private stderr = '';
  private mark = 0;
  private checkpoints = 0;
  private failure: Error | undefined;

  /** The commit the branch pointed to when the stream started ('' in an empty repository). */
  private parent: string;

  constructor(directory: string, environment: Readonly<Record<string, string>>, parent: string) {
    this.parent = parent;
    // a pack even for a few objects (git unpacks fewer than 100 into loose files by default): packs are what `git gc
    // --auto` merges after a pass (compact.ts), while loose objects would pile up to its 6,700 before anything is done
    this.child = spawn('git', ['-c', 'fastimport.unpackLimit=1', 'fast-import', '--quiet', '--done'], { cwd: directory, env: environment });
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => {
      this.buffered += chunk;
      let newline = this.buffered.indexOf('\n');
      while (newline !== -1) {
        const line = this.buffered.slice(0, newline);
        this.buffered = this.buffered.slice(newline + 1);
        this.pending.shift()?.(line);
        newline = this.buffered.indexOf('\n');
      }
    });
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    this.child.stdin.on('error', error => {
      this.failure ??= error;
    });
    this.exited = new Promise(resolve => {
      this.child.on('close', code => {
        this.failure ??= code === 0 ? undefined : new Error(`git fast-import stopped (${String(code)}): ${firstLineOf(this.stderr)}`);
        for (const resolveLine of this.pending.splice(0)) resolveLine('');
        resolve(code);
      });
    });
  }

  /** Writes one commit of one file and returns its SHA. Calls must not overlap (the repository serialises them). */
  async commit(commit: StreamCommit): Promise<string> {
    if (this.failure) throw this.failure;
    const mark = ++this.mark;
    const when = `${Math.floor(commit.date.getTime() / 1000)} +0000`;
    const person = `${commit.authorName} <${commit.authorEmail}> ${when}`;
    const message = Buffer.from(commit.message, 'utf8');
    const content = typeof commit.content === 'string' ? Buffer.from(commit.content, 'utf8') : Buffer.from(commit.content);
    this.write(
      Buffer.concat([
        Buffer.from(`commit refs/heads/${commit.branch}\nmark :${mark}\nauthor ${person}\ncommitter ${person}\ndata ${message.length}\n`),
        message,
        // fast-import only continues a branch it has seen in this stream: the first commit names its parent
        Buffer.from(this.parent ? `\nfrom ${this.parent}` : ''),
        Buffer.from(`\nM 100644 inline ${quotePath(commit.path)}\ndata ${content.length}\n`),
        content,
        Buffer.from(`\n\nget-mark :${mark}\n`),
      ]),
    );
    const sha = await new Promise<string>(resolve => this.pending.push(resolve));
    if (!/^[0-9a-f]{40}$/.test(sha)) throw this.failure ?? new Error(`git fast-import gave no commit id: ${firstLineOf(this.stderr)}`);
    this.parent = '';
    return sha;
  }

  /** Writes the commits so far to disk and moves the branch to the last one; resolves once git says it is done. */
  async checkpoint(): Promise<void> {
    if (this.failure) throw this.failure;
    const token = `checkpoint ${String(++this.checkpoints)}`;
    this.write(Buffer.from(`checkpoint\n\nprogress ${token}\n\n`));
    const line = await new Promise<string>(resolve => this.pending.push(resolve));
    if (line !== `progress ${token}`) throw this.failure ?? new Error(`git fast-import did not complete its checkpoint: ${firstLineOf(this.stderr)}`);
  }

  /** Stops the stream without writing anything more: the commits since the last checkpoint are dropped. */
  async abandon(): Promise<void> {
    this.failure ??= new Error('git fast-import was abandoned');
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** Ends the stream: the branch then points at the last commit. */
  async close(): Promise<void> {
    if (!this.child.stdin.writableEnded) this.child.stdin.end('done\n');
    await this.exited;
    if (this.failure) throw this.failure;
  }

  private write(bytes: Buffer): void {
    if (this.failure) throw this.failure;
    this.child.stdin.write(bytes);
  }
}

/** git's first line of complaint (the rest is advice for people at a terminal). */
function firstLineOf(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}

/** fast-import reads a path raw unless it starts with a quote or holds a newline; then it is C-quoted. */
function quotePath(path: string): string {
  if (!path.startsWith('"') && !path.includes('\n')) return path;
  return `"${path.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}
