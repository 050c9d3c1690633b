// The JSON shapes of declaration files, exactly as written (after schema validation).
import type { FilterDeclaration, Selectors } from './model.js';

/** When a fetched page is not the terms (named after OTA's versions-cleaner decisions). */
export interface RawSkipRules {
  readonly skipSelectors?: string | readonly string[];
  readonly skipMissingSelectors?: string | readonly string[];
  readonly skipContent?: Readonly<Record<string, string>>;
}

export interface RawSourceDocument extends RawSkipRules {
  readonly fetch: string;
  readonly select?: Selectors;
  readonly remove?: Selectors;
  readonly filter?: readonly FilterDeclaration[];
  readonly executeClientScripts?: boolean;
}

export interface RawTerms extends RawSkipRules {
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
