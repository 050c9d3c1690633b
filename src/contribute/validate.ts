// `validate`: every check a contributor needs before a declaration is merged. Static checks (the schema, OTA's
// rules beyond it, ours, the service ID rules) need nothing but the files; live checks fetch each document twice
// and look at what the declaration makes of it.
import path from 'node:path';

import { diffLines } from 'diff';

import { listServiceIds, loadDeclarations, type Service, type SourceDocument, TERMS_TYPES } from '../declarations/index.js';
import { countSelectorMatches, extract, isPdf, type SelectorMatches } from '../extract/index.js';
import { type FetchDependencies, fetchDocument, type FetchOptions } from '../fetch/index.js';
import { hintFor } from './hints.js';
import { checkSkip, type SkipCheck } from './preview.js';
import { serviceIdWarnings } from './service-ids.js';

export interface Finding {
  readonly severity: 'error' | 'warning';
  readonly file: string;
  /** JSON path in the file ('' for the whole file). */
  readonly path: string;
  readonly message: string;
  readonly hint?: string;
}

export interface DocumentCheck {
  readonly location: string;
  /** Matches per selector (HTML documents that could be fetched). */
  readonly selectors: readonly SelectorMatches[];
  /** Characters of the extracted Markdown, when extraction succeeded. */
  readonly characters?: number;
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
  /** The declaration's skip rules, when it has some, and the one the first fetch matched. */
  readonly skip?: SkipCheck;
  /** When two fetches gave different Markdown: the lines only the first and only the second had. */
  readonly unstable?: { readonly first: readonly string[]; readonly second: readonly string[] };
}

export interface TermsCheck {
  readonly serviceId: string;
  readonly termsType: string;
  readonly file: string;
  readonly documents: readonly DocumentCheck[];
}

export interface ValidationReport {
  readonly services: number;
  readonly findings: readonly Finding[];
  readonly terms: readonly TermsCheck[];
  readonly errors: number;
  readonly warnings: number;
}

export interface ValidateOptions {
  readonly declarationsDir: string;
  readonly displayRoot: string;
  readonly serviceIds?: readonly string[] | undefined;
  readonly termsTypes?: readonly string[] | undefined;
  /** Static checks only: nothing is fetched. */
  readonly schemaOnly: boolean;
  readonly fetchOptions: FetchOptions;
  readonly fetchDependencies: FetchDependencies;
}

/** Markdown this short is most likely a cookie wall or a selector that caught the wrong element (OTA: > 100). */
export const MIN_CHARACTERS = 100;

export async function validateCollection(options: ValidateOptions): Promise<ValidationReport> {
  const allIds = await listServiceIds(options.declarationsDir);
  const ids = options.serviceIds ? allIds.filter(id => options.serviceIds?.includes(id)) : allIds;
  const findings: Finding[] = [];
  for (const id of options.serviceIds ?? []) {
    if (!allIds.includes(id)) findings.push({ severity: 'error', file: path.relative(options.displayRoot, options.declarationsDir), path: '', message: `no declaration for the service ID "${id}"` });
  }
  // static checks never run contributors' filters (CI runs them on pull requests); live checks extract, so they do
  const collection = await loadDeclarations(options.declarationsDir, { displayRoot: options.displayRoot, termsTypes: TERMS_TYPES, serviceIds: ids, areFiltersRun: !options.schemaOnly });
  for (const error of [...collection.errors, ...collection.historyErrors]) {
    const hint = hintFor(error.detail);
    findings.push({ severity: 'error', file: error.file, path: error.path, message: error.detail, ...(hint && { hint }) });
  }
  const fileOf = (id: string): string => path.relative(options.displayRoot, path.join(options.declarationsDir, `${id}.json`));
  for (const warning of [...collection.warnings, ...serviceIdWarnings(ids, allIds, fileOf)]) {
    findings.push({ severity: 'warning', ...warning });
  }
  const terms: TermsCheck[] = [];
  if (!options.schemaOnly) {
    for (const service of collection.services) {
      for (const type of service.termsTypes) {
        if (options.termsTypes && !options.termsTypes.includes(type)) continue;
        terms.push(await checkTerms(service, type, options));
      }
    }
  }
  const liveErrors = terms.reduce((sum, check) => sum + check.documents.reduce((inner, document) => inner + document.errors.length, 0), 0);
  const liveWarnings = terms.reduce((sum, check) => sum + check.documents.reduce((inner, document) => inner + document.warnings.length, 0), 0);
  return {
    services: ids.length,
    findings,
    terms,
    errors: findings.filter(finding => finding.severity === 'error').length + liveErrors,
    warnings: findings.filter(finding => finding.severity === 'warning').length + liveWarnings,
  };
}

