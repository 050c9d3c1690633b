// History resolution (OTA-FORMAT §3): which declaration and which filter functions were in force at a date.
// `validUntil` is inclusive. Every entry's `validUntil` is a boundary, so "the first boundary at or after D"
// selects the same entry as "the first entry whose validUntil is at or after D", which is what is done here.
import { buildTerms, type TermsIdentity } from './build-terms.js';
import type { FilterFunction, FilterOrigin, Terms } from './model.js';
import type { FiltersHistoryModule, FiltersModule, RawDeclaration, RawHistory, RawTerms } from './raw.js';

export interface ServiceSources {
  readonly id: string;
  /** The declaration file as shown in messages. */
  readonly declarationFile: string;
  /** A digest of the filters files' code ('' without any). */
  readonly filtersDigest: string;
  readonly declaration: RawDeclaration;
  readonly history: RawHistory;
  readonly filters: FiltersModule;
  readonly filtersHistory: FiltersHistoryModule;
  /** The absolute paths of the filters files, when there are such files. */
  readonly filtersFile?: string | undefined;
  readonly filtersHistoryFile?: string | undefined;
}

/** The terms declaration in force at `date`: the first history entry with `date <= validUntil`, else the current one. */
export function rawTermsAt(sources: ServiceSources, type: string, date: Date | undefined): RawTerms | undefined {
  const current = sources.declaration.terms[type];
  if (date === undefined) return current;
  const entries = [...(sources.history[type] ?? [])].sort(byValidUntil);
  return entries.find(entry => date.getTime() <= Date.parse(entry.validUntil ?? '')) ?? current;
}

/** The function of a filter name in force at `date`, from the filters history, else the current export; and its origin. */
export function filterAt(sources: ServiceSources, name: string, date: Date | undefined): { run: FilterFunction; origin?: FilterOrigin } | undefined {
  const current = sources.filters[name];
  const fromFile = (run: FilterFunction, file: string | undefined, validUntil?: string): { run: FilterFunction; origin?: FilterOrigin } => ({
    run,
    ...(file !== undefined && { origin: { file, exportName: name, ...(validUntil !== undefined && { validUntil }) } }),
  });
  const currentFilter = typeof current === 'function' ? fromFile(current as FilterFunction, sources.filtersFile) : undefined;
  if (date === undefined) return currentFilter;
  const entries = [...(sources.filtersHistory[name] ?? [])].sort(byValidUntil);
  const past = entries.find(entry => date.getTime() <= Date.parse(entry.validUntil));
  if (past) return typeof past.filter === 'function' ? fromFile(past.filter as FilterFunction, sources.filtersHistoryFile, past.validUntil) : undefined;
  return currentFilter;
}

export function termsAt(sources: ServiceSources, type: string, date: Date | undefined): Terms | undefined {
  const raw = rawTermsAt(sources, type, date);
  if (raw === undefined) return undefined;
  const identity: TermsIdentity = {
    serviceId: sources.id,
    serviceName: sources.declaration.name,
    declarationFile: sources.declarationFile,
    filtersDigest: sources.filtersDigest,
    type,
  };
  return buildTerms(identity, raw, name => filterAt(sources, name, date));
}

function byValidUntil(a: { readonly validUntil?: string }, b: { readonly validUntil?: string }): number {
  return Date.parse(a.validUntil ?? '') - Date.parse(b.validUntil ?? '');
}
