// The API's routes (OTA-FORMAT §9 and ours), each a small function of the request. Versions are looked up in the
// history index and their contents read by id from the versions repository: no user input reaches a command line.
import type http from 'node:http';

import type { Service } from '../declarations/index.js';
import type { VersionRepository } from '../record/index.js';
import { type FeedFilter, feedUpdated, renderFeed, secondsDate } from './atom.js';
import type { Health } from './health.js';
import type { HistoryIndex, IndexedVersion } from './history-index.js';
import { echo } from './dates.js';
import { booleanParameter, HttpError, json, listParameter, parseDate, send, wholeNumberParameter } from './http-replies.js';
import { type ChangeLabel, LABEL_TITLES } from './labels.js';
import type { CollectionMetadata } from './metadata.js';
import { openApiDocument } from './openapi.js';
import { DIFF_FORMATS, type DiffFormat, diffVersions, isReversed } from './version-diff.js';

export interface ApiOptions {
  readonly index: HistoryIndex;
  /** Where version contents are read from. */
  readonly versions: VersionRepository;
  readonly services: readonly Service[];
  readonly metadata: CollectionMetadata;
  readonly engineVersion: string;
  /** Where the API is mounted. @default '/api/v1' */
  readonly mountPath?: string;
  /** Versions per feed. @default 100 */
  readonly feedLimit?: number;
  readonly versionUrlTemplate?: string | undefined;
  /** `%SNAPSHOT_ID` → a page showing the snapshot, for the viewer's links. */
  readonly snapshotUrlTemplate?: string | undefined;
  /** Take feed links' scheme and host from X-Forwarded-Proto and X-Forwarded-Host: only behind a proxy that sets them. @default false */
  readonly trustProxy?: boolean;
  /** Origins allowed to read the API from a browser (CORS): `*` for any, a list, or none. @default [] */
  readonly corsOrigins?: readonly string[];
  /** Told of each request answered, for an access log. */
  readonly onRequest?: (entry: AccessLogEntry) => void;
  /** Answers GET /health (at the root, beside the viewer); without it, /health is not found. */
  readonly health?: () => Promise<Health>;
  /** Worker threads that answer /search, off the server's thread (the index must be a file). @default 0: searches run on the server's thread */
  readonly searchWorkers?: number;
}

export interface AccessLogEntry {
  readonly method: string;
  /** The path and query, cut at 200 characters. */
  readonly url: string;
  readonly status: number;
  readonly ms: number;
  readonly bytes: number;
}

export interface RouteRequest {
  /** The path's captured parts, percent-decoded. */
  readonly parts: readonly (string | undefined)[];
  readonly url: URL;
  readonly request: http.IncomingMessage;
  readonly response: http.ServerResponse;
}

type Route = (request: RouteRequest) => Promise<void> | void;

const WELCOME = 'Welcome to an instance of the Open Terms Archive API. Documentation is available at /docs. Learn more on Open Terms Archive on https://opentermsarchive.org.';

/** Rendered feeds kept until the index moves on: readers poll the same feeds again and again. */
const FEED_CACHE_SIZE = 500;

/** `<scheme>://<host>` of a request, from X-Forwarded-Proto and X-Forwarded-Host when the proxy is trusted. */
export function originOf(request: http.IncomingMessage, trustProxy: boolean): string {
  const proto = trustProxy && request.headers['x-forwarded-proto'] === 'https' ? 'https' : 'http';
  const forwardedHost = trustProxy ? (request.headers['x-forwarded-host'] as string | undefined) : undefined;
  return `${proto}://${forwardedHost ?? request.headers.host ?? 'localhost'}`;
}

/** What `serve` reloads while it runs: the declarations and metadata.yml. */
export interface LiveCollection {
  services: readonly Service[];
  metadata: CollectionMetadata;
}

