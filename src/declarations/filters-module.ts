// `<Service ID>.filters.js` and `.filters.history.js`: code from contributors. Tracking and extraction import it
// (it runs with the process's rights, as in OTA); commands that only read declarations (validate --schema-only,
// serve, feeds) list its exports without running a line of it.
import { readFile } from 'node:fs/promises';
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
    loading.errors.push(new DeclarationError(loading.show(file), '', `cannot be loaded: ${String(error)}`, { cause: error }));
    return {};
  }
}
