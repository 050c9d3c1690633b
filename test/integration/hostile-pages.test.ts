// Pages are untrusted: a decompression bomb, a page too large, binary served as HTML, text in another charset than
// declared, a server that drips or never answers. Each terms is reported inaccessible with the cause named, nothing
// of it is recorded, and the run goes on for the others.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGzip } from 'node:zlib';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type InaccessibleContentError } from '../../src/track/index.js';
import { createTestCollection, type TestCollection } from '../helpers/collection.js';
import { git } from '../helpers/git.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const MAX_BYTES = 5 * 1024 * 1024;

/** `megabytes` of zeros, gzipped (about a thousandth of it). */
async function gzipBomb(megabytes: number): Promise<Buffer> {
  const gzip = createGzip({ level: 9 });
  const chunks: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise(resolve => gzip.on('end', resolve));
  const zeros = Buffer.alloc(1024 * 1024);
  for (let index = 0; index < megabytes; index++) if (!gzip.write(zeros)) await new Promise(resolve => gzip.once('drain', resolve));
  gzip.end();
  await done;
  return Buffer.concat(chunks);
}

let server: http.Server;
let origin: string;
const timers = new Set<NodeJS.Timeout>();

beforeAll(async () => {
  const bomb = await gzipBomb(60);
  const huge = Buffer.alloc(8 * 1024 * 1024, 'a');
  const page = (text: string): string => `<!doctype html><html><head><meta charset="utf-8"></head><body><main><p>${text}</p></main></body></html>`;
  server = http.createServer((request, response) => {
    switch (request.url) {
      case '/bomb':
        response.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' });
        response.end(bomb);
        return;
      case '/huge':
        response.writeHead(200, { 'content-type': 'text/html', 'content-length': String(huge.length) });
        response.end(huge);
        return;
      case '/huge-chunked':
        response.writeHead(200, { 'content-type': 'text/html' });
        response.end(huge);
        return;
      case '/binary':
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end(Buffer.concat([Buffer.from('<html><body><main>'), Buffer.from(Array.from({ length: 4096 }, (_, index) => index % 256)), Buffer.from('</main></body></html>')]));
        return;
      case '/wrong-charset':
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        // Latin-1 bytes above 0x7f, each an invalid UTF-8 sequence
        response.end(Buffer.concat([Buffer.from('<html><body><main>'), Buffer.from(Array.from({ length: 2000 }, (_, index) => 0xc0 + (index % 32))), Buffer.from('</main></body></html>')]));
        return;
      case '/drip': {
        response.writeHead(200, { 'content-type': 'text/html' });
        const timer = setInterval(() => response.write('.'), 100);
        timers.add(timer);
        response.on('close', () => { clearInterval(timer); });
        return;
      }
      case '/hang':
        return; // never answers
      case '/fine':
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end(page('Fine terms.'));
        return;
      default:
        response.writeHead(404);
        response.end();
    }
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
}, 60_000);
afterAll(async () => {
  for (const timer of timers) clearInterval(timer);
  server.closeAllConnections();
  await new Promise(resolve => server.close(resolve));
});

const CASES: [path: string, reason: string][] = [
  ['/bomb', "Received more than 5 MiB (decompressed) when trying to fetch 'ORIGIN/bomb': no terms page is that large (maxResponseBytes)"],
  ['/huge', "Received more than 5 MiB (decompressed) when trying to fetch 'ORIGIN/huge'"],
  ['/huge-chunked', "Received more than 5 MiB (decompressed) when trying to fetch 'ORIGIN/huge-chunked'"],
  ['/binary', `Received binary content labelled "text/html; charset=utf-8" when trying to fetch 'ORIGIN/binary'`],
  ['/wrong-charset', "Received text that does not decode as utf-8 when trying to fetch 'ORIGIN/wrong-charset'"],
  ['/drip', "Timed out after 2 seconds when trying to fetch 'ORIGIN/drip'"],
  ['/hang', "Timed out after 2 seconds when trying to fetch 'ORIGIN/hang'"],
];

describe('hostile pages', () => {
  it('are each reported inaccessible with their cause, recorded nowhere, and the run tracks the others', async () => {
    const { dir, cleanup } = await makeTempDir();
    const collection: TestCollection = await createTestCollection(dir);
    try {
      for (const [route] of CASES) {
        const id = `Hostile${route.replace(/\W/g, '-')}`;
        await collection.writeDeclaration(id, { name: id, terms: { 'Terms of Service': { fetch: `${origin}${route}`, select: 'main', executeClientScripts: false } } });
      }
      await collection.writeDeclaration('Fine', { name: 'Fine', terms: { 'Terms of Service': { fetch: `${origin}/fine`, select: 'main' } } });
      const archivist = await collection.archivist({ navigationTimeoutMs: 2000, maxResponseBytes: MAX_BYTES });
      const summary = await archivist.runPass({ technicalUpgradeOnly: false });
      expect(summary).toMatchObject({ terms: CASES.length + 1, versionsRecorded: 1, inaccessible: CASES.length });
      const reasons = collection.events
        .filter(event => event.name === 'inaccessibleContent')
        .flatMap(event => (event.args[0] as InaccessibleContentError).reasons.map(reason => [(event.args[1] as { serviceId: string }).serviceId, reason]));
      for (const [route, reason] of CASES) {
        const id = `Hostile${route.replace(/\W/g, '-')}`;
        expect(reasons.filter(([serviceId]) => serviceId === id).map(([, message]) => message), route).toContainEqual(expect.stringContaining(reason.replace('ORIGIN', origin)));
      }
      expect(git(collection.snapshotsDir, 'ls-files').trim()).toBe('Fine/Terms of Service.html');
    } finally {
      await collection.close();
      await cleanup();
    }
  }, 120_000);
});
