// `--modified [BASE]`: the services whose declaration files changed since a git base (committed on this branch,
// staged, or not yet added), so that CI and contributors check only what a change touches.
import { realpath } from 'node:fs/promises';
import path from 'node:path';

import { simpleGit } from 'simple-git';

/** The service ID a file of declarations/ belongs to, or undefined for other files. */
export function serviceIdOfFile(name: string): string | undefined {
  for (const suffix of ['.filters.history.js', '.history.json', '.filters.js', '.json']) {
    if (name.endsWith(suffix)) return name.slice(0, -suffix.length);
  }
  return undefined;
}

export class UnknownBaseError extends Error {
  override name = 'UnknownBaseError';
}

/** Service IDs with a changed file in `declarationsDir` since `base` (default: the branch's upstream). */
export async function modifiedServiceIds(declarationsDir: string, base: string | undefined, environment: Readonly<Record<string, string>>): Promise<string[]> {
  const git = simpleGit({ baseDir: declarationsDir }).env({ ...environment, GIT_LITERAL_PATHSPECS: '1' });
  const root = (await git.revparse(['--show-toplevel'])).trim();
  const reference = base ?? '@{upstream}';
  let mergeBase: string;
  try {
    mergeBase = (await git.raw(['merge-base', reference, 'HEAD'])).trim();
  } catch (error) {
    throw new UnknownBaseError(
      `cannot compare with "${reference}"${base ? '' : ' (this branch has no upstream)'}: give a base, e.g. --modified main (${(error as Error).message.split('\n')[0] ?? ''})`,
    );
  }
  // run in declarations/: '.' is that folder; --name-only and --full-name print paths from the repository root
  const committed = await git.raw(['diff', '--name-only', '--no-renames', mergeBase, '--', '.']);
  const pending = await git.raw(['ls-files', '--full-name', '--others', '--exclude-standard', '--', '.']);
  const ids = new Set<string>();
  for (const file of [...committed.split('\n'), ...pending.split('\n')]) {
    if (file === '') continue;
    const absolute = path.join(root, file);
    if (path.dirname(absolute) !== (await realpath(declarationsDir))) continue;
    const id = serviceIdOfFile(path.basename(absolute));
    if (id !== undefined) ids.add(id);
  }
  return [...ids].sort((a, b) => a.localeCompare(b));
}
