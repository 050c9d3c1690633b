// Search results summed up for research: per service or terms type (how many terms match), and over time (how many
// terms matched at the end of each month, year or day), as rows that print as a table, CSV or JSON.
import { csvLine } from './csv.js';

export const GROUPS = ['service', 'type'] as const;
export type Group = (typeof GROUPS)[number];
export const STEPS = ['day', 'month', 'year'] as const;
export type Step = (typeof STEPS)[number];

export interface GroupRow {
  /** The service ID or the terms type. */
  readonly key: string;
  /** Terms that match. */
  readonly terms: number;
  /** Their matching paragraphs. */
  readonly matches: number;
  /** The other side: the terms types of a service, or the services of a terms type. */
  readonly members: readonly string[];
}

export interface SeriesRow {
  /** `2024`, `2024-03` or `2024-03-31`. */
  readonly period: string;
  /** When the count was taken: the end of the period (or `to`, if sooner). */
  readonly at: string;
  /** Terms whose version in force then matched. */
  readonly terms: number;
  readonly services: number;
}

/** A terms that matched: in a version in force, or over a period (`from`, `until` as ISO dates; null: still). */
export interface TermsMatch {
  readonly serviceId: string;
  readonly termsType: string;
  readonly matches: number;
}

export interface MatchPeriod {
  readonly serviceId: string;
  readonly termsType: string;
  readonly from: string;
  readonly until: string | null;
}

export function groupHits(hits: readonly TermsMatch[], by: Group): GroupRow[] {
  const groups = new Map<string, { terms: Set<string>; matches: number; members: Set<string> }>();
  for (const hit of hits) {
    const [key, member] = by === 'service' ? [hit.serviceId, hit.termsType] : [hit.termsType, hit.serviceId];
    const group = groups.get(key) ?? { terms: new Set<string>(), matches: 0, members: new Set<string>() };
    // over history, a terms may match in several periods: it counts once
    group.terms.add(`${hit.serviceId}\u0000${hit.termsType}`);
    group.matches += hit.matches;
    group.members.add(member);
    groups.set(key, group);
  }
  return [...groups].map(([key, group]) => ({ key, terms: group.terms.size, matches: group.matches, members: [...group.members].sort() }))
    .sort((a, b) => b.terms - a.terms || a.key.localeCompare(b.key));
}

/** The start of the period holding `date` (UTC), and of the next one. */
function periodOf(date: Date, step: Step): { start: Date; next: Date; label: string } {
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  const day = date.getUTCDate();
  if (step === 'year') return { start: new Date(Date.UTC(year, 0, 1)), next: new Date(Date.UTC(year + 1, 0, 1)), label: String(year) };
  if (step === 'month') return { start: new Date(Date.UTC(year, month, 1)), next: new Date(Date.UTC(year, month + 1, 1)), label: date.toISOString().slice(0, 7) };
  return { start: new Date(Date.UTC(year, month, day)), next: new Date(Date.UTC(year, month, day + 1)), label: date.toISOString().slice(0, 10) };
}

/** At most this many periods: ten years of days. */
export const MAX_PERIODS = 3660;

/**
 * How many terms matched at the end of each period from `from` to `to`, given every period of history in which a
 * terms matched (a search over all history): a terms counts when the version in force then matches.
 */
export function seriesOf(hits: readonly MatchPeriod[], step: Step, from: Date, to: Date): SeriesRow[] {
  const rows: SeriesRow[] = [];
  for (let period = periodOf(from, step); period.start <= to; period = periodOf(period.next, step)) {
    if (rows.length >= MAX_PERIODS) throw new RangeError(`more than ${MAX_PERIODS} periods of a ${step} from ${from.toISOString().slice(0, 10)} to ${to.toISOString().slice(0, 10)}: take a longer step or a shorter range`);
    const at = new Date(Math.min(period.next.getTime() - 1, to.getTime())).toISOString();
    const matching = hits.filter(hit => hit.from <= at && (hit.until === null || hit.until > at));
    rows.push({ period: period.label, at, terms: new Set(matching.map(hit => `${hit.serviceId}\u0000${hit.termsType}`)).size, services: new Set(matching.map(hit => hit.serviceId)).size });
  }
  return rows;
}

export function csvOf(header: readonly string[], rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return [header, ...rows].map(csvLine).join('');
}
