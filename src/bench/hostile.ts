// `npm run bench:hostile`: every hostile page and filter in one tracking pass, measured as a process tree (the
// tracker, its workers and its browser) with the bench kit's meter. A trustworthy archiver finishes the pass, reports
// each hostile terms inaccessible with its cause, records the fine ones, and stays under 1 GB.
//
//   node dist/bench/hostile.js [--kit ../shared/bench] [--timeout-ms 10000]
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createGzip } from 'node:zlib';

import { MissingRepositoryError, openVersions } from '../record/index.js';

const { values } = parseArgs({ options: { kit: { type: 'string', default: '../shared/bench' }, 'timeout-ms': { type: 'string', default: '10000' } } });
const here = path.dirname(fileURLToPath(import.meta.url));
const kit = path.resolve(values.kit);
const cli = path.join(here, '..', 'cli', 'main.js');

async function gzipOfZeros(megabytes: number): Promise<Buffer> {
  const gzip = createGzip({ level: 9 });
  const chunks: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise(resolve => gzip.on('end', resolve));
  const zeros = Buffer.alloc(1024 * 1024);
  for (let index = 0; index < megabytes; index++) if (!gzip.write(zeros)) await new Promise(resolve => gzip.once('drain', resolve));
  gzip.end();
  await ended;
  return Buffer.concat(chunks);
}

const page = (body: string, head = ''): string => `<!doctype html><html><head><meta charset="utf-8">${head}</head><body>${body}</body></html>`;
const fifty = 'x'.repeat(50 * 1024 * 1024);
const bombs = { 300: await gzipOfZeros(300), 1024: await gzipOfZeros(1024) };
const elements = `<main>${Array.from({ length: 100_000 }, (_, index) => `<p>Clause ${String(index)}.</p>`).join('')}</main>`;

/** Each case: a route, what it serves, and the declaration's terms (filters given separately). */
interface Case {
  readonly name: string;
  readonly serve?: (response: http.ServerResponse) => void;
  readonly terms?: Record<string, unknown>;
  readonly filters?: string;
  readonly isFine?: boolean;
}

