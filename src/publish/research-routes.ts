// The API's research routes: /search, /trace/:service/:type and /blame/:service/:type, the same answers as the
// commands of the same names (runSearch and the passages of the history index), as JSON.
import type { HistoryIndex, IndexedVersion } from './history-index.js';
import { echo } from './dates.js';
import { booleanParameter, HttpError, json, listParameter, parseDate, send, wholeNumberParameter } from './http-replies.js';
import { SearchSyntaxError } from './passage-queries.js';
import { GROUPS, STEPS } from './search-summary.js';
import { type SearchRequest, searchAnswer } from './search.js';
import type { SearchPool } from './search-pool.js';
import type { VersionRepository } from '../record/index.js';
import type { RouteRequest } from './api-routes.js';

type Route = (request: RouteRequest) => Promise<void> | void;

export interface ResearchSources {
  readonly index: HistoryIndex;
  readonly versions: VersionRepository;
  /** Where searches run, off the server's thread, when it gives one. */
  readonly searchPool?: () => SearchPool | undefined;
}

/** Search hits per page, at most. */
const MAX_HITS = 1000;

export function researchRoutes({ index, versions, searchPool }: ResearchSources): readonly [RegExp, Route][] {
  const dateParameter = (url: URL, name: string): Date | undefined => {
    const value = url.searchParams.get(name);
    return value === null ? undefined : parseDate(value);
  };
  const checkTerms = (serviceId: string, termsType: string): void => {
    if (!index.latest(serviceId, termsType)) throw new HttpError(404, `No version recorded for ${echo(serviceId)} ${echo(termsType)}`);
  };

  const search: Route = async ({ url, response }) => {
    const text = url.searchParams.get('q') ?? '';
    if (text.trim() === '') throw new HttpError(400, '"q" is required: words, "a phrase", prefix*, AND / OR / NOT');
    const by = url.searchParams.get('by') ?? undefined;
    if (by !== undefined && !([...GROUPS, ...STEPS] as string[]).includes(by)) throw new HttpError(400, `"by" must be ${[...GROUPS, ...STEPS].join(', ')}, not "${echo(by)}"`);
    const at = dateParameter(url, 'at');
    const from = dateParameter(url, 'from');
    const to = dateParameter(url, 'to');
    const all = booleanParameter(url, 'all', false);
    if (at !== undefined && (all || from !== undefined || to !== undefined)) throw new HttpError(400, '"at" asks for the versions in force at a date: it goes without "all", "from" and "to"');
    const serviceIds = listParameter(url, 'services');
    const termsTypes = listParameter(url, 'types');
    if (serviceIds.length + termsTypes.length > 0) {
      const known = index.passages.terms();
      for (const id of serviceIds) if (!known.some(terms => terms.serviceId === id)) throw new HttpError(404, `Service not found: ${echo(id)}`);
      for (const type of termsTypes) if (!known.some(terms => terms.termsType === type)) throw new HttpError(404, `Terms type not found: ${echo(type)}`);
    }
    const request: SearchRequest = {
      text,
      serviceIds,
      termsTypes,
      at,
      history: all || from !== undefined || to !== undefined ? { from, to } : undefined,
      by: by as SearchRequest['by'],
      from,
      to,
    };
    const limit = wholeNumberParameter(url, 'limit', 20, MAX_HITS);
    const offset = wholeNumberParameter(url, 'offset', 0, Number.MAX_SAFE_INTEGER);
    let answer: string;
    try {
      const pool = searchPool?.();
      answer = pool ? await pool.search({ ...request, limit, offset }) : searchAnswer(index, { ...request, limit, offset });
    } catch (error) {
      if (error instanceof SearchSyntaxError || error instanceof RangeError) throw new HttpError(400, error.message);
      throw error;
    }
    send(response, 200, answer, 'application/json; charset=utf-8');
  };

  const trace: Route = ({ parts: [serviceId = '', termsType = ''], url, response }) => {
    checkTerms(serviceId, termsType);
    const text = url.searchParams.get('text') ?? '';
    const periods = index.passages.trace(serviceId, termsType, text);
    if (periods === undefined) throw new HttpError(400, '"text" is required: the passage to trace, with words in it');
    json(response, 200, { serviceId, termsType, text, periods });
  };

  const blame: Route = async ({ parts: [serviceId = '', termsType = ''], url, response }) => {
    checkTerms(serviceId, termsType);
    const reference = url.searchParams.get('at');
    let version: IndexedVersion | undefined;
    try {
      version = reference === null ? index.latest(serviceId, termsType) : index.resolve(serviceId, termsType, reference);
    } catch (error) {
      throw new HttpError(400, (error as Error).message);
    }
    if (!version) throw new HttpError(404, `No version found for ${echo(reference ?? '')}`);
    const content = (await versions.read(version.id, serviceId, termsType)) ?? '';
    json(response, 200, { serviceId, termsType, version: { id: version.id, fetchDate: version.fetchDate }, paragraphs: index.passages.blame(serviceId, termsType, version.id, content) });
  };

  return [
    [/^\/search$/, search],
    [/^\/trace\/([^/]+)\/([^/]+)$/, trace],
    [/^\/blame\/([^/]+)\/([^/]+)$/, blame],
  ];
}
