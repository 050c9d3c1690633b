// A local HTTP server for tests: 127.0.0.1, a port chosen by the OS, routes changeable between requests.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Reply {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
  /** Wait this long before answering (to test timeouts). */
  readonly delayMs?: number;
  /** Answer only once this settles: a page as slow as the test wants, with no clock involved. */
  readonly until?: Promise<unknown>;
}

export type Route = Reply | ((request: http.IncomingMessage, count: number) => Reply);

export interface TestServer {
  readonly origin: string;
  url(path: string): string;
  route(path: string, route: Route): void;
  /** How many requests a path received. */
  hits(path: string): number;
  /** The most requests this server answered at the same time. */
  peakConcurrency(): number;
  close(): Promise<void>;
}

export async function startServer(routes: Readonly<Record<string, Route>> = {}): Promise<TestServer> {
  const table = new Map<string, Route>(Object.entries(routes));
  const counts = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  let active = 0;
  let peak = 0;
  const server = http.createServer((request, response) => {
    active++;
    peak = Math.max(peak, active);
    response.on('close', () => {
      active--;
    });
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const count = (counts.get(path) ?? 0) + 1;
    counts.set(path, count);
    const route = table.get(path);
    const reply: Reply = route === undefined ? { status: 404, body: 'not found' } : typeof route === 'function' ? route(request, count) : route;
    const send = (): void => {
      response.writeHead(reply.status ?? 200, { 'content-type': 'text/html; charset=utf-8', ...reply.headers });
      response.end(reply.body ?? '');
    };
    if (reply.until) {
      reply.until.then(send, send);
    } else if (reply.delayMs) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        send();
      }, reply.delayMs);
      timers.add(timer);
    } else send();
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: path => `${origin}${path}`,
    route: (path, route) => table.set(path, route),
    hits: path => counts.get(path) ?? 0,
    peakConcurrency: () => peak,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => { resolve(); }));
    },
  };
}

export function html(body: string, head = '<meta charset="utf-8"><title>Terms</title>'): string {
  return `<!doctype html><html><head>${head}</head><body>${body}</body></html>`;
}
