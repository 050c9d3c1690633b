// Keeping a repository compact. Records are written by `git fast-import`, which leaves one pack a pass (one per 100
// commits in a large pass) and never runs git's own housekeeping, so a repository tracked every few hours for years
// would gather thousands of small packs (slower reads, a larger .git). After a pass, `git gc --auto` repacks when git's own thresholds say so (by default
// more than 50 packs or 6,700 loose objects) and returns at once otherwise. It runs in the foreground, inside the
// writer's lock: a detached gc would outlive the pass and race the next one.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

import { gitEnvironmentOf } from './git.js';

export interface CompactResult {
  /** Packs before and after; equal when git found nothing to do. */
  readonly packsBefore: number;
  readonly packsAfter: number;
}

function git(directory: string, args: readonly string[], environment: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd: directory, env: environment, maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`git ${args.join(' ')} failed in ${directory}: ${stderr.trim().split('\n')[0] ?? error.message}`));
      else resolve(stdout);
    });
  });
}

async function packCount(directory: string, environment: Record<string, string>): Promise<number> {
  const output = await git(directory, ['count-objects', '-v'], environment);
  return Number(/^packs: (\d+)$/m.exec(output)?.[1] ?? 0);
}

/**
 * Runs `git gc --auto` in the repository at `directory`: undefined when there is no repository there yet (nothing was
 * recorded); rejects with git's first line of error.
 */
export async function compactRepository(directory: string, environment: Readonly<Record<string, string | undefined>>): Promise<CompactResult | undefined> {
  if (!existsSync(path.join(directory, '.git'))) return undefined;
  const env = gitEnvironmentOf(environment);
  const packsBefore = await packCount(directory, env);
  await git(directory, ['-c', 'gc.autoDetach=false', 'gc', '--auto', '--quiet'], env);
  return { packsBefore, packsAfter: await packCount(directory, env) };
}
