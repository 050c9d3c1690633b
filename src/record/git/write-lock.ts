// One writer per repository: two tracking processes on one collection would each run a fast-import stream on the same
// branch, and git would drop one's commits without a word ("Not updating refs/heads/main"). The lock is a file of the
// repository's side files, made with O_EXCL; one left by a process that is gone (a kill -9) is taken over.
import { open, readFile, rm } from 'node:fs/promises';
import os from 'node:os';

import { RepositoryLockedError } from '../errors.js';

interface Holder {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class WriteLock {
  private constructor(private readonly file: string) {}

  /** Takes the lock of the repository at `location`, kept as `file`; RepositoryLockedError when another process has it. */
  static async acquire(file: string, location: string): Promise<WriteLock> {
    const holder: Holder = { pid: process.pid, host: os.hostname(), since: new Date().toISOString() };
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const handle = await open(file, 'wx');
        await handle.writeFile(JSON.stringify(holder));
        await handle.close();
        return new WriteLock(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const current = await readFile(file, 'utf8').then(text => JSON.parse(text) as Holder, () => undefined);
      const isStale = current === undefined || (current.host === holder.host && !isRunning(current.pid));
      if (!isStale) throw new RepositoryLockedError(location, `pid ${String(current.pid)} on ${current.host}, since ${current.since}`, file);
      await rm(file, { force: true });
    }
    throw new RepositoryLockedError(location, 'another process, just now', file);
  }

  async release(): Promise<void> {
    await rm(this.file, { force: true });
  }
}
