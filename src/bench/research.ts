// `npm run bench:research`: search, trace and blame on a large real-shaped archive, ratios measured in one run.
// 1. Generates a versions repository of --versions versions from the conformance corpus (real-history.ts), one terms
//    of them cut to --focus-lines lines and given about --focus-versions versions (for blame), or reuses --repository.
// 2. Times the history index catching up on all of it (paragraphs and full-text index included), and reports the
//    index's size beside the repository's.
// 3. Serves the API (`terms-archive serve`, its own process) and loads /search from --clients concurrent clients: a
//    mix of words, phrases, prefixes and boolean queries drawn from the corpus, over the latest versions (the
//    default), p50 and p99; then the versions in force at random dates, and all history (--history-requests each).
// 4. Baseline: the same latest-version questions answered without the index, reading each terms' latest version
//    from git and scanning it, sequentially.
// 5. blame of the focus terms: the command (a process, start-up included), the API, and `git blame` of its file
//    as the baseline; trace of one of its paragraphs.
//
//   node dist/bench/research.js [--versions 100000] [--clients 20] [--requests 4000] [--repository <dir>] [--keep]
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';

import Database from 'better-sqlite3';

import { HistoryIndex, paragraphsOf } from '../publish/index.js';
import { openVersions } from '../record/index.js';
import { generateHistory, loadTerms, random } from './real-history.js';
import { startServeProcess } from './serve-process.js';

const { values } = parseArgs({
  options: {
    corpus: { type: 'string', default: '../shared/conformance' },
    versions: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '1' },
    clients: { type: 'string', default: '20' },
    requests: { type: 'string', default: '4000' },
    'history-requests': { type: 'string', default: '400' },
    'baseline-requests': { type: 'string', default: '40' },
    warmup: { type: 'string', default: '200' },
    'focus-lines': { type: 'string', default: '1500' },
    'focus-versions': { type: 'string', default: '300' },
    repository: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const CLIENTS = Number(values.clients);
const environment = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
const run = promisify(execFile);
const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'cli', 'main.js');

const next = random(Number(values.seed) + 7);
const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const figures = (samples: readonly number[]): string => {
  const sorted = [...samples].sort((a, b) => a - b);
  return `p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms (${String(sorted.length)} requests)`;
};

/** Queries as researchers write them, from the words of the corpus's real terms. */
function queries(count: number): { query: string; kind: string }[] {
  const texts = loadTerms(path.resolve(values.corpus)).flatMap(terms => terms.texts);
  const runs = texts.flatMap(text => paragraphsOf(text)).map(paragraph => paragraph.match(/\p{L}{4,}/gu) ?? []).filter(words => words.length >= 3);
  const result: { query: string; kind: string }[] = [];
  for (let at = 0; at < count; at++) {
    const words = pick(runs);
    const start = Math.floor(next() * (words.length - 2));
    const word = words[start] ?? 'data';
    const draw = next();
    if (draw < 0.3) result.push({ query: word, kind: 'word' });
    else if (draw < 0.6) result.push({ query: `"${words.slice(start, start + 2 + Math.floor(next() * 2)).join(' ')}"`, kind: 'phrase' });
    else if (draw < 0.75) result.push({ query: `${word.slice(0, 4)}*`, kind: 'prefix' });
    else result.push({ query: `${word} ${pick(['AND', 'OR', 'NOT'])} ${words[start + 2] ?? 'data'}`, kind: 'boolean' });
  }
  return result;
}

async function load(urls: readonly string[]): Promise<{ latencies: number[]; errors: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
  const latencies: number[] = [];
  let errors = 0;
  let nextRequest = 0;
  const get = (url: string): Promise<number> =>
    new Promise(resolve => {
      http.get(url, { agent }, response => {
        response.resume();
        response.on('end', () => { resolve(response.statusCode ?? 0); });
      }).on('error', () => { resolve(0); });
    });
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (nextRequest < urls.length) {
      const url = urls[nextRequest++] ?? '';
      const started = performance.now();
      const status = await get(url);
      latencies.push(performance.now() - started);
      if (status !== 200) errors++;
    }
  }));
  agent.destroy();
  return { latencies, errors };
}

const startApi = (collection: string): Promise<{ base: string; close: () => void }> => startServeProcess(cli, collection, ['--no-access-log', '--refresh', '3600'], environment);

