// The JSON shapes of declaration files, exactly as written (after schema validation).
import type { FilterDeclaration, Selectors } from './model.js';

export interface RawSourceDocument {
  readonly fetch: string;
  readonly select?: Selectors;
  readonly remove?: Selectors;
  readonly filter?: readonly FilterDeclaration[];
  readonly executeClientScripts?: boolean;
}

export interface RawTerms {
  readonly fetch?: string;
  readonly combine?: readonly RawSourceDocument[];
  readonly select?: Selectors;
  readonly remove?: Selectors;
  readonly filter?: readonly FilterDeclaration[];
  readonly executeClientScripts?: boolean;
  readonly validUntil?: string;
}

export interface RawDeclaration {
  readonly name: string;
  readonly importedFrom?: string;
  readonly terms: Readonly<Record<string, RawTerms>>;
}

export type RawHistory = Readonly<Record<string, readonly RawTerms[]>>;

/** Exports of `<id>.filters.js`: one function per filter name. */
export type FiltersModule = Readonly<Record<string, unknown>>;

/** Exports of `<id>.filters.history.js`: per filter name, its past functions. */
export type FiltersHistoryModule = Readonly<Record<string, readonly { readonly validUntil: string; readonly filter: unknown }[]>>;

/** The name of each filter of a list, params ignored. */
export function filterNameOf(filter: FilterDeclaration): string {
  return typeof filter === 'string' ? filter : (Object.keys(filter)[0] ?? '');
}