const CASES: Case[] = [
  { name: 'Fine page', isFine: true, serve: response => response.end(page('<main><h1>Terms</h1><p>Fine.</p></main>')) },
  { name: 'Fine with filter', isFine: true, serve: response => response.end(page('<main><h1>Terms</h1><p>Fine.</p><aside>Ad</aside></main>')), filters: "export function clean(document) { document.querySelector('aside').remove(); }\n" },
  { name: 'Drip', serve: response => { const timer = setInterval(() => response.write('.'), 1000); response.on('close', () => { clearInterval(timer); }); } },
  { name: 'Hang', serve: () => undefined },
  { name: 'Fifty MB selected', serve: response => response.end(page(`<main>${fifty}</main>`)) },
  { name: 'Fifty MB outside', serve: response => response.end(page(`<main>Short.</main><div>${fifty}</div>`)) },
  { name: 'Gzip bomb 300 MB', serve: response => { response.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' }); response.end(bombs[300]); } },
  { name: 'Gzip bomb 1 GB', serve: response => { response.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' }); response.end(bombs[1024]); } },
  // 1.3 million characters of text: past the bounded extraction's limit
  { name: '100000 elements', serve: response => response.end(page(elements)) },
  { name: 'Allocating script', terms: { executeClientScripts: true }, serve: response => response.end(page('<main>Loading</main><script>const hoard = []; setInterval(() => { for (let i = 0; i < 100; i++) hoard.push(new Array(100000).fill(Math.random())); }, 10);</script>')) },
  { name: 'Redirect loop', serve: response => { response.writeHead(302, { location: '/Redirect%20loop' }); response.end(); } },
  { name: 'Binary as HTML', serve: response => { response.writeHead(200, { 'content-type': 'text/html' }); response.end(Buffer.from(Array.from({ length: 100_000 }, (_, index) => index % 256))); } },
  { name: 'Big headers', serve: response => { response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'x-padding': 'a'.repeat(40_000) }); response.end(page('<main><p>Behind 40 KB of headers.</p></main>')); } },
  { name: 'Looping filter', serve: response => response.end(page('<main><p>Text.</p></main>')), filters: 'export function clean() { while (true) {} }\n' },
  { name: 'Never settling filter', serve: response => response.end(page('<main><p>Text.</p></main>')), filters: 'export function clean() { return new Promise(() => {}); }\n' },
  { name: 'Local file', terms: { fetch: 'file:///etc/hostname' } },
];

const server = http.createServer((request, response) => {
  const name = decodeURIComponent((request.url ?? '/').slice(1));
  const found = CASES.find(candidate => candidate.name === name);
  if (!found?.serve) {
    response.writeHead(404);
    response.end();
    return;
  }
  if (!response.headersSent && !name.startsWith('Gzip') && name !== 'Binary as HTML' && name !== 'Redirect loop' && name !== 'Big headers') response.setHeader('content-type', 'text/html; charset=utf-8');
  found.serve(response);
});
await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;

const work = mkdtempSync(path.join(os.tmpdir(), 'terms-bench-hostile-'));
try {
  const declarations = path.join(work, 'declarations');
  mkdirSync(declarations);
  for (const item of CASES) {
    const terms = { fetch: `${origin}/${encodeURIComponent(item.name)}`, select: 'main', ...(item.filters !== undefined && { filter: ['clean'] }), ...item.terms };
    writeFileSync(path.join(declarations, `${item.name}.json`), JSON.stringify({ name: item.name, terms: { 'Terms of Service': terms } }));
    if (item.filters !== undefined) writeFileSync(path.join(declarations, `${item.name}.filters.js`), item.filters);
  }
  const measureFile = path.join(work, 'measure.json');
  const logFile = path.join(work, 'track.log');
  const command = `node --max-http-header-size=32768 --max-old-space-size=1536 ${JSON.stringify(cli)} track --json`;
  // asynchronously: the hostile server answers from this process
  const exit = await new Promise<number>(resolve => {
    execFile('node', [path.join(kit, 'measure.mjs'), '--log', logFile, '--json', measureFile, '--', 'bash', '-c', command], {
      cwd: work,
      env: { ...process.env, TERMS_ARCHIVE_NAVIGATION_TIMEOUT_MS: values['timeout-ms'], TERMS_ARCHIVE_FILTER_TIMEOUT_MS: values['timeout-ms'] },
    }, error => { resolve(error ? (typeof error.code === 'number' ? error.code : 1) : 0); });
  });
  const measure = JSON.parse(readFileSync(measureFile, 'utf8')) as { wall_s: number; peak_tree_rss_MB: number; peak_tree_pss_MB: number };
  const events = readFileSync(logFile, 'utf8').split('\n').filter(line => line.startsWith('{')).map(line => JSON.parse(line) as { event: string; args: unknown[] });
  const outcome = new Map<string, string>();
  for (const event of events) {
    const [first, second] = event.args as [Record<string, unknown> | undefined, Record<string, unknown> | undefined];
    if (event.event === 'inaccessibleContent') outcome.set(String(second?.serviceId), `inaccessible: ${String((first?.reasons as string[] | undefined)?.[0] ?? first?.message)}`);
    if (event.event === 'firstVersionRecorded') outcome.set(String(first?.serviceId), 'recorded');
  }
  let recorded = 0;
  try {
    const versions = await openVersions({ directory: path.join(work, 'versions-repo'), environment: { PATH: process.env.PATH }, isReadOnly: true });
    recorded = await versions.count();
    await versions.close();
  } catch (error) {
    if (!(error instanceof MissingRepositoryError)) throw error;
  }
  const declarationErrors = readFileSync(logFile, 'utf8').split('\n').filter(line => line.startsWith('Declaration error'));
  console.log('case                       expected      outcome');
  for (const item of CASES) {
    const got = outcome.get(item.name) ?? (declarationErrors.some(line => line.includes(item.name)) ? 'declaration error' : '(nothing)');
    console.log(`${item.name.padEnd(26)} ${(item.isFine ? 'recorded' : 'refused').padEnd(13)} ${got.slice(0, 150)}`);
  }
  const wrong = CASES.filter(item => (outcome.get(item.name) === 'recorded') !== (item.isFine === true));
  console.log(`\nbench:hostile  ${String(CASES.length)} terms in one pass: exit ${String(exit)}, ${String(recorded)} versions recorded (${String(CASES.filter(item => item.isFine).length)} expected), ${String(wrong.length)} cases not as expected${wrong.length > 0 ? ` (${wrong.map(item => item.name).join(', ')})` : ''}`);
  console.log(`wall ${measure.wall_s.toFixed(1)} s, peak RSS of the process tree ${String(measure.peak_tree_rss_MB)} MB, peak PSS ${String(measure.peak_tree_pss_MB)} MB`);
} finally {
  server.closeAllConnections();
  server.close();
  rmSync(work, { recursive: true, force: true });
}
