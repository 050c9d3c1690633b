// `terms-archive serve`: OTA's collection API routes (OTA-FORMAT §9) with the same shapes and status codes, plus
// ours (version lists with diff stats, the diff between any two versions, OpenAPI), and the web viewer beside
// them. Read-only: anything but GET and HEAD gets 405.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { type ApiOptions, apiRoutes, type LiveCollection, originOf } from './api-routes.js';
import { researchRoutes } from './research-routes.js';
import { SearchPool } from './search-pool.js';
import { secondsDate } from './atom.js';
import { renderChangePage } from './change-page.js';
import { HttpError, send, sendError } from './http-replies.js';
import { FAVICON, VIEWER_SCRIPT, viewerPage } from './viewer.js';

export type { ApiOptions } from './api-routes.js';

export interface ApiHandler {
  readonly listener: http.RequestListener;
  /** Answers from now on with these declarations and metadata (a collection that changed while serving). */
  readonly update: (collection: LiveCollection) => void;
  /** Lets go of the search workers. */
  readonly close: () => Promise<void>;
}

export function createApiHandler(options: ApiOptions): ApiHandler {
  const mount = (options.mountPath ?? '/api/v1').replace(/\/+$/, '');
  const live: LiveCollection = { services: options.services, metadata: options.metadata };
  // the search workers start with the first search: a server that is never searched runs none
  const indexFile = options.index.file;
  let searchPool: SearchPool | undefined;
  const searchPoolOf = (): SearchPool | undefined => {
    if ((options.searchWorkers ?? 0) > 0 && indexFile !== undefined) searchPool ??= new SearchPool(indexFile, options.searchWorkers ?? 0);
    return searchPool;
  };
  const routes = [...apiRoutes(options, mount, live), ...researchRoutes({ ...options, searchPool: searchPoolOf })];
  const viewerOf = (title: string): string => viewerPage({ apiPath: mount, versionUrlTemplate: options.versionUrlTemplate, snapshotUrlTemplate: options.snapshotUrlTemplate, title });
  let viewer = viewerOf(live.metadata.name);

  const sendChangePage = (request: http.IncomingMessage, response: http.ServerResponse, [serviceId, termsType, id]: [string, string, string]): void => {
    let version;
    try {
      version = options.index.resolve(serviceId, termsType, id);
    } catch {
      version = undefined;
    }
    if (!version) throw new HttpError(404, `No change ${id} of ${serviceId} ${termsType}`);
    const origin = originOf(request, options.trustProxy === true);
    const terms = `${encodeURIComponent(serviceId)}/${encodeURIComponent(termsType)}`;
    const page = renderChangePage(live.metadata.name, version, options.index.previous(version), {
      json: `${origin}${mount}/version/${terms}/${encodeURIComponent(secondsDate(version.fetchDate))}`,
      feed: `${origin}${mount}/feed/${terms}`,
      viewer: `${origin}/#/terms/${terms}/${version.id}`,
      commit: options.versionUrlTemplate?.replace('%VERSION_ID', version.id),
    });
    send(response, 200, page, 'text/html; charset=utf-8', { 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'" });
  };

  const cors = (request: http.IncomingMessage, response: http.ServerResponse): void => {
    const allowed = options.corsOrigins ?? [];
    const origin = request.headers.origin;
    if (allowed.includes('*')) response.setHeader('Access-Control-Allow-Origin', '*');
    else if (origin !== undefined && allowed.includes(origin)) {
      response.setHeader('Access-Control-Allow-Origin', origin);
      response.setHeader('Vary', 'Origin');
    }
  };

  const handle = async (request: http.IncomingMessage, response: http.ServerResponse): Promise<void> => {
    cors(request, response);
    if (request.method === 'OPTIONS' && response.hasHeader('Access-Control-Allow-Origin')) {
      response.writeHead(204, { 'Access-Control-Allow-Methods': 'GET, HEAD', 'Access-Control-Allow-Headers': 'Accept, If-Modified-Since', 'Access-Control-Max-Age': '86400' });
      response.end();
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') throw new HttpError(405, 'Read-only API: only GET');
    const url = new URL(request.url ?? '/', 'http://localhost');
    const pathname = url.pathname.replace(/\/{2,}/g, '/');
    if (pathname === '/' || pathname === '/index.html') {
      send(response, 200, viewer, 'text/html; charset=utf-8', { 'Content-Security-Policy': "default-src 'self'; style-src 'unsafe-inline'; script-src 'self'" });
      return;
    }
    if (pathname === '/health' && options.health) {
      const health = await options.health();
      send(response, health.status, `${JSON.stringify(health.body, null, 2)}\n`, 'application/json; charset=utf-8', { 'Cache-Control': 'no-store' });
      return;
    }
    const change = /^\/changes\/([^/]+)\/([^/]+)\/([0-9a-f]{7,40})$/.exec(pathname);
    if (change) {
      sendChangePage(request, response, change.slice(1).map(part => decodePart(part ?? '')) as [string, string, string]);
      return;
    }
    if (pathname === '/favicon.svg' || pathname === '/favicon.ico') {
      send(response, 200, FAVICON, 'image/svg+xml', { 'Cache-Control': 'max-age=86400' });
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
      await run({ parts: match.slice(1).map(part => (part === undefined ? undefined : decodePart(part))), url, request, response });
      return;
    }
    throw new HttpError(404, 'Not found');
  };

  return {
    listener: (request, response) => {
      const started = performance.now();
      if (options.onRequest) {
        const log = options.onRequest;
        response.once('finish', () => {
          log({
            method: request.method ?? '',
            url: (request.url ?? '').slice(0, 200),
            status: response.statusCode,
            ms: Math.round(performance.now() - started),
            bytes: Number(response.getHeader('content-length') ?? 0) || 0,
          });
        });
      }
      handle(request, response).catch((error: unknown) => {
        sendError(response, error);
      });
    },
    close: async () => {
      await searchPool?.close();
    },
    update: collection => {
      live.services = collection.services;
      if (collection.metadata.name !== live.metadata.name) viewer = viewerOf(collection.metadata.name);
      live.metadata = collection.metadata;
    },
  };
}

function decodePart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new HttpError(400, 'Malformed percent-encoding in the path');
  }
}

export interface ListenOptions {
  readonly host: string;
  readonly port: number;
}

/** The server, listening; rejects with Node's error (EADDRINUSE, EADDRNOTAVAIL…) when it cannot listen. */
export async function startApiServer(options: ApiOptions & ListenOptions): Promise<{ url: string; update: ApiHandler['update']; close: () => Promise<void> }> {
  const handler = createApiHandler(options);
  const server = http.createServer(handler.listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}${(options.mountPath ?? '/api/v1').replace(/\/+$/, '')}`,
    update: handler.update,
    close: async () => {
      await new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => { resolve(); });
      });
      await handler.close();
    },
  };
}
