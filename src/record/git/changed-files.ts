// The files of a folder that changed since a git base: committed on this branch since the merge base, staged,
// modified or not yet added. For contributors' checks of what a change touches (`validate --modified`).
import path from 'node:path';

import { simpleGit } from 'simple-git';

import { UnknownBaseError } from '../errors.js';
import { CALL_SETTINGS, gitEnvironmentOf } from './git.js';

/** Absolute paths of the files in `directory` (not below) changed since `base` (default: the branch's upstream). */
export async function changedFilesSince(directory: string, base: string | undefined, environment: Readonly<Record<string, string | undefined>>): Promise<string[]> {
  const git = simpleGit({ baseDir: directory, config: CALL_SETTINGS }).env(gitEnvironmentOf(environment));
  let root: string;
  try {
    root = (await git.revparse(['--show-toplevel'])).trim();
  } catch {
    throw new UnknownBaseError(`${directory} is not in a git repository: --modified compares with a git base`);
  }
  const reference = base ?? '@{upstream}';
  let mergeBase: string;
  try {
    mergeBase = (await git.raw(['merge-base', reference, 'HEAD'])).trim();
  } catch (error) {
    throw new UnknownBaseError(
      `cannot compare with "${reference}"${base ? '' : ' (this branch has no upstream)'}: give a base, e.g. --modified main (${(error as Error).message.split('\n')[0] ?? ''})`,
    );
  }
  // run in the folder: '.' is that folder; --name-only and --full-name print paths from the repository root
  const committed = await git.raw(['diff', '-z', '--name-only', '--no-renames', mergeBase, '--', '.']);
  const pending = await git.raw(['ls-files', '-z', '--full-name', '--others', '--exclude-standard', '--', '.']);
  return [...committed.split('\0'), ...pending.split('\0')].filter(file => file !== '').map(file => path.join(root, file));
}
