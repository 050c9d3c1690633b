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

/** Service IDs with a changed file in `declarationsDir` since `base` (default: the branch's upstream). */
export async function modifiedServiceIds(declarationsDir: string, base: string | undefined, environment: Readonly<Record<string, string | undefined>>): Promise<string[]> {
  const folder = await realpath(declarationsDir);
  const ids = new Set<string>();
  for (const file of await changedFilesSince(declarationsDir, base, environment)) {
    if (path.dirname(file) !== folder) continue;
    const id = serviceIdOfFile(path.basename(file));
    if (id !== undefined) ids.add(id);
  }
  return [...ids].sort((a, b) => a.localeCompare(b));
}
