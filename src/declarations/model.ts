// Domain types of a collection. The words of the declaration files (fetch, select, remove, filter) are
// mapped to domain words (location, contentSelectors, insignificantContentSelectors, filters) here only.

/** A CSS selector, as written in a declaration. */
export type CssSelector = string;

/** A range of the page between two elements; exactly one start key and one end key are set. */
export interface RangeSelector {
  readonly startBefore?: CssSelector;
  readonly startAfter?: CssSelector;
  readonly endBefore?: CssSelector;
  readonly endAfter?: CssSelector;
}

export type Selector = CssSelector | RangeSelector;

/** `select` or `remove` as declared: one selector or a list of them. */
export type Selectors = Selector | readonly Selector[];

/** A filter as declared: its name, or `{ "<name>": params }`. */
export type FilterDeclaration = string | Readonly<Record<string, unknown>>;

/** A function exported by `<serviceId>.filters.js`; it changes the document in place. */
export type FilterFunction = (document: Document, ...args: unknown[]) => unknown;

/** One step of a source document's filter chain, resolved for a date. */
export interface FilterStep {
  readonly name: string;
  /** The params of `{ "<name>": params }`; ignored when falsy (OTA calls the filter without them). */
  readonly params: unknown;
  /** The engine provides this filter (`removeQueryParams`); `run` is then absent. */
  readonly isBuiltIn: boolean;
  /** The service's function; absent for built-ins and for unknown names, which are skipped. */
  readonly run?: FilterFunction;
  /** Where `run` comes from, so that another thread can load it again (to run it under a time limit). */
  readonly origin?: FilterOrigin;
}

/** A filter function's place: an export of a filters file, or one entry of a filters history file's export. */
export interface FilterOrigin {
  /** The module's absolute path. */
  readonly file: string;
  readonly exportName: string;
  /** For `<Service ID>.filters.history.js`: the `validUntil` of the entry whose `filter` it is. */
  readonly validUntil?: string;
}

export interface SourceDocument {
  /** The document ID used in snapshot paths of combined terms; '' for single-document terms. */
  readonly id: string;
  /** The declared `fetch` URL. */
  readonly location: string;
  /** `true`: browser only; `false`: plain HTTP only; `undefined`: plain HTTP, browser when bot-blocked. */
  readonly executeClientScripts: boolean | undefined;
  /** `select` as declared (after combine inheritance). */
  readonly contentSelectors: Selectors | undefined;
  /** `remove` as declared (after combine inheritance). */
  readonly insignificantContentSelectors: Selectors | undefined;
  readonly filters: readonly FilterStep[];
  /** When a page fetched from here is not the terms; absent when the declaration says nothing. */
  readonly skip?: SkipRules;
}

/** Declared signs that a fetched page is not the terms (a wall, an error page): it is then neither recorded nor extracted. */
export interface SkipRules {
  /** Not the terms when any of these matches an element (`skipSelectors`). */
  readonly selectors: readonly CssSelector[];
  /** Not the terms when any of these matches nothing (`skipMissingSelectors`). */
  readonly missingSelectors: readonly CssSelector[];
  /** Not the terms when an element matched by the selector holds the text (`skipContent`: selector → text). */
  readonly content: readonly (readonly [CssSelector, string])[];
}

export interface Terms {
  readonly serviceId: string;
  readonly serviceName: string;
  /** The service's declaration file, as shown in messages. */
  readonly declarationFile: string;
  readonly type: string;
  readonly sourceDocuments: readonly SourceDocument[];
  /** Two or more source documents: snapshot paths then carry the document ID. */
  readonly isCombined: boolean;
  /** A digest of the service's filters files ('' without any): their code can change what is extracted. */
  readonly filtersDigest: string;
}

export interface Service {
  readonly id: string;
  readonly name: string;
  /** The declaration file, as shown in messages (e.g. `declarations/Acme.json`). */
  readonly declarationFile: string;
  /** Terms types in declaration order. */
  readonly termsTypes: readonly string[];
  /** The terms of that type as declared now, or as they were at `date` (history files, inclusive `validUntil`). */
  getTerms(type: string, date?: Date): Terms;
}

/** Selectors as a list, whatever their declared form. */
export function toSelectorList(selectors: Selectors | undefined): readonly Selector[] {
  if (selectors === undefined) return [];
  return Array.isArray(selectors) ? (selectors as readonly Selector[]) : [selectors as Selector];
}

/** The plain CSS selectors of a list, with each range's start and end selectors. */
export function flattenSelectors(selectors: Selectors | undefined): CssSelector[] {
  const result: CssSelector[] = [];
  for (const selector of toSelectorList(selectors)) {
    if (typeof selector === 'string') result.push(selector);
    else for (const key of ['startBefore', 'startAfter', 'endBefore', 'endAfter'] as const) {
      const value = selector[key];
      if (value !== undefined) result.push(value);
    }
  }
  return result;
}
