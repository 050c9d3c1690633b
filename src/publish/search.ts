// `search` as the command and the API run it: hits (the terms that match, with a snippet), or hits summed up per
// service or terms type, or over time. One function, so that both give the same answers.
import type { PassageReader, SearchHit, SearchQuery } from './passage-queries.js';
import { queryTerms } from './snippet.js';
import { type Group, GROUPS, type GroupRow, groupHits, seriesOf, type SeriesRow, type Step } from './search-summary.js';

export interface SearchRequest extends SearchQuery {
  /** Sum the hits up per service or terms type, or count the terms matching at the end of each period. */
  readonly by?: Group | Step | undefined;
  /** Of a count over time: the first period (default: that of the oldest version) and the last (default: now). */
  readonly from?: Date | undefined;
  readonly to?: Date | undefined;
  /** Of hits: the page to give, with its snippets (default: all of them). */
  readonly limit?: number | undefined;
  readonly offset?: number | undefined;
}

export type SearchResult =
  | { readonly kind: 'hits'; readonly total: number; readonly hits: readonly SearchHit[] }
  | { readonly kind: 'groups'; readonly by: Group; readonly groups: readonly GroupRow[] }
  | { readonly kind: 'series'; readonly by: Step; readonly rows: readonly SeriesRow[] };

const isGroup = (by: string): by is Group => (GROUPS as readonly string[]).includes(by);

/** What a search reads: the history index, or a worker's own connection to it. */
export interface SearchSource {
  readonly passages: PassageReader;
  firstDate(): Date | undefined;
}

/** Throws SearchSyntaxError for a query FTS5 cannot read, RangeError for too many periods. */
export function runSearch(index: SearchSource, request: SearchRequest, now = new Date()): SearchResult {
  const { by } = request;
  const passages = index.passages;
  if (by === undefined) {
    const matches = passages.find(request);
    const offset = request.offset ?? 0;
    const page = matches.slice(offset, request.limit === undefined ? undefined : offset + request.limit);
    const terms = queryTerms(request.text);
    return { kind: 'hits', total: matches.length, hits: passages.hits(terms, page) };
  }
  if (isGroup(by)) return { kind: 'groups', by, groups: groupHits(passages.find(request), by) };
  // over time: every period in which a terms matched, then the count at the end of each period
  const periods = passages.find({ ...request, at: undefined, history: {} }).map(match => ({
    serviceId: match.serviceId,
    termsType: match.termsType,
    from: passages.versionBySeq(match.seq).fetchDate,
    until: match.untilSeq == null ? null : passages.versionBySeq(match.untilSeq).fetchDate,
  }));
  const from = request.from ?? index.firstDate() ?? now;
  return { kind: 'series', by, rows: seriesOf(periods, by, from, request.to ?? now) };
}

/** The API's answer to a search, as JSON text: made where the search ran (a worker), so that the server only sends it. */
export function searchAnswer(index: SearchSource, request: SearchRequest): string {
  const result = runSearch(index, request);
  return JSON.stringify(result.kind === 'hits' ? { query: request.text, kind: 'hits', total: result.total, limit: request.limit, offset: request.offset ?? 0, hits: result.hits } : { query: request.text, ...result });
}
