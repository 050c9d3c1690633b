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
import type { FiltersHistoryModule, RawDeclaration, RawHistory, RawTerms } from './raw.js';
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
  /**
   * Broken history entries: errors for `validate`, but the entry is left out and its service loads, so that tracking
   * of the current declaration never stops for them (OTA tracks such services too).
   */
  readonly historyErrors: readonly DeclarationError[];
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
  const historyErrors: DeclarationError[] = [];
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
    historyErrors.push(...(result.historyErrors ?? []));
  }
  return { services, errors, warnings, historyErrors };
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
  /** Broken history entries, left out (see LoadedCollection). */
  readonly historyErrors?: readonly DeclarationError[];
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
  const historyErrors: DeclarationError[] = [];
  if (files.historyPath !== undefined) {
    const historyFile = show(files.historyPath);
    const rawHistory = await readJson(files.historyPath, `${files.id}.history`, historyFile, historyErrors, true);
    if (rawHistory !== undefined) history = usableHistory(rawHistory, historyFile, validators, historyErrors);
  }

  const loading = { isRun: options.areFiltersRun ?? true, show, errors };
  const filters = await loadFiltersModule(files.filtersPath, loading);
  const filtersHistory = await loadFiltersModule(files.filtersHistoryPath, loading);
  if (files.filtersPath !== undefined) checkReservedFilterNames(filters, files.id, show(files.filtersPath), errors);
  if (errors.length > 0) return { errors, warnings, historyErrors };

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
  if (errors.length > 0) return { errors, warnings, historyErrors };

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
  return { service, errors, warnings, historyErrors };
}

/**
 * The entries of a history file that can be used: each broken one is reported and left out (a terms type whose value
 * is not a list, or the whole file when it is not an object, loses its history).
 */
function usableHistory(raw: unknown, file: string, validators: DeclarationValidators, historyErrors: DeclarationError[]): RawHistory {
  const before = historyErrors.length;
  checkHistoryArrays(raw, file, historyErrors);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
  const issues = historyErrors.length === before ? validateAgainst(validators.history, raw) : [];
  for (const issue of issues) historyErrors.push(new DeclarationError(file, issue.path, `${issue.message} (this history entry is left out: the current declaration is still tracked)`));
  if (issues.some(issue => issue.path === '')) return {};
  const broken = new Set(issues.map(issue => /^\[("(?:[^"\\]|\\.)*")\](?:\[(\d+)\])?/.exec(issue.path)).map(match => (match ? `${String(JSON.parse(match[1] ?? '""'))}\u0000${match[2] ?? '*'}` : '')));
  const history: Record<string, RawTerms[]> = {};
  for (const [type, entries] of Object.entries(raw as Record<string, unknown>)) {
    if (!Array.isArray(entries) || broken.has(`${type}\u0000*`)) continue;
    history[type] = (entries as RawTerms[]).filter((_entry, index) => !broken.has(`${type}\u0000${String(index)}`));
  }
  return history;
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
