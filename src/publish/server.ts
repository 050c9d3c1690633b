// `terms-archive serve`: OTA's collection API routes (OTA-FORMAT §9) with the same shapes and status codes, plus
// ours (version lists with diff stats, the diff between any two versions, OpenAPI), read-only, from the history
// index and one long-lived `git cat-file` process. No user input ever reaches a shell or a git command line:
// versions are looked up in the index, and their contents read by id through the cat-file process.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { createTwoFilesPatch, diffLines, diffWords } from 'diff';

import type { Service } from '../declarations/index.js';
import { type BlobReader, versionPath } from '../record/index.js';
import { feedUpdated, renderFeed, secondsDate } from './atom.js';
import { describeChange } from './change.js';
import type { HistoryIndex, IndexedVersion } from './history-index.js';
import type { CollectionMetadata } from './metadata.js';
import { openApiDocument } from './openapi.js';
import { VIEWER_SCRIPT, viewerPage } from './viewer.js';

export interface ApiOptions {
  readonly index: HistoryIndex;
  /** Readers of version contents; requests take them in turn. */
  readonly blobs: BlobReader | readonly BlobReader[];
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
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly plain = false,
  ) {
    super(message);
  }
}

const WELCOME = 'Welcome to an instance of the Open Terms Archive API. Documentation is available at /docs. Learn more on Open Terms Archive on https://opentermsarchive.org.';

function send(response: http.ServerResponse, status: number, body: string, type: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'Content-Type': type, 'X-Content-Type-Options': 'nosniff', ...headers });
  response.end(body);
}

function json(response: http.ServerResponse, status: number, value: unknown): void {
  send(response, status, JSON.stringify(value), 'application/json; charset=utf-8');
}

function parseDate(value: string): Date {
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) throw new HttpError(400, `Invalid date "${value}": expected ISO 8601, e.g. 2024-01-31T12:00:00Z`);
  return date;
}

function wholeNumber(value: string | null, name: string, fallback: number, maximum: number): number {
  if (value === null) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0 || number > maximum) throw new HttpError(400, `"${name}" must be a whole number from 0 to ${maximum}`);
  return number;
}

