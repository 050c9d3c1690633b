// The one wrapper around the git binary (through simple-git). Commit dates go into the fast-import stream;
// process.env is never changed. Paths are literal (GIT_LITERAL_PATHSPECS), so service IDs with `*`, `?` or `[`
// stay plain file names, and printed unquoted whatever the repository's settings (core.quotePath=false on every
// call: a fresh clone keeps git's default, which would print "DALL\302\267E/…").
import { access, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { simpleGit, type SimpleGit } from 'simple-git';

import { FastImportStream } from './fast-import.js';

/**
 * What git inherits from the caller's environment: enough to run and to read text. Editors, pagers, askpass
 * helpers and GIT_* settings are left out: a commit must not depend on the shell that started the run (and
 * simple-git refuses several of them).
 */
const INHERITED_VARIABLES = new Set(['PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'LANGUAGE', 'LC_ALL', 'LC_CTYPE', 'TMPDIR', 'SYSTEMROOT']);

/** Settings given to every git call, so that what git prints does not depend on the repository's config. */
export const CALL_SETTINGS = ['core.quotepath=false'];

/** The environment of git processes: the inherited variables of `environment`, literal pathspecs, no prompts. */
export function gitEnvironmentOf(environment: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return {
    ...Object.fromEntries(Object.entries(environment).filter((entry): entry is [string, string] => entry[1] !== undefined && INHERITED_VARIABLES.has(entry[0]))),
    GIT_LITERAL_PATHSPECS: '1',
    GIT_TERMINAL_PROMPT: '0',
  };
}

export interface GitOptions {
  /** The repository folder; created when missing (unless read-only). */
  readonly directory: string;
  readonly authorName: string;
  readonly authorEmail: string;
  /** The environment git runs in (PATH, HOME…); the caller owns it. */
  readonly environment: Readonly<Record<string, string | undefined>>;
}

export interface CommitFileOptions {
  readonly message: string;
  readonly date: Date;
}

export class Git {
  readonly directory: string;
  /** The environment of the git processes this wrapper starts itself (fast-import, cat-file). */
  readonly environment: Readonly<Record<string, string>>;
  private git: SimpleGit | undefined;
  private readonly options: GitOptions;
  private stream: FastImportStream | undefined;
  private branch: string | undefined;

  constructor(options: GitOptions) {
    this.options = options;
    this.directory = options.directory;
    this.environment = gitEnvironmentOf(options.environment);
  }

  /** The folder of side files: inside .git, so never committed, and gone with the repository. */
  get sideFilesDirectory(): string {
    return path.join(this.directory, '.git', 'terms-archive');
  }

  private client(): SimpleGit {
    // Created on first use: simple-git needs the folder, which initialize() creates.
    this.git ??= simpleGit({ baseDir: this.directory, maxConcurrentProcesses: 1, config: CALL_SETTINGS }).env(this.environment);
    return this.git;
  }

  /** Whether the folder holds a repository (a work tree with its .git folder). */
  async exists(): Promise<boolean> {
    return access(path.join(this.directory, '.git', 'HEAD')).then(() => true, () => false);
  }

  /** Creates or reopens the repository and brings it back to its last commit after a crash (OTA-FORMAT §7.1). */
  async initialize(): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    const git = this.client();
    if (!(await this.exists())) await git.raw(['init', '--quiet', '-b', 'main']);
    // simple-git waits 50 ms more after any git command that prints nothing, so the steps below use commands
    // that print, and run the silent ones only when there is something to do: a reopened repository costs two
    // git processes here instead of nine.
    const settings: Record<string, string> = {
      'core.autocrlf': 'false',
      'core.quotepath': 'false',
      'push.default': 'current',
      'user.name': this.options.authorName,
      'user.email': this.options.authorEmail,
    };
    const current = parseConfigList(await git.raw(['config', '--local', '--list', '--null']));
    for (const [key, value] of Object.entries(settings)) {
      if (current.get(key) !== value) await git.raw(['config', key, value]);
    }
    // A crash can leave lock files behind; we are the only writer, so they are stale.
    await rm(path.join(this.directory, '.git', 'objects', 'info', 'commit-graph.lock'), { force: true });
    await rm(path.join(this.directory, '.git', 'index.lock'), { force: true });
    // `--branch` makes status print even when the tree is clean
    const status = await git.raw(['status', '--porcelain=v2', '--branch', '--untracked-files=all']);
    const changes = status.split('\n').filter(line => line !== '' && !line.startsWith('# '));
    if (changes.some(line => !line.startsWith('? '))) await git.raw(['reset', '--hard']);
    if (changes.some(line => line.startsWith('? '))) await git.raw(['clean', '-f', '-d', '--quiet']);
  }

  /** The SHA of HEAD, or '' in a repository without commits. */
  async head(): Promise<string> {
    try {
      // simple-git resolves on a silent non-zero exit, so the answer is the output itself.
      return (await this.client().raw(['rev-parse', '--verify', '--quiet', 'HEAD'])).trim();
    } catch {
      return '';
    }
  }

  /** Whether `commit` is HEAD or one of its ancestors (false when history was rewritten without it). */
  async isAncestorOfHead(commit: string): Promise<boolean> {
    if (!/^[0-9a-f]{4,64}$/.test(commit) || (await this.head()) === '') return false;
    try {
      return (await this.client().raw(['merge-base', commit, 'HEAD'])).trim() === commit;
    } catch {
      return false; // an unknown commit
    }
  }

  async commitCount(): Promise<number> {
    if ((await this.head()) === '') return 0;
    return Number((await this.client().raw(['rev-list', '--count', 'HEAD'])).trim());
  }

  /**
   * Writes one file to the working tree and commits it alone, through the repository's fast-import stream;
   * returns the new commit's SHA. The working tree stays what the branch holds, so reads can use it.
   */
  async commitFile(relativePath: string, content: string | Uint8Array, options: CommitFileOptions): Promise<string> {
    const absolutePath = path.join(this.directory, relativePath);
    await mkdir(path.dirname(absolutePath), { recursive: true });
    await writeFile(absolutePath, content);
    this.branch ??= await this.currentBranch();
    this.stream ??= new FastImportStream(this.directory, this.environment, await this.head());
    return this.stream.commit({
      branch: this.branch,
      path: relativePath,
      content,
      message: options.message,
      date: options.date,
      authorName: this.options.authorName,
      authorEmail: this.options.authorEmail,
    });
  }

  /** Ends the fast-import stream, if one was started, so the branch holds every commit; then refreshes the index. */
  async flush(): Promise<void> {
    const stream = this.stream;
    if (!stream) return;
    this.stream = undefined;
    await stream.close();
    // the index to the new HEAD; --hard prints "HEAD is now at …" (see initialize), and the working tree already
    // holds what the branch holds
    await this.client().raw(['reset', '--hard']);
  }

  /** Moves the branch to the commits written so far, keeping the stream open. */
  async checkpoint(): Promise<void> {
    await this.stream?.checkpoint();
  }

  /**
   * Drops the commits written since the last checkpoint (their snapshots could not be kept, say): the stream is
   * stopped without moving the branch, and the working tree brought back to it.
   */
  async abandon(): Promise<void> {
    const stream = this.stream;
    this.stream = undefined;
    await stream?.abandon();
    await this.client().raw(['reset', '--hard']);
    await this.client().raw(['clean', '-f', '-d', '--quiet']);
  }

  private async currentBranch(): Promise<string> {
    const name = (await this.client().raw(['symbolic-ref', '--quiet', '--short', 'HEAD'])).trim();
    return name || 'main';
  }

  /** The bytes of `<revision>:<path>` (`git show`), binary-safe. */
  async readBlob(revision: string, filePath: string): Promise<Buffer> {
    return this.client().showBuffer([`${revision}:${filePath}`]);
  }

  async raw(args: readonly string[]): Promise<string> {
    return this.client().raw([...args]);
  }
}

/** `git config --list --null` output: entries `key\nvalue\0`. */
function parseConfigList(output: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const entry of output.split('\0')) {
    const newline = entry.indexOf('\n');
    if (newline > 0) entries.set(entry.slice(0, newline).toLowerCase(), entry.slice(newline + 1));
  }
  return entries;
}
