// The only code that reads a collection's declarations/ folder (OTA-FORMAT §1–4). A broken service is
// reported as a DeclarationError naming its file and JSON path and left out; the other services load.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

import { DeclarationError, type DeclarationWarning, MissingDeclarationsError } from './errors.js';
import { loadFiltersModule } from './filters-module.js';
import { termsAt, type ServiceSources } from './history.js';
import { unsafeNameReason } from './names.js';
import type { Service } from './model.js';
import type { FiltersHistoryModule, RawDeclaration, RawHistory } from './raw.js';
import { checkHistoryArrays, checkReservedFilterNames, checkTerms } from './rules.js';
import { createValidators, type DeclarationValidators, validateAgainst } from './schema.js';

export interface LoadOptions {
  /** File names in messages are shown relative to this folder. @default the parent of the declarations folder */
  readonly displayRoot?: string;
  /** Known terms types; a declaration using another one gets a warning. @default no check */
  readonly termsTypes?: readonly string[];
  /** Load only these service IDs. @default all */
  readonly serviceIds?: readonly string[];
  /**
   * Import the filters files, which runs their code (tracking, extraction); false only reads the names they export,
   * for commands that never extract. @default true
   */
  readonly areFiltersRun?: boolean;
}

export interface LoadedCollection {
  readonly services: readonly Service[];
  readonly errors: readonly DeclarationError[];
  readonly warnings: readonly DeclarationWarning[];
}

/** The JSON files of a declarations folder (declarations and histories), sorted; MissingDeclarationsError without one. */
export async function listDeclarationFiles(directory: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    throw new MissingDeclarationsError(directory, { cause: error });
  }
  return names.filter(name => name.endsWith('.json')).sort((a, b) => a.localeCompare(b));
}

/** The service IDs of a declarations folder: `<id>.json` files that are not `.history.json`. */
export async function listServiceIds(directory: string): Promise<string[]> {
  return (await listDeclarationFiles(directory)).filter(name => !name.includes('.history.json')).map(name => name.slice(0, -'.json'.length));
}

export async function loadDeclarations(directory: string, options: LoadOptions = {}): Promise<LoadedCollection> {
  const validators = createValidators();
  const displayRoot = options.displayRoot ?? path.dirname(directory);
  const all = await listServiceIds(directory);
  const ids = options.serviceIds ? all.filter(id => options.serviceIds?.includes(id)) : all;
  const services: Service[] = [];
  const errors: DeclarationError[] = [];
  const warnings: DeclarationWarning[] = [];
  for (const id of ids) {
    const result = await loadServiceFiles(
      {
        id,
        declarationPath: path.join(directory, `${id}.json`),
        historyPath: path.join(directory, `${id}.history.json`),
        filtersPath: path.join(directory, `${id}.filters.js`),
        filtersHistoryPath: path.join(directory, `${id}.filters.history.js`),
      },
      { displayRoot, validators, ...(options.termsTypes && { termsTypes: options.termsTypes }), ...(options.areFiltersRun !== undefined && { areFiltersRun: options.areFiltersRun }) },
    );
    if (result.service) services.push(result.service);
    errors.push(...result.errors);
    warnings.push(...result.warnings);
  }
  return { services, errors, warnings };
}

export interface ServiceFiles {
  readonly id: string;
  readonly declarationPath: string;
  /** Optional files: absent files are fine. */
  readonly historyPath?: string;
  readonly filtersPath?: string;
  readonly filtersHistoryPath?: string;
}

interface LoadServiceOptions {
  readonly displayRoot: string;
  readonly validators?: DeclarationValidators;
  readonly termsTypes?: readonly string[];
  /** @default true: see LoadOptions */
  readonly areFiltersRun?: boolean;
}

export interface LoadedService {
  readonly service?: Service;
  readonly errors: readonly DeclarationError[];
  readonly warnings: readonly DeclarationWarning[];
}