export function createApiHandler(options: ApiOptions): http.RequestListener {
  const mount = (options.mountPath ?? '/api/v1').replace(/\/+$/, '');
  const feedLimit = options.feedLimit ?? 100;
  const serviceOf = (id: string): Service => {
    const service = options.services.find(candidate => candidate.id === id);
    if (!service) throw new HttpError(404, 'Service not found', true);
    return service;
  };
  const termsOf = (serviceId: string, type: string): void => {
    if (!serviceOf(serviceId).termsTypes.includes(type)) throw new HttpError(404, 'Terms type not found for this service', true);
  };
  const readers = Array.isArray(options.blobs) ? options.blobs : [options.blobs as BlobReader];
  let turn = 0;
  const contentOf = async (version: IndexedVersion): Promise<string> => {
    const reader = readers[turn++ % readers.length] as BlobReader;
    return ((await reader.read(version.id, versionPath(version.serviceId, version.termsType))) ?? Buffer.alloc(0)).toString('utf8');
  };
  // Rendered feeds, until the index moves on: readers poll the same feeds again and again.
  const feeds = new Map<string, { head: string | undefined; xml: string; updated: Date }>();
  const FEED_CACHE_SIZE = 500;
  /** A version named by id or by date (the one in force then). */
  const versionFor = (serviceId: string, type: string, reference: string): IndexedVersion => {
    let version: IndexedVersion | undefined;
    try {
      version = options.index.resolve(serviceId, type, reference);
    } catch (error) {
      throw new HttpError(400, (error as Error).message);
    }
    if (!version) throw new HttpError(404, `No version found for ${reference}`);
    return version;
  };

  const routes: [RegExp, (match: string[], url: URL, request: http.IncomingMessage, response: http.ServerResponse) => Promise<void> | void][] = [
    [/^\/?$/, (_m, _u, _q, response) => { json(response, 200, { message: WELCOME }); }],
    [
      /^\/docs$/,
      (_m, _u, request, response) => {
        const spec = openApiDocument(mount);
        if ((request.headers.accept ?? '').includes('json')) json(response, 200, spec);
        else send(response, 200, `<!doctype html><meta charset="utf-8"><title>${spec.info.title}</title><h1>${spec.info.title}</h1><p>OpenAPI 3.1.0 description: request this page with <code>Accept: application/json</code>.</p><pre>${JSON.stringify(spec, null, 2).replace(/&/g, '&amp;').replace(/</g, '&lt;')}</pre>`, 'text/html; charset=utf-8');
      },
    ],
    [
      /^\/metadata$/,
      (_m, _u, _q, response) => {
        const totalTerms = options.services.reduce((sum, service) => sum + service.termsTypes.length, 0);
        json(response, 200, { ...options.metadata.raw, totalServices: options.services.length, totalTerms, engineVersion: options.engineVersion });
      },
    ],
    [/^\/services$/, (_m, _u, _q, response) => { json(response, 200, options.services.map(service => ({ id: service.id, name: service.name, terms: service.termsTypes.map(type => ({ type })) }))); }],
    [
      /^\/service\/([^/]+)$/,
      ([id = ''], _u, _q, response) => {
        const service = serviceOf(id);
        json(response, 200, {
          id: service.id,
          name: service.name,
          terms: service.termsTypes.map(type => ({
            type,
            sourceDocuments: service.getTerms(type).sourceDocuments.map(document => ({
              location: document.location,
              contentSelectors: document.contentSelectors,
              insignificantContentSelectors: document.insignificantContentSelectors,
              executeClientScripts: document.executeClientScripts,
              filters: document.filters.map(step => step.name),
            })),
          })),
        });
      },
    ],
    [
      /^\/version\/([^/]+)\/([^/]+)\/([^/]+)$/,
      async ([id = '', type = '', dateText = ''], _u, _q, response) => {
        const date = parseDate(dateText);
        if (date.getTime() > Date.now()) throw new HttpError(416, 'Requested version is in the future');
        const version = options.index.versionAt(id, type, date);
        if (!version) throw new HttpError(404, `No version found for date ${dateText}`);
        json(response, 200, { id: version.id, fetchDate: secondsDate(version.fetchDate), content: await contentOf(version) });
      },
    ],
    [
      /^\/feed(?:\/([^/]+))?(?:\/([^/]+))?$/,
      ([serviceId, type], _u, request, response) => {
        if (serviceId !== undefined) serviceOf(serviceId);
        if (serviceId !== undefined && type !== undefined) termsOf(serviceId, type);
        const proto = request.headers['x-forwarded-proto'] === 'https' ? 'https' : 'http';
        const host = (request.headers['x-forwarded-host'] as string | undefined) ?? request.headers.host ?? 'localhost';
        const base = `${proto}://${host}${mount}`;
        const key = JSON.stringify([base, serviceId, type]);
        let cached = feeds.get(key);
        if (!cached || cached.head !== options.index.indexedHead) {
          const versions = options.index.versions({ serviceId, termsType: type, limit: feedLimit });
          const updated = feedUpdated(versions);
          updated.setUTCMilliseconds(0);
          const xml = renderFeed(options.metadata, { ...(serviceId !== undefined && { serviceId }), ...(type !== undefined && { termsType: type }) }, versions, {
            base,
            versionUrlTemplate: options.versionUrlTemplate,
          });
          cached = { head: options.index.indexedHead, xml, updated };
          if (feeds.size >= FEED_CACHE_SIZE) feeds.delete(feeds.keys().next().value as string);
          feeds.set(key, cached);
        }
        const { xml, updated } = cached;
        const since = request.headers['if-modified-since'];
        if (since !== undefined && !Number.isNaN(Date.parse(since)) && Date.parse(since) >= updated.getTime()) {
          response.writeHead(304, { 'Last-Modified': updated.toUTCString() });
          response.end();
          return;
        }
        send(response, 200, xml, 'application/atom+xml; charset=utf-8', { 'Last-Modified': updated.toUTCString() });
      },
    ],
    [
      /^\/versions\/([^/]+)\/([^/]+)$/,
      ([id = '', type = ''], url, _q, response) => {
        termsOf(id, type);
        const limit = wholeNumber(url.searchParams.get('limit'), 'limit', 50, 1000);
        const offset = wholeNumber(url.searchParams.get('offset'), 'offset', 0, Number.MAX_SAFE_INTEGER);
        const includeTechnicalUpgrades = url.searchParams.get('technicalUpgrades') === 'true';
        const query = { serviceId: id, termsType: type, includeTechnicalUpgrades };
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
      },
    ],
    [
      /^\/diff\/([^/]+)\/([^/]+)$/,
      async ([id = '', type = ''], url, _q, response) => {
        termsOf(id, type);
        const format = url.searchParams.get('format') ?? 'unified';
        if (!['unified', 'html', 'json'].includes(format)) throw new HttpError(400, '"format" must be unified, html or json');
        const [latest] = options.index.versions({ serviceId: id, termsType: type, includeTechnicalUpgrades: true, limit: 1 });
        const toReference = url.searchParams.get('to');
        const to = toReference === null ? latest : versionFor(id, type, toReference);
        if (!to) throw new HttpError(404, 'No version recorded for these terms');
        const fromReference = url.searchParams.get('from');
        const from = fromReference === null ? options.index.previous(to) : versionFor(id, type, fromReference);
        const before = from ? await contentOf(from) : '';
        const after = await contentOf(to);
        if (format === 'unified') send(response, 200, createTwoFilesPatch(`${id}/${type}.md`, `${id}/${type}.md`, before, after, from?.id ?? '(none)', to.id), 'text/plain; charset=utf-8');
        else if (format === 'html') send(response, 200, `<!doctype html><meta charset="utf-8"><title>${id} ${type}</title>${describeChange(before, after).html}`, 'text/html; charset=utf-8');
        else {
          const parts = url.searchParams.get('words') === 'true' ? diffWords(before, after) : diffLines(before, after);
          json(response, 200, {
            from: from ? { id: from.id, fetchDate: from.fetchDate, label: from.label } : null,
            to: { id: to.id, fetchDate: to.fetchDate, label: to.label, labelReason: to.labelReason },
            changes: parts.map(part => ({ added: part.added, removed: part.removed, value: part.value })),
          });
        }
      },
    ],
  ];

  return (request, response) => {
    const handle = async (): Promise<void> => {
      if (request.method !== 'GET' && request.method !== 'HEAD') throw new HttpError(405, 'Read-only API: only GET');
      const url = new URL(request.url ?? '/', 'http://localhost');
      const pathname = url.pathname.replace(/\/{2,}/g, '/');
      // the web viewer, beside the API
      if (pathname === '/' || pathname === '/index.html') {
        send(response, 200, viewerPage({ apiPath: mount, versionUrlTemplate: options.versionUrlTemplate, snapshotUrlTemplate: options.snapshotUrlTemplate, title: options.metadata.name }), 'text/html; charset=utf-8', {
          'Content-Security-Policy': "default-src 'self'; style-src 'unsafe-inline'; script-src 'self'",
        });
        return;
      }
      if (pathname === '/viewer.js') {
        send(response, 200, VIEWER_SCRIPT, 'text/javascript; charset=utf-8');
        return;
      }
      if (pathname !== mount && !pathname.startsWith(`${mount}/`)) throw new HttpError(404, 'Not found');
      const route = pathname.slice(mount.length);
      for (const [pattern, run] of routes) {
        const match = pattern.exec(route);
        if (!match) continue;
        let parts: string[];
        try {
          parts = match.slice(1).map(part => (part === undefined ? (undefined as unknown as string) : decodeURIComponent(part)));
        } catch {
          throw new HttpError(400, 'Malformed percent-encoding in the path');
        }
        await run(parts, url, request, response);
        return;
      }
      throw new HttpError(404, 'Not found');
    };
    handle().catch((error: unknown) => {
      if (response.headersSent) return;
      if (error instanceof HttpError) {
        if (error.plain) send(response, error.status, error.message, 'text/plain; charset=utf-8');
        else json(response, error.status, { error: error.message });
      } else json(response, 500, { error: error instanceof Error ? error.message : String(error) });
    });
  };
}

export async function startApiServer(options: ApiOptions & { host: string; port: number }): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(createApiHandler(options));
  await new Promise<void>(resolve => server.listen(options.port, options.host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}${options.mountPath ?? '/api/v1'}`,
    close: () =>
      new Promise(resolve => {
        server.closeAllConnections();
        server.close(() => { resolve(); });
      }),
  };
}
