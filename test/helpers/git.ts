import { execFileSync } from 'node:child_process';

export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8' });
}

export function commitCount(dir: string): number {
  try {
    return Number(git(dir, 'rev-list', '--count', 'HEAD').trim());
  } catch {
    return 0;
  }
}

/** Subjects, newest first. */
export function subjects(dir: string): string[] {
  return git(dir, 'log', '--format=%s').trim().split('\n').filter(Boolean);
}
