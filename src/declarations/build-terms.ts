// Turns one raw terms declaration into domain Terms: combine inheritance (OTA-FORMAT §2), document IDs
// (§7.3) and the filter chain of each source document.
import { documentIdOf } from './document-id.js';
import type { FilterDeclaration, FilterFunction, FilterOrigin, FilterStep, SkipRules, SourceDocument, Terms } from './model.js';
import { filterNameOf, type RawSourceDocument, type RawTerms } from './raw.js';
import { BUILT_IN_FILTER_NAMES } from './terms-types.js';

/** Finds the service's function for a filter name (at the date being resolved), and where it comes from. */
export type FilterLookup = (name: string) => { readonly run: FilterFunction; readonly origin?: FilterOrigin } | undefined;

export interface TermsIdentity {
  readonly serviceId: string;
  readonly serviceName: string;
  readonly declarationFile: string;
  readonly filtersDigest: string;
  readonly type: string;
}

export function buildTerms(identity: TermsIdentity, raw: RawTerms, lookup: FilterLookup): Terms {
  const items: RawSourceDocument[] = raw.combine
    ? raw.combine.map(item => inherit(item, raw))
    : [{ fetch: raw.fetch ?? '', ...pick(raw) }];
  const isCombined = items.length > 1;
  const sourceDocuments = items.map(
    (item): SourceDocument => ({
      id: isCombined ? documentIdOf(item.fetch) : '',
      location: item.fetch,
      executeClientScripts: item.executeClientScripts,
      contentSelectors: item.select,
      insignificantContentSelectors: item.remove,
      filters: (item.filter ?? []).map(filter => toFilterStep(filter, lookup)),
      ...skipRulesOf(item),
    }),
  );
  return { ...identity, sourceDocuments, isCombined };
}

function pick(raw: RawTerms): Omit<RawSourceDocument, 'fetch'> {
  return {
    ...(raw.select !== undefined && { select: raw.select }),
    ...(raw.remove !== undefined && { remove: raw.remove }),
    ...(raw.filter !== undefined && { filter: raw.filter }),
    ...(raw.executeClientScripts !== undefined && { executeClientScripts: raw.executeClientScripts }),
    ...(raw.skipSelectors !== undefined && { skipSelectors: raw.skipSelectors }),
    ...(raw.skipMissingSelectors !== undefined && { skipMissingSelectors: raw.skipMissingSelectors }),
    ...(raw.skipContent !== undefined && { skipContent: raw.skipContent }),
  };
}

function skipRulesOf(item: RawSourceDocument): { skip?: SkipRules } {
  const list = (value: string | readonly string[] | undefined): string[] => (value === undefined ? [] : typeof value === 'string' ? [value] : [...value]);
  const skip = { selectors: list(item.skipSelectors), missingSelectors: list(item.skipMissingSelectors), content: Object.entries(item.skipContent ?? {}) };
  return skip.selectors.length + skip.missingSelectors.length + skip.content.length > 0 ? { skip } : {};
}

/** An item's own value wins when present and not null; otherwise the root's. An item's `false` stays. */
function inherit(item: RawSourceDocument, root: RawTerms): RawSourceDocument {
  const rootValues = pick(root);
  const itemValues = pick(item);
  return { fetch: item.fetch, ...rootValues, ...itemValues };
}

function toFilterStep(filter: FilterDeclaration, lookup: FilterLookup): FilterStep {
  const name = filterNameOf(filter);
  const params = typeof filter === 'string' ? undefined : filter[name];
  if (BUILT_IN_FILTER_NAMES.includes(name)) return { name, params, isBuiltIn: true };
  const found = lookup(name);
  return found ? { name, params, isBuiltIn: false, run: found.run, ...(found.origin && { origin: found.origin }) } : { name, params, isBuiltIn: false };
}

/** Every filter name a terms declaration uses, at its root and in its combine items. */
export function filterNamesOf(raw: RawTerms): string[] {
  const names = (raw.filter ?? []).map(filterNameOf);
  for (const item of raw.combine ?? []) names.push(...(item.filter ?? []).map(filterNameOf));
  return [...new Set(names)];
}
