// `lint`: which declaration and history files are not in canonical form, and (with `fix`) rewrites them.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { listDeclarationFiles } from '../declarations/index.js';
import { formatDeclarationText } from './canonical.js';

export interface LintedFile {
  /** The path shown to the user (relative to the collection). */
  readonly file: string;
  readonly status: 'canonical' | 'reformatted' | 'needs-formatting' | 'unreadable';
  /** Why the file could not be formatted (unreadable only). */
  readonly reason?: string;
}

export interface LintOptions {
  readonly declarationsDir: string;
  /** Paths in the results are relative to this folder. */
  readonly displayRoot: string;
  /** Only the files of these service IDs. @default all */
  readonly serviceIds?: readonly string[] | undefined;
  /** Rewrite the files that are not canonical. */
  readonly fix: boolean;
}

export async function lintDeclarations(options: LintOptions): Promise<LintedFile[]> {
  const names = await listDeclarationFiles(options.declarationsDir);
  const results: LintedFile[] = [];
  for (const name of names) {
    const isHistory = name.endsWith('.history.json');
    const serviceId = name.slice(0, -(isHistory ? '.history.json' : '.json').length);
    if (options.serviceIds && !options.serviceIds.includes(serviceId)) continue;
    const absolute = path.join(options.declarationsDir, name);
    const file = path.relative(options.displayRoot, absolute);
    const text = await readFile(absolute, 'utf8');
    let formatted: string;
    try {
      formatted = formatDeclarationText(text, isHistory ? 'history' : 'declaration');
    } catch (error) {
      results.push({ file, status: 'unreadable', reason: `not valid JSON: ${(error as Error).message}` });
      continue;
    }
    if (formatted === text) results.push({ file, status: 'canonical' });
    else if (options.fix) {
      await writeFile(absolute, formatted);
      results.push({ file, status: 'reformatted' });
    } else results.push({ file, status: 'needs-formatting' });
  }
  return results;
}
