// `search` as the command and the API run it: hits (the terms that match, with a snippet), or hits summed up per
// service or terms type, or over time. One function, so that both give the same answers.
import type { HistoryIndex } from './history-index.js';
import type { SearchHit, SearchQuery } from './passage-queries.js';
import { type Group, GROUPS, type GroupRow, groupHits, seriesOf, type SeriesRow, type Step } from './search-summary.js';

export interface SearchRequest extends SearchQuery {
  /** Sum the hits up per service or terms type, or count the terms matching at the end of each period. */
  readonly by?: Group | Step | undefined;
  /** Of a count over time: the first period (default: that of the oldest version) and the last (default: now). */
  readonly from?: Date | undefined;
  readonly to?: Date | undefined;
}

export type SearchResult =
  | { readonly kind: 'hits'; readonly hits: readonly SearchHit[] }
  | { readonly kind: 'groups'; readonly by: Group; readonly groups: readonly GroupRow[] }
  | { readonly kind: 'series'; readonly by: Step; readonly rows: readonly SeriesRow[] };

const isGroup = (by: string): by is Group => (GROUPS as readonly string[]).includes(by);

/** Throws SearchSyntaxError for a query FTS5 cannot read, RangeError for too many periods. */
export function runSearch(index: HistoryIndex, request: SearchRequest, now = new Date()): SearchResult {
  const { by } = request;
  if (by === undefined) return { kind: 'hits', hits: index.passages.search(request) };
  if (isGroup(by)) return { kind: 'groups', by, groups: groupHits(index.passages.search(request), by) };
  // over time: every period in which a terms matched, then the count at the end of each period
  const hits = index.passages.search({ ...request, at: undefined, history: {} });
  const from = request.from ?? index.firstDate() ?? now;
  return { kind: 'series', by, rows: seriesOf(hits, by, from, request.to ?? now) };
}
