// `--services` and `--types` name things that must exist: a typo is an error that says what was meant, not a run
// that quietly tracks nothing.
import type { Service } from '../declarations/index.js';
import { UsageError } from './errors.js';

/** The known name closest to `name` (case, spaces and a few typos apart), if one is close enough to be meant. */
export function closestName(name: string, known: readonly string[]): string | undefined {
  const normalise = (text: string): string => text.toLowerCase().replace(/[\s_-]+/g, ' ').trim();
  const wanted = normalise(name);
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(wanted, normalise(candidate));
    if (!best || distance < best.distance) best = { name: candidate, distance };
  }
  return best && best.distance <= Math.max(1, Math.floor(wanted.length / 4)) ? best.name : undefined;
}

/** Levenshtein distance, two rows at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function unknown(what: string, name: string, known: readonly string[], option: string): UsageError {
  const suggestion = closestName(name, known);
  return new UsageError(`${option}: "${name}" is not ${what}${suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`}`);
}

export interface Selection {
  readonly serviceIds?: readonly string[] | undefined;
  readonly termsTypes?: readonly string[] | undefined;
}

/**
 * Throws a UsageError when a service ID or a terms type asked for is not declared. `brokenIds` are declared but
 * failed to load (already reported): asking for them is not a typo.
 */
export function checkSelection(services: readonly Service[], selection: Selection, brokenIds: readonly string[] = []): void {
  const ids = services.map(service => service.id);
  for (const id of selection.serviceIds ?? []) {
    if (!ids.includes(id) && !brokenIds.includes(id)) throw unknown('a declared service', id, [...ids, ...brokenIds], '--services');
  }
  const selected = selection.serviceIds ? services.filter(service => selection.serviceIds?.includes(service.id)) : services;
  const types = [...new Set(selected.flatMap(service => service.termsTypes))];
  for (const type of selection.termsTypes ?? []) {
    if (!types.includes(type)) throw unknown(`a terms type of ${selection.serviceIds ? 'these services' : 'any declared service'}`, type, types, '--types');
  }
}