/** Loads one service from explicit file paths (used by `extract`, whose files need not follow the naming). */
export async function loadServiceFiles(files: ServiceFiles, options: LoadServiceOptions): Promise<LoadedService> {
  const validators = options.validators ?? createValidators();
  const show = (file: string): string => path.relative(options.displayRoot, file) || file;
  const errors: DeclarationError[] = [];
  const warnings: DeclarationWarning[] = [];
  const declarationFile = show(files.declarationPath);

  const idProblem = unsafeNameReason(files.id);
  if (idProblem !== undefined) {
    // the ID names folders and commit messages: nothing of this service is read, let alone recorded
    errors.push(new DeclarationError(declarationFile, '', `the service ID ${JSON.stringify(files.id)} (the file name) ${idProblem}: rename the file`));
    return { errors, warnings };
  }
  const declaration = await readJson(files.declarationPath, files.id, declarationFile, errors);
  if (declaration === undefined) return { errors, warnings };
  for (const issue of validateAgainst(validators.declaration, declaration)) {
    errors.push(new DeclarationError(declarationFile, issue.path, issue.message));
  }

  let history: RawHistory = {};
  if (files.historyPath !== undefined) {
    const historyFile = show(files.historyPath);
    const rawHistory = await readJson(files.historyPath, `${files.id}.history`, historyFile, errors, true);
    if (rawHistory !== undefined) {
      const before = errors.length;
      checkHistoryArrays(rawHistory, historyFile, errors);
      if (errors.length === before) {
        for (const issue of validateAgainst(validators.history, rawHistory)) {
          errors.push(new DeclarationError(historyFile, issue.path, issue.message));
        }
      }
      history = rawHistory as RawHistory;
    }
  }

  const loading = { isRun: options.areFiltersRun ?? true, show, errors };
  const filters = await loadFiltersModule(files.filtersPath, loading);
  const filtersHistory = await loadFiltersModule(files.filtersHistoryPath, loading);
  if (files.filtersPath !== undefined) checkReservedFilterNames(filters, files.id, show(files.filtersPath), errors);
  if (errors.length > 0) return { errors, warnings };

  const raw = declaration as RawDeclaration;
  const sources: ServiceSources = {
    id: files.id,
    declarationFile,
    filtersDigest: await digestOf([files.filtersPath, files.filtersHistoryPath]),
    declaration: raw,
    history,
    filters,
    filtersHistory: filtersHistory as FiltersHistoryModule,
    ...(Object.keys(filters).length > 0 && files.filtersPath !== undefined && { filtersFile: path.resolve(files.filtersPath) }),
    ...(Object.keys(filtersHistory).length > 0 && files.filtersHistoryPath !== undefined && { filtersHistoryFile: path.resolve(files.filtersHistoryPath) }),
  };
  checkTerms(sources, declarationFile, options.termsTypes, errors, warnings);
  if (errors.length > 0) return { errors, warnings };

  const termsTypes = Object.keys(raw.terms);
  const service: Service = {
    id: files.id,
    name: raw.name,
    declarationFile,
    termsTypes,
    getTerms(type, date) {
      const terms = termsAt(sources, type, date);
      if (!terms) throw new DeclarationError(declarationFile, `terms[${JSON.stringify(type)}]`, 'no such terms type');
      return terms;
    },
  };
  return { service, errors, warnings };
}

/** A digest of the files that exist among these ('' when none does). */
async function digestOf(files: readonly (string | undefined)[]): Promise<string> {
  const hash = createHash('sha256');
  let found = false;
  for (const file of files) {
    if (file === undefined) continue;
    const content = await readFile(file).catch(() => undefined);
    if (content === undefined) continue;
    found = true;
    hash.update(file).update('\u0000').update(content);
  }
  return found ? hash.digest('hex') : '';
}

async function readJson(
  file: string,
  id: string,
  shownFile: string,
  errors: DeclarationError[],
  isOptional = false,
): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (isOptional && (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    errors.push(new DeclarationError(shownFile, '', `cannot be read: ${(error as Error).message}`, { cause: error }));
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    errors.push(
      new DeclarationError(
        shownFile,
        '',
        `The "${id}" service declaration is malformed and cannot be parsed in ${shownFile}: ${(error as Error).message}`,
        { cause: error },
      ),
    );
    return undefined;
  }
}