const folderSize = (folder: string): number => readdirSync(folder, { recursive: true, withFileTypes: true }).filter(entry => entry.isFile()).reduce((sum, entry) => sum + statSync(path.join(entry.parentPath, entry.name)).size, 0);
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

const collection = values.repository ? path.resolve(values.repository) : mkdtempSync(path.join(os.tmpdir(), 'terms-bench-research-'));
const versionsDir = path.join(collection, 'versions-repo');
try {
  let started = performance.now();
  const focusLines = Number(values['focus-lines']);
  let focus: { serviceId: string; type: string } | undefined;
  if (!existsSync(versionsDir)) {
    const generated = await generateHistory({ directory: versionsDir, corpus: values.corpus, versions: Number(values.versions), seed: Number(values.seed), focus: { lines: focusLines, versions: Number(values['focus-versions']) }, stepMs: 15 * 60_000 });
    console.log(`generated ${Number(values.versions).toLocaleString('en')} versions of ${String(generated.terms.length)} real terms (${(generated.bytes / Number(values.versions) / 1024).toFixed(1)} KB a version on average) in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    focus = generated.focus;
    mkdirSync(path.join(collection, 'declarations'), { recursive: true });
    const services = new Map<string, string[]>();
    for (const { serviceId, type } of generated.terms) services.set(serviceId, [...(services.get(serviceId) ?? []), type]);
    for (const [serviceId, types] of services) {
      writeFileSync(path.join(collection, 'declarations', `${serviceId}.json`), JSON.stringify({ name: serviceId, terms: Object.fromEntries(types.map(type => [type, { fetch: 'https://example.com/terms', select: 'main' }])) }));
    }
    writeFileSync(path.join(collection, 'focus.json'), JSON.stringify(focus));
  } else {
    focus = JSON.parse((await import('node:fs')).readFileSync(path.join(collection, 'focus.json'), 'utf8')) as typeof focus;
    console.log(`reusing ${versionsDir}`);
  }
  if (!focus) throw new Error(`no terms of the corpus has ${String(focusLines)} lines (--focus-lines)`);

  const repository = await openVersions({ directory: versionsDir, environment, authorName: 'Bench', authorEmail: 'bench@example.invalid' });
  const index = HistoryIndex.open(repository);
  started = performance.now();
  const indexed = await index.catchUp();
  const indexSeconds = (performance.now() - started) / 1000;
  const total = index.count({ includeTechnicalUpgrades: true });
  const focusVersions = index.count({ serviceId: focus.serviceId, termsType: focus.type, includeTechnicalUpgrades: true });
  const focusLatest = index.latest(focus.serviceId, focus.type);
  const focusText = (await repository.read(focusLatest?.id ?? '', focus.serviceId, focus.type)) ?? '';
  const sampleTerms = index.passages.terms();
  const indexFile = repository.sideFiles.pathOf('history.sqlite') ?? '';
  index.close();
  await repository.close();
  const sideFiles = readdirSync(path.dirname(indexFile)).filter(name => name.startsWith('history.sqlite'));
  const indexBytes = sideFiles.reduce((sum, name) => sum + statSync(path.join(path.dirname(indexFile), name)).size, 0);
  const db = new Database(indexFile, { readonly: true });
  const count = (table: string): number => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  const tables = { passages: count('passages'), spans: count('spans'), versions: count('versions') };
  db.close();
  console.log(`index: ${indexed.toLocaleString('en')} versions caught up in ${indexSeconds.toFixed(1)} s (${(indexed / Math.max(indexSeconds, 0.001)).toFixed(0)} versions/s); ${total.toLocaleString('en')} versions in all`);
  console.log(`index size: ${mb(indexBytes)} (${tables.passages.toLocaleString('en')} distinct paragraphs, ${tables.spans.toLocaleString('en')} spans); the repository (files and .git, index left out): ${mb(folderSize(versionsDir) - indexBytes)}`);

  const api = await startApi(collection);
  const searchUrl = (query: string, extra = ''): string => `${api.base}/search?q=${encodeURIComponent(query)}&limit=100${extra}`;
  const mix = queries(Number(values.requests) + Number(values.warmup));
  const firstDate = Date.UTC(2023, 0, 1);
  const lastDate = firstDate + Number(values.versions) * 15 * 60_000;
  const urls = mix.map(({ query }) => searchUrl(query));
  await load(urls.slice(0, Number(values.warmup))); // not measured: compiling and SQLite's cache
  const latest = await load(urls.slice(Number(values.warmup)));
  const atDate = await load(mix.slice(0, Number(values['history-requests'])).map(({ query }) => searchUrl(query, `&at=${new Date(firstDate + next() * (lastDate - firstDate)).toISOString()}`)));
  const history = await load(mix.slice(0, Number(values['history-requests'])).map(({ query }) => searchUrl(query, '&all=true')));

  // baseline: each terms' latest version read from git and scanned for the words, one query after the other
  const baselineRepository = await openVersions({ directory: versionsDir, environment, isReadOnly: true });
  const baselineLatencies: number[] = [];
  for (const { query } of mix.slice(Number(values.warmup), Number(values.warmup) + Number(values['baseline-requests']))) {
    const words = (query.match(/\p{L}+/gu) ?? []).filter(word => !['AND', 'OR', 'NOT'].includes(word)).map(word => word.toLowerCase());
    const begun = performance.now();
    let found = 0;
    for (const { serviceId, termsType } of sampleTerms) {
      const version = await baselineRepository.findLatest(serviceId, termsType);
      const text = version?.content.toLowerCase() ?? '';
      if (words.every(word => text.includes(word))) found++;
    }
    baselineLatencies.push(performance.now() - begun);
    if (found < 0) console.log(found);
  }
  await baselineRepository.close();

  // blame: the command (start-up included), the API, and git blame of the same file
  const blameCli: number[] = [];
  for (let at = 0; at < 5; at++) {
    const begun = performance.now();
    await run('node', [cli, '-C', collection, 'blame', focus.serviceId, focus.type], { env: environment, maxBuffer: 64 * 1024 * 1024 });
    blameCli.push(performance.now() - begun);
  }
  const blameApi = await load(Array.from({ length: 40 }, () => `${api.base}/blame/${encodeURIComponent(focus.serviceId)}/${encodeURIComponent(focus.type)}`));
  const paragraph = pick(paragraphsOf(focusText).filter(text => text.length > 80));
  const traceApi = await load(Array.from({ length: 40 }, () => `${api.base}/trace/${encodeURIComponent(focus.serviceId)}/${encodeURIComponent(focus.type)}?text=${encodeURIComponent(paragraph.slice(0, 120))}`));
  api.close();
  const gitBlame: number[] = [];
  for (let at = 0; at < 3; at++) {
    const begun = performance.now();
    await run('git', ['-C', versionsDir, 'blame', '--porcelain', '--', `${focus.serviceId}/${focus.type}.md`], { env: environment, maxBuffer: 256 * 1024 * 1024 });
    gitBlame.push(performance.now() - begun);
  }

  const median = (samples: readonly number[]): number => percentile([...samples].sort((a, b) => a - b), 50);
  console.log(`\nbench:research  ${total.toLocaleString('en')} versions, ${String(sampleTerms.length)} terms, ${String(CLIENTS)} concurrent clients`);
  console.log(`search, the latest versions (the default): ${figures(latest.latencies)}, errors ${String(latest.errors)}`);
  console.log(`search, the versions in force at a date:     ${figures(atDate.latencies)}, errors ${String(atDate.errors)}`);
  console.log(`search over all history:                     ${figures(history.latencies)}, errors ${String(history.errors)}`);
  console.log(`baseline, scanning each terms' latest version from git: ${figures(baselineLatencies)}: ${(median(baselineLatencies) / median(latest.latencies)).toFixed(0)}× the index's median`);
  console.log(`blame of ${focus.serviceId} ${focus.type} (${String(focusText.split('\n').length)} lines, ${String(paragraphsOf(focusText).length)} paragraphs, ${String(focusVersions)} versions):`);
  console.log(`  command, start-up included: median ${median(blameCli).toFixed(0)} ms, max ${Math.max(...blameCli).toFixed(0)} ms`);
  console.log(`  API: ${figures(blameApi.latencies)}, errors ${String(blameApi.errors)}`);
  console.log(`  git blame --porcelain (by line, upgrades not skipped), the baseline: median ${median(gitBlame).toFixed(0)} ms`);
  console.log(`trace of a paragraph of it, API: ${figures(traceApi.latencies)}, errors ${String(traceApi.errors)}`);
} finally {
  if (!values.keep && !values.repository) rmSync(collection, { recursive: true, force: true });
  else console.log(`kept: ${collection}`);
}
