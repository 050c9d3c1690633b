// The rules of declarations beyond their JSON Schema (OTA-FORMAT §2): history values are arrays, filters are not
// named like built-in ones, a combine holds no URL twice (errors); unknown terms types and filters, combine items
// without "select" and shared document IDs (warnings).
import { filterNamesOf } from './build-terms.js';
import { documentIdOf } from './document-id.js';
import { DeclarationError, type DeclarationWarning } from './errors.js';
import { unsafeTermsTypeReason } from './names.js';
import type { ServiceSources } from './history.js';
import type { FiltersModule, RawTerms } from './raw.js';
import { BUILT_IN_FILTER_NAMES } from './terms-types.js';

export function checkHistoryArrays(history: unknown, file: string, errors: DeclarationError[]): void {
  if (typeof history !== 'object' || history === null || Array.isArray(history)) {
    errors.push(new DeclarationError(file, '', 'a history file must be an object keyed by terms type'));
    return;
  }
  for (const [type, value] of Object.entries(history)) {
    if (type === '$schema' || Array.isArray(value)) continue;
    errors.push(
      new DeclarationError(
        file,
        `[${JSON.stringify(type)}]`,
        `History file for "${type}" is not properly formatted: expected an array but got an object. Please use [] instead of {}.`,
      ),
    );
  }
}

export function checkReservedFilterNames(filters: FiltersModule, id: string, file: string, errors: DeclarationError[]): void {
  const reserved = Object.keys(filters).filter(name => BUILT_IN_FILTER_NAMES.includes(name));
  if (reserved.length === 0) return;
  errors.push(
    new DeclarationError(
      file,
      '',
      `Service filter file "${id}.filters.js" declares filters with names used by built-in filters: ${reserved
        .map(name => `"${name}"`)
        .join(', ')}. Rename these filters to avoid a collision.`,
    ),
  );
}

/** The rules beyond the schema (OTA-FORMAT §2): duplicate combine URLs are errors; the rest are warnings. */
export function checkTerms(
  sources: ServiceSources,
  file: string,
  termsTypes: readonly string[] | undefined,
  errors: DeclarationError[],
  warnings: DeclarationWarning[],
): void {
  const entries: [string, RawTerms][] = Object.entries(sources.declaration.terms).map(([type, raw]) => [
    `terms[${JSON.stringify(type)}]`,
    raw,
  ]);
  for (const [type, list] of Object.entries(sources.history)) {
    if (type === '$schema') continue;
    list.forEach((raw, index) => entries.push([`history[${JSON.stringify(type)}][${index}]`, raw]));
  }
  for (const type of Object.keys(sources.declaration.terms)) {
    const problem = unsafeTermsTypeReason(type);
    if (problem !== undefined) {
      errors.push(new DeclarationError(file, `terms[${JSON.stringify(type)}]`, `the terms type ${JSON.stringify(type)} ${problem}: it names files and commit messages`));
    } else if (termsTypes && !termsTypes.includes(type)) {
      warnings.push({ file, path: `terms[${JSON.stringify(type)}]`, message: `"${type}" is not a known terms type` });
    }
  }
  for (const [jsonPath, raw] of entries) {
    const locations: [string, string | undefined][] = [[`${jsonPath}.fetch`, raw.fetch], ...(raw.combine ?? []).map((item, index): [string, string] => [`${jsonPath}.combine[${index}].fetch`, item.fetch])];
    for (const [fieldPath, location] of locations) {
      if (location !== undefined && !/^https?:\/\//i.test(location)) {
        errors.push(new DeclarationError(file, fieldPath, `only http and https URLs can be tracked, got ${JSON.stringify(location)}`));
      }
    }
    for (const name of filterNamesOf(raw)) {
      if (!BUILT_IN_FILTER_NAMES.includes(name) && typeof sources.filters[name] !== 'function' && !sources.filtersHistory[name]) {
        warnings.push({ file, path: `${jsonPath}.filter`, message: `unknown filter "${name}": it will be skipped` });
      }
    }
    if (!raw.combine) continue;
    const urls = raw.combine.map(item => item.fetch);
    const repeated = urls.filter((url, index) => urls.indexOf(url) !== index);
    if (repeated.length > 0) {
      const type = jsonPath.replace(/^\w+\[("(?:[^"\\]|\\.)*")\].*$/, (_, quoted: string) => JSON.parse(quoted) as string);
      errors.push(
        new DeclarationError(
          file,
          `${jsonPath}.combine`,
          `The same source document is declared more than once within the "${type}" combine: ${[...new Set(repeated)].join(', ')}`,
        ),
      );
    }
    const ids = raw.combine.map(item => documentIdOf(item.fetch));
    ids.forEach((id, index) => {
      if (ids.indexOf(id) !== index && !repeated.includes(urls[index] ?? '')) {
        warnings.push({
          file,
          path: `${jsonPath}.combine[${index}]`,
          message: `document ID "${id}" is shared with another item: their snapshots would overwrite each other`,
        });
      }
    });
    raw.combine.forEach((item, index) => {
      if (item.select === undefined && raw.select === undefined) {
        warnings.push({
          file,
          path: `${jsonPath}.combine[${index}]`,
          message: 'no "select" here nor at the root: only a PDF can be extracted without one',
        });
      }
    });
  }
}
