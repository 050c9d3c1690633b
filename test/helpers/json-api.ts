// A local HTTP server for the tests' stand-ins of hosted APIs (GitLab, data.gouv.fr): each request is read whole and
// handed to the routes as method, path, query, headers and body (JSON or multipart form, as the client sent it).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ApiRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: http.IncomingHttpHeaders;
  /** The body as sent. */
  readonly raw: string;
  readonly bytes: Buffer;
  /** The JSON body, {} when there is none. */
  readonly json: Record<string, unknown>;
  /** The multipart form body, when the client sent one. */
  readonly form: FormData | undefined;
}

export interface ApiReply {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
}

export interface JsonApi {
  readonly url: string;
  /** Requests answered, the refused ones included. */
  readonly calls: number;
  close(): Promise<void>;
}

export async function startJsonApi(answer: (request: ApiRequest, url: string) => ApiReply | Promise<ApiReply>): Promise<JsonApi> {
  let calls = 0;
  let url = '';
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        calls++;
        const raw = Buffer.concat(chunks);
        const type = request.headers['content-type'] ?? '';
        const address = new URL(request.url ?? '/', url);
        const reply = await answer(
          {
            method: request.method ?? 'GET',
            path: address.pathname,
            query: address.searchParams,
            headers: request.headers,
            raw: raw.toString(),
            bytes: raw,
            json: type.startsWith('application/json') && raw.length > 0 ? (JSON.parse(raw.toString()) as Record<string, unknown>) : {},
            form: type.startsWith('multipart/form-data') ? await new Response(raw, { headers: { 'content-type': type } }).formData() : undefined,
          },
          url,
        );
        response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers }).end(JSON.stringify(reply.body));
      })();
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => { resolve(); }));
  url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  return {
    url,
    get calls() {
      return calls;
    },
    close: () => new Promise(resolve => server.close(() => { resolve(); })),
  };
}

/** The file of a multipart form's field, as bytes with its name and type. */
export async function formFile(form: FormData | undefined, field: string): Promise<{ name: string; type: string; bytes: Buffer } | undefined> {
  const value = form?.get(field);
  if (!(value instanceof Blob)) return undefined;
  return { name: value instanceof File ? value.name : '', type: value.type, bytes: Buffer.from(await value.arrayBuffer()) };
}