async function checkTerms(service: Service, type: string, options: ValidateOptions): Promise<TermsCheck> {
  const terms = service.getTerms(type);
  const documents: DocumentCheck[] = [];
  for (const document of terms.sourceDocuments) documents.push(await checkDocument(document, options));
  return { serviceId: service.id, termsType: type, file: service.declarationFile, documents };
}

/** Fetches and extracts the document twice: it must be fetchable, matched, long enough and the same both times. */
export async function checkDocument(document: SourceDocument, options: Pick<ValidateOptions, 'fetchOptions' | 'fetchDependencies'>): Promise<DocumentCheck> {
  const errors: string[] = [];
  const warnings: string[] = [];
  let selectors: SelectorMatches[] = [];
  let skip: SkipCheck | undefined;
  const fetchAndExtract = async (): Promise<{ markdown: string; content: string | Uint8Array; mimeType: string }> => {
    const fetched = await fetchDocument(document, options.fetchDependencies, options.fetchOptions);
    const markdown = await extract({ content: fetched.content, mimeType: fetched.mimeType, sourceDocument: document });
    return { markdown, content: fetched.content, mimeType: fetched.mimeType };
  };
  let first;
  try {
    const fetched = await fetchDocument(document, options.fetchDependencies, options.fetchOptions);
    if (!isPdf(fetched.mimeType) && typeof fetched.content === 'string') {
      try {
        selectors = countSelectorMatches(fetched.content, document.location, document);
      } catch (error) {
        errors.push((error as Error).message);
      }
      for (const match of selectors.filter(candidate => candidate.matches === 0)) {
        if (match.role === 'select') errors.push(`"select" ${match.selector} matched nothing`);
        else warnings.push(`"remove" ${match.selector} matched nothing (fine if what it removes only shows up at times)`);
      }
    }
    skip = checkSkip(document, fetched.content, fetched.mimeType);
    if (skip?.matched !== undefined) errors.push(`the page fetched now matches a skip rule (${skip.matched}): tracking would not record it; if it is the terms, the rule is too wide`);
    first = await extract({ content: fetched.content, mimeType: fetched.mimeType, sourceDocument: document });
  } catch (error) {
    errors.push((error as Error).message);
    return { location: document.location, selectors, errors, warnings, ...(skip && { skip }) };
  }
  if (first.length <= MIN_CHARACTERS) {
    errors.push(`only ${first.length} characters extracted (more than ${MIN_CHARACTERS} expected): check "select"`);
  }
  let unstable: DocumentCheck['unstable'];
  try {
    const second = await fetchAndExtract();
    if (second.markdown !== first) {
      const parts = diffLines(first, second.markdown);
      const lines = (added: boolean): string[] =>
        parts.filter(part => (added ? part.added : part.removed)).flatMap(part => part.value.split('\n').filter(line => line !== ''));
      unstable = { first: lines(false), second: lines(true) };
      errors.push('two fetches gave different Markdown: the differing lines are noise to remove (with "remove" or a filter)');
    }
  } catch (error) {
    errors.push(`the second fetch failed: ${(error as Error).message}`);
  }
  return { location: document.location, selectors, characters: first.length, errors, warnings, ...(skip && { skip }), ...(unstable && { unstable }) };
}
