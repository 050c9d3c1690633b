// `<Service ID>.filters.js` and `.filters.history.js`: code from contributors. Tracking and extraction import it
// (it runs with the process's rights, as in OTA); commands that only read declarations (validate --schema-only,
// serve, feeds) list its exports without running a line of it.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { init, parse } from 'es-module-lexer';

import { DeclarationError } from './errors.js';
import type { FiltersModule } from './raw.js';

export interface FiltersLoading {
  /** Import the module (true), or only read the names it exports (false). */
  readonly isRun: boolean;
  readonly show: (file: string) => string;
  readonly errors: DeclarationError[];
}

/** A filter that was not loaded to be run: using it is a programming error, said as such. */
function notRun(file: string, name: string): () => never {
  return () => {
    throw new Error(`The filter "${name}" of ${file} was read, not loaded: this command does not run filters`);
  };
}

/** The module's exports: the functions themselves, or stand-ins that refuse to run; {} when there is no file. */
export async function loadFiltersModule(file: string | undefined, loading: FiltersLoading): Promise<FiltersModule> {
  if (file === undefined) return {};
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch {
    return {};
  }
  try {
    if (loading.isRun) return (await import(pathToFileURL(file).href)) as FiltersModule;
    await init;
    const [, exports] = parse(source, file);
    return Object.fromEntries(exports.map(entry => [entry.n, notRun(loading.show(file), entry.n)]));
  } catch (error) {
    loading.errors.push(new DeclarationError(loading.show(file), '', `cannot be loaded: ${String(error)}${await missingPackageHint(error, file)}`, { cause: error }));
    return {};
  }
}

/**
 * When the filters import a package that is not installed, what to do about it: install the collection's
 * dependencies when its package.json lists the package (OTA collections declare their filters' packages there).
 */
async function missingPackageHint(error: unknown, file: string): Promise<string> {
  if ((error as { code?: unknown }).code !== 'ERR_MODULE_NOT_FOUND') return '';
  const name = /Cannot find package '([^']+)'/.exec(String(error))?.[1];
  if (name === undefined) return '';
  for (let folder = path.dirname(path.resolve(file)); ; folder = path.dirname(folder)) {
    const manifest = await readFile(path.join(folder, 'package.json'), 'utf8').catch(() => undefined);
    if (manifest !== undefined) {
      let listed = false;
      try {
        const parsed = JSON.parse(manifest) as { dependencies?: Record<string, unknown>; devDependencies?: Record<string, unknown> };
        listed = name in (parsed.dependencies ?? {}) || name in (parsed.devDependencies ?? {});
      } catch {
        // an unreadable package.json says nothing of the package
      }
      return listed
        ? ` (the package "${name}" is a dependency of the collection's ${path.join(folder, 'package.json')}: install the collection's dependencies, "npm install" in ${folder})`
        : ` (the package "${name}" is not installed: add it to the collection's package.json and run "npm install" in ${folder})`;
    }
    if (path.dirname(folder) === folder) return ` (the package "${name}" is not installed: the filters need it)`;
  }
}
