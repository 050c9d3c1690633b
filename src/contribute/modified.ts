// `--modified [BASE]`: the services whose declaration files changed since a git base (committed on this branch,
// staged, or not yet added), so that CI and contributors check only what a change touches. The git side is the
// record stage's (changedFilesSince).
import { realpath } from 'node:fs/promises';
import path from 'node:path';

import { changedFilesSince } from '../record/index.js';

/** The service ID a file of declarations/ belongs to, or undefined for other files. */
export function serviceIdOfFile(name: string): string | undefined {
  for (const suffix of ['.filters.history.js', '.history.json', '.filters.js', '.json']) {
    if (name.endsWith(suffix)) return name.slice(0, -suffix.length);
  }
  return undefined;
}

export interface ModifiedDeclarations {
  /** Service IDs with a changed file, sorted. */
  readonly serviceIds: readonly string[];
  /** Changed filters files (code that tracking runs: reviewers must read them), as names in the folder. */
  readonly filterFiles: readonly string[];
}

/** What changed in `declarationsDir` since `base` (default: the branch's upstream). */
export async function modifiedDeclarations(declarationsDir: string, base: string | undefined, environment: Readonly<Record<string, string | undefined>>): Promise<ModifiedDeclarations> {
  const folder = await realpath(declarationsDir);
  const ids = new Set<string>();
  const filterFiles: string[] = [];
  for (const file of await changedFilesSince(declarationsDir, base, environment)) {
    if (path.dirname(file) !== folder) continue;
    const name = path.basename(file);
    const id = serviceIdOfFile(name);
    if (id !== undefined) ids.add(id);
    if (name.endsWith('.filters.js') || name.endsWith('.filters.history.js')) filterFiles.push(name);
  }
  return { serviceIds: [...ids].sort((a, b) => a.localeCompare(b)), filterFiles: filterFiles.sort((a, b) => a.localeCompare(b)) };
}
