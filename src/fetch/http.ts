// The plain HTTP fetcher (OTA-FORMAT §5.3), on Node's built-in fetch: one timeout for the whole request,
// redirects followed (20 at most), and every failure turned into a classified FetchError.
import { charsetOf, decodeText } from './charset.js';
import { checkDestination } from './destination.js';
import { emptyContentError, FetchError, httpStatusError, networkError, timeoutError, tooLargeError } from './errors.js';
import { hasProxy, proxyDispatcherFor, type ProxySettings } from './proxy.js';
import { DEFAULT_MAX_RESPONSE_BYTES, type FetchedDocument, type FetchOptions, type HttpValidators, NOT_MODIFIED } from './model.js';

/** Fetches a page; with the validators of a previous response, asks for it only if it changed since. */
export async function fetchWithHttp(url: string, options: FetchOptions): Promise<FetchedDocument>;
export async function fetchWithHttp(url: string, options: FetchOptions, since: HttpValidators | undefined): Promise<FetchedDocument | typeof NOT_MODIFIED>;
export async function fetchWithHttp(url: string, options: FetchOptions, since?: HttpValidators): Promise<FetchedDocument | typeof NOT_MODIFIED> {
  if (!url) throw new FetchError(url, 'URL is required');
  const signal = AbortSignal.timeout(options.navigationTimeoutMs);
  let response: Response;
  let bytes: Uint8Array;
  try {
    const policy = { refusePrivateAddresses: options.refusePrivateAddresses === true };
    await checkDestination(url, policy);
    const headers = {
      'Accept-Language': options.languages.join(', '),
      'User-Agent': options.userAgent,
      Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,application/pdf,*/*;q=0.8',
      ...(since?.etag !== undefined && { 'If-None-Match': since.etag }),
      ...(since?.lastModified !== undefined && { 'If-Modified-Since': since.lastModified }),
    };
    response = await fetchFollowingChecked(url, { signal, headers }, policy, options.proxy);
    if (response.status === 304 && since) {
      await response.body?.cancel();
      return NOT_MODIFIED;
    }
    if (response.status < 200 || response.status > 299) {
      await response.body?.cancel();
      throw httpStatusError(url, response.status);
    }
    bytes = await readBounded(response, url, options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES);
  } catch (error) {
    throw toFetchError(url, error, options.navigationTimeoutMs);
  }
  const contentType = response.headers.get('content-type');
  if (bytes.length === 0) throw emptyContentError(url);
  if (!contentType) throw new FetchError(url, `Received no Content-Type header when trying to fetch '${url}'`);
  const isText = contentType.trim().toLowerCase().startsWith('text/');
  const validators = validatorsOf(response.headers);
  const content = isText ? decodeText(contentType, bytes) : bytes;
  if (typeof content === 'string') checkDecodedText(url, contentType, content);
  return {
    url: response.url || url,
    mimeType: contentType,
    content,
    fetcher: 'htmlOnly',
    ...(validators && { validators }),
  };
}

/** The body, read as it comes and refused once it exceeds `maxBytes` (fetch decompresses as it reads). */
async function readBounded(response: Response, url: string, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  const encoding = response.headers.get('content-encoding');
  if (Number.isFinite(declared) && declared > maxBytes && (encoding === null || encoding === 'identity')) {
    await response.body?.cancel();
    throw tooLargeError(url, maxBytes);
  }
  if (!response.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      await response.body.cancel().catch(() => undefined);
      throw tooLargeError(url, maxBytes);
    }
    chunks.push(chunk);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/**
 * Text that is not text: NUL bytes (a binary body labelled text/html) or mostly undecodable characters (a wrong
 * charset). Said as such, instead of a selector that matches nothing.
 */
function checkDecodedText(url: string, contentType: string, text: string): void {
  const sample = text.length > 200_000 ? text.slice(0, 200_000) : text;
  let nul = 0;
  let replacement = 0;
  for (let index = 0; index < sample.length; index++) {
    const code = sample.charCodeAt(index);
    if (code === 0) nul++;
    else if (code === 0xfffd) replacement++;
  }
  if (nul > 0) throw new FetchError(url, `Received binary content labelled "${contentType}" when trying to fetch '${url}' (${String(nul)} NUL bytes in the first ${String(sample.length)} characters)`);
  if (sample.length >= 100 && replacement / sample.length > 0.1) {
    throw new FetchError(url, `Received text that does not decode as ${charsetOf(contentType, Buffer.from(sample.slice(0, 1024), 'latin1'))} when trying to fetch '${url}' (${String(replacement)} undecodable characters in ${String(sample.length)})`);
  }
}

const MAX_REDIRECTS = 20;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** A GET that follows redirects one at a time, checking where each one goes before going there. */
async function fetchFollowingChecked(url: string, init: RequestInit, policy: { readonly refusePrivateAddresses: boolean }, proxy: ProxySettings | undefined): Promise<Response> {
  let current = url;
  for (let redirects = 0; ; redirects++) {
    // through the proxy, unless NO_PROXY names the host (an undici agent, which Node's own fetch takes as dispatcher)
    const dispatcher = hasProxy(proxy) ? proxyDispatcherFor(current, proxy) : undefined;
    const response = await fetch(current, { ...init, redirect: 'manual', ...(dispatcher && { dispatcher }) });
    const location = response.headers.get('location');
    if (!REDIRECT_STATUSES.has(response.status) || location === null) return response;
    await response.body?.cancel();
    if (redirects === MAX_REDIRECTS) throw new FetchError(url, `maximum redirect reached at: ${url}`);
    current = new URL(location, current).href;
    await checkDestination(current, policy, url);
  }
}

function validatorsOf(headers: Headers): HttpValidators | undefined {
  const etag = headers.get('etag') ?? undefined;
  const lastModified = headers.get('last-modified') ?? undefined;
  if (etag === undefined && lastModified === undefined) return undefined;
  return { ...(etag !== undefined && { etag }), ...(lastModified !== undefined && { lastModified }) };
}

function toFetchError(url: string, error: unknown, timeoutMs: number): FetchError {
  if (error instanceof FetchError) return error;
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return timeoutError(url, timeoutMs, error);
  }
  const code = systemErrorCode(error);
  // undici names a few socket failures its own way; report them as the system errors they stand for.
  if (code?.startsWith('UND_ERR') && code.endsWith('TIMEOUT')) return timeoutError(url, timeoutMs, error);
  if (code === 'UND_ERR_SOCKET') return networkError(url, 'ECONNRESET', error);
  if (code === 'UND_ERR_HEADERS_OVERFLOW') {
    return new FetchError(url, `Received response headers larger than the limit (32 KiB, as OTA; node --max-http-header-size) when trying to fetch '${url}'`, {}, { cause: error });
  }
  if (code) return networkError(url, code, error);
  if (causeMessages(error).some(message => /redirect count exceeded/i.test(message))) {
    return new FetchError(url, `maximum redirect reached at: ${url}`, {}, { cause: error });
  }
  const message = causeMessages(error).at(-1) ?? String(error);
  return new FetchError(url, `${message} when trying to fetch '${url}'`, {}, { cause: error });
}

/** The socket or TLS error code somewhere in the cause chain (`ECONNREFUSED`, `CERT_HAS_EXPIRED`, …). */
function systemErrorCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    const candidate = current as { code?: unknown; cause?: unknown; errors?: unknown[] };
    if (typeof candidate.code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(candidate.code)) {
      return candidate.code;
    }
    current = candidate.cause ?? candidate.errors?.[0];
  }
  return undefined;
}

function causeMessages(error: unknown): string[] {
  const messages: string[] = [];
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    messages.push(current.message);
    current = current.cause;
  }
  return messages;
}