/** The route table of an API: patterns on the path below the mount point, and what answers them. */
export function apiRoutes(options: ApiOptions, mount: string, live: LiveCollection): readonly [RegExp, Route][] {
  const serviceOf = (id: string | undefined): Service => {
    const service = live.services.find(candidate => candidate.id === id);
    if (!service) throw new HttpError(404, 'Service not found');
    return service;
  };
  const checkTerms = (serviceId: string | undefined, type: string | undefined): void => {
    if (type === undefined || !serviceOf(serviceId).termsTypes.includes(type)) throw new HttpError(404, 'Terms type not found for this service');
  };
  const contentOf = async (version: IndexedVersion): Promise<string> => (await options.versions.read(version.id, version.serviceId, version.termsType)) ?? '';
  const versionFor = (serviceId: string, type: string, reference: string): IndexedVersion => {
    let version: IndexedVersion | undefined;
    try {
      version = options.index.resolve(serviceId, type, reference);
    } catch (error) {
      throw new HttpError(400, (error as Error).message);
    }
    if (!version) throw new HttpError(404, `No version found for ${echo(reference)}`);
    return version;
  };
  const feeds = new Map<string, { state: string; xml: string; updated: Date }>();

  const docs: Route = ({ request, response }) => {
    const spec = openApiDocument(mount);
    if ((request.headers.accept ?? '').includes('json')) json(response, 200, spec);
    else send(response, 200, `<!doctype html><meta charset="utf-8"><title>${spec.info.title}</title><h1>${spec.info.title}</h1><p>OpenAPI 3.1.0 description: request this page with <code>Accept: application/json</code>.</p><pre>${JSON.stringify(spec, null, 2).replace(/&/g, '&amp;').replace(/</g, '&lt;')}</pre>`, 'text/html; charset=utf-8');
  };

  const metadata: Route = ({ response }) => {
    const totalTerms = live.services.reduce((sum, service) => sum + service.termsTypes.length, 0);
    json(response, 200, { ...live.metadata.raw, totalServices: live.services.length, totalTerms, engineVersion: options.engineVersion });
  };

  const services: Route = ({ response }) => {
    json(response, 200, live.services.map(service => ({ id: service.id, name: service.name, terms: service.termsTypes.map(type => ({ type })) })));
  };

  const service: Route = ({ parts: [id], response }) => {
    const found = serviceOf(id);
    json(response, 200, {
      id: found.id,
      name: found.name,
      terms: found.termsTypes.map(type => ({
        type,
        sourceDocuments: found.getTerms(type).sourceDocuments.map(document => ({
          location: document.location,
          contentSelectors: document.contentSelectors,
          insignificantContentSelectors: document.insignificantContentSelectors,
          executeClientScripts: document.executeClientScripts,
          // as OTA's: no key when the document has no filters
          ...(document.filters.length > 0 && { filters: document.filters.map(step => step.name) }),
        })),
      })),
    });
  };

  const versionAtDate: Route = async ({ parts: [id = '', type = '', dateText = ''], response }) => {
    const date = parseDate(dateText);
    if (date.getTime() > Date.now()) throw new HttpError(416, 'Requested version is in the future');
    const version = options.index.versionAt(id, type, date);
    if (!version) throw new HttpError(404, `No version found for date ${echo(dateText)}`);
    json(response, 200, { id: version.id, fetchDate: secondsDate(version.fetchDate), content: await contentOf(version) });
  };

  const feedFilter = (url: URL): FeedFilter => {
    const serviceIds = listParameter(url, 'services');
    for (const id of serviceIds) if (!live.services.some(candidate => candidate.id === id)) throw new HttpError(404, `Service not found: ${id}`);
    const termsTypes = listParameter(url, 'types');
    for (const type of termsTypes) if (!live.services.some(candidate => candidate.termsTypes.includes(type))) throw new HttpError(404, `Terms type not found: ${type}`);
    const labels = listParameter(url, 'labels');
    for (const label of labels) if (!(label in LABEL_TITLES)) throw new HttpError(400, `"labels" must be among ${Object.keys(LABEL_TITLES).join(', ')}`);
    return { serviceIds, termsTypes, labels: labels as ChangeLabel[] };
  };

  const feed: Route = ({ parts: [serviceId, type], url, request, response }) => {
    const service = serviceId === undefined ? undefined : serviceOf(serviceId);
    if (serviceId !== undefined && type !== undefined) checkTerms(serviceId, type);
    const filter = feedFilter(url);
    const origin = originOf(request, options.trustProxy === true);
    const base = `${origin}${mount}`;
    const key = JSON.stringify([base, serviceId, type, filter]);
    let cached = feeds.get(key);
    const state = `${options.index.indexedHead ?? ''} ${options.index.generation ?? ''}`;
    if (!cached || cached.state !== state) {
      const versions = options.index.versions({ serviceId, termsType: type, ...filter, limit: options.feedLimit ?? 100 });
      const updated = feedUpdated(versions, options.index.firstDate() ?? new Date());
      updated.setUTCMilliseconds(0);
      const scope = { ...(service && { serviceId: service.id, serviceName: service.name }), ...(type !== undefined && { termsType: type }), filter };
      const query = url.searchParams.toString();
      const path = ['feed', serviceId, type].filter((part): part is string => part !== undefined).map((part, index) => (index === 0 ? part : encodeURIComponent(part))).join('/');
      const termsPath = (version: IndexedVersion): string => `${encodeURIComponent(version.serviceId)}/${encodeURIComponent(version.termsType)}`;
      const xml = renderFeed(live.metadata, scope, versions, {
        emptyUpdated: updated,
        links: {
          self: `${base}/${path}${query ? `?${query}` : ''}`,
          page: `${origin}/${serviceId !== undefined && type !== undefined ? `#/terms/${encodeURIComponent(serviceId)}/${encodeURIComponent(type)}` : ''}`,
          change: version => `${origin}/changes/${termsPath(version)}/${version.id}`,
          json: version => `${base}/version/${termsPath(version)}/${encodeURIComponent(secondsDate(version.fetchDate))}`,
          related: options.versionUrlTemplate === undefined ? undefined : version => (options.versionUrlTemplate ?? '').replace('%VERSION_ID', version.id),
        },
      });
      cached = { state, xml, updated };
      if (feeds.size >= FEED_CACHE_SIZE) feeds.delete(feeds.keys().next().value as string);
      feeds.set(key, cached);
    }
    const since = request.headers['if-modified-since'];
    if (since !== undefined && !Number.isNaN(Date.parse(since)) && Date.parse(since) >= cached.updated.getTime()) {
      response.writeHead(304, { 'Last-Modified': cached.updated.toUTCString() });
      response.end();
      return;
    }
    send(response, 200, cached.xml, 'application/atom+xml; charset=utf-8', { 'Last-Modified': cached.updated.toUTCString() });
  };

  const versionList: Route = ({ parts: [id = '', type = ''], url, response }) => {
    checkTerms(id, type);
    const limit = wholeNumberParameter(url, 'limit', 50, 1000);
    const offset = wholeNumberParameter(url, 'offset', 0, Number.MAX_SAFE_INTEGER);
    const query = { serviceId: id, termsType: type, includeTechnicalUpgrades: booleanParameter(url, 'technicalUpgrades', false) };
    json(response, 200, {
      total: options.index.count(query),
      limit,
      offset,
      versions: options.index.versions({ ...query, limit, offset }).map(version => ({
        id: version.id,
        fetchDate: version.fetchDate,
        kind: version.kind,
        linesAdded: version.linesAdded,
        linesRemoved: version.linesRemoved,
        wordsAdded: version.wordsAdded,
        wordsRemoved: version.wordsRemoved,
        sections: version.sections,
        summary: version.summary,
        label: version.label,
        labelReason: version.labelReason,
        snapshotIds: version.snapshotIds,
      })),
    });
  };

  const diff: Route = async ({ parts: [id = '', type = ''], url, response }) => {
    checkTerms(id, type);
    const format = (url.searchParams.get('format') ?? 'unified') as DiffFormat;
    if (!DIFF_FORMATS.includes(format)) throw new HttpError(400, `"format" must be ${DIFF_FORMATS.join(', ')}, not "${echo(format)}"`);
    const toReference = url.searchParams.get('to');
    const to = toReference === null ? options.index.latest(id, type) : versionFor(id, type, toReference);
    if (!to) throw new HttpError(404, 'No version recorded for these terms');
    const previous = options.index.previous(to);
    const fromReference = url.searchParams.get('from');
    const from = fromReference === null ? previous : versionFor(id, type, fromReference);
    // a default `from` is the version committed before `to`, whose date may be later (a back-dated upgrade)
    if (fromReference !== null && isReversed(from, to)) throw new HttpError(400, `"from" (${from?.fetchDate ?? ''}) is newer than "to" (${to.fetchDate}): swap them`);
    const rendered = diffVersions({
      serviceId: id,
      termsType: type,
      from,
      to,
      before: from ? await contentOf(from) : '',
      after: await contentOf(to),
      isConsecutive: from?.id === previous?.id,
      words: booleanParameter(url, 'words', false),
    }).render(format);
    send(response, 200, rendered.body, rendered.contentType);
  };

  return [
    [/^\/?$/, ({ response }) => { json(response, 200, { message: WELCOME }); }],
    [/^\/docs$/, docs],
    [/^\/metadata$/, metadata],
    [/^\/services$/, services],
    [/^\/service\/([^/]+)$/, service],
    [/^\/version\/([^/]+)\/([^/]+)\/([^/]+)$/, versionAtDate],
    [/^\/feed(?:\/([^/]+))?(?:\/([^/]+))?$/, feed],
    [/^\/versions\/([^/]+)\/([^/]+)$/, versionList],
    [/^\/diff\/([^/]+)\/([^/]+)$/, diff],
  ];
}
