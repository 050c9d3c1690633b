// `npm run bench:serve`: the read side on a large archive, ratios measured in one run.
// 1. Generates a versions repository of --commits commits over --terms terms, recorded as tracking records them
//    (OTA's paths and messages), and declarations for its services.
// 2. Times the history index catching up on all of it, then on 100 new commits.
// 3. Serves the API (`terms-archive serve`, its own process) and loads it from --clients concurrent clients on
//    loopback: feed requests and version-at-date requests, p50 and p99 latencies.
// 3b. Exports the dataset of the whole archive (`terms-archive dataset`), timing it and its peak memory.
// 4. Does the same against a baseline server that reads git on each request (the repository's list and findAt:
//    `git log` and a blob read each time), as a server without an index would.
//
//   node dist/bench/serve.js [--commits 100000] [--terms 1000] [--clients 50] [--requests 4000] [--baseline-requests 300] [--warmup 400]
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';

import { HistoryIndex } from '../publish/index.js';
import { openVersions, type VersionRepository } from '../record/index.js';
import { startServeProcess } from './serve-process.js';

const { values } = parseArgs({
  options: {
    commits: { type: 'string', default: '100000' },
    terms: { type: 'string', default: '1000' },
    clients: { type: 'string', default: '50' },
    requests: { type: 'string', default: '4000' },
    // reading git on each request takes seconds per request on 100,000 commits: fewer samples of it
    'baseline-requests': { type: 'string', default: '300' },
    warmup: { type: 'string', default: '400' },
  },
});
const COMMITS = Number(values.commits);
const TERMS = Number(values.terms);
const CLIENTS = Number(values.clients);
const REQUESTS = Number(values.requests);
const BASELINE_REQUESTS = Number(values['baseline-requests']);
const WARMUP = Number(values.warmup);
const TYPES = ['Terms of Service', 'Privacy Policy', 'Cookies Policy', 'Community Guidelines', 'Developer Terms', 'Imprint', 'Trackers Policy', 'Acceptable Use Policy', 'Commercial Terms', 'Copyright Claims Policy'];
const environment = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
const run = promisify(execFile);
const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'cli', 'main.js');
const START = Date.UTC(2020, 0, 1);
const SNAPSHOT_ID = '0123456789abcdef0123456789abcdef01234567';

interface Terms {
  readonly serviceId: string;
  readonly type: string;
}
const terms: Terms[] = Array.from({ length: TERMS }, (_, index) => ({ serviceId: `Service ${String(Math.floor(index / TYPES.length)).padStart(4, '0')}`, type: TYPES[index % TYPES.length] ?? 'Terms of Service' }));
const dateOf = (commit: number): Date => new Date(START + commit * 60_000);

function document(termsIndex: number, edition: number): string {
  const paragraphs = Array.from({ length: 30 }, (_, paragraph) => `Clause ${paragraph + 1} of terms ${termsIndex}. ${paragraph === edition % 30 ? `Amended in edition ${edition}.` : 'Unchanged text that stays the same from one version to the next.'}`);
  return `# ${terms[termsIndex]?.type ?? ''}\n\n## Part one\n\n${paragraphs.slice(0, 15).join('\n\n')}\n\n## Part two\n\n${paragraphs.slice(15).join('\n\n')}\n`;
}

async function generate(directory: string): Promise<void> {
  const repository = await openVersions({ directory, environment, authorName: 'Bench', authorEmail: 'bench@example.invalid' });
  const editions = new Array<number>(TERMS).fill(0);
  for (let commit = 0; commit < COMMITS; commit++) {
    const termsIndex = commit % TERMS;
    const { serviceId, type } = terms[termsIndex] ?? { serviceId: '', type: '' };
    const edition = editions[termsIndex] ?? 0;
    editions[termsIndex] = edition + 1;
    await repository.record({ serviceId, termsType: type, fetchDate: dateOf(commit), content: document(termsIndex, edition), snapshotIds: [SNAPSHOT_ID], isTechnicalUpgrade: false, metadata: { 'x-engine-version': 'bench' } });
  }
  await repository.close();
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** `total` requests from `CLIENTS` concurrent clients (keep-alive), alternating feeds and versions at dates. */
async function load(base: string, total: number): Promise<{ feed: number[]; version: number[]; errors: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
  const latencies = { feed: [] as number[], version: [] as number[], errors: 0 };
  let next = 0;
  const get = (url: string): Promise<number> =>
    new Promise(resolve => {
      http.get(url, { agent }, response => {
        response.resume();
        response.on('end', () => { resolve(response.statusCode ?? 0); });
      }).on('error', () => { resolve(0); });
    });
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < total) {
        const request = next++;
        const { serviceId, type } = terms[(request * 7919) % TERMS] ?? { serviceId: '', type: '' };
        const isFeed = request % 2 === 0;
        const date = dateOf(Math.floor((request * 104729) % COMMITS)).toISOString().replace(/\.\d{3}Z$/, 'Z');
        const url = isFeed ? `${base}/feed/${encodeURIComponent(serviceId)}/${encodeURIComponent(type)}` : `${base}/version/${encodeURIComponent(serviceId)}/${encodeURIComponent(type)}/${date}`;
        const started = performance.now();
        const status = await get(url);
        (isFeed ? latencies.feed : latencies.version).push(performance.now() - started);
        if (status !== 200 && status !== 404) latencies.errors++;
      }
    }),
  );
  agent.destroy();
  return latencies;
}

/**
 * A server without an index: each request reads git, as reading the archive straight from the repository does. One
 * repository object per client, so that requests run their git processes side by side, as they would.
 */
async function startGitBaseline(directory: string): Promise<{ base: string; close: () => Promise<void> }> {
  const repositories: VersionRepository[] = [];
  for (let client = 0; client < CLIENTS; client++) repositories.push(await openVersions({ directory, environment, isReadOnly: true }));
  let turn = 0;
  const server = http.createServer((request, response) => {
    const parts = (request.url ?? '').split('/').slice(1).map(decodeURIComponent);
    const repository = repositories[turn++ % repositories.length] as VersionRepository;
    const reply = (status: number, body: string): void => { response.writeHead(status); response.end(body); };
    const answer = parts[0] === 'feed'
      ? repository.list(parts[1] ?? '', parts[2] ?? '', 100).then(versions => { reply(200, versions.map(version => version.content).join('\n')); })
      : repository.findAt(parts[1] ?? '', parts[2] ?? '', new Date(parts[3] ?? '')).then(version => { reply(version ? 200 : 404, version?.content ?? ''); });
    answer.catch(() => { reply(500, ''); });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.close();
      await Promise.all(repositories.map(repository => repository.close()));
    },
  };
}

const startApi = (collection: string): Promise<{ base: string; close: () => void }> => startServeProcess(cli, collection, [], environment);

const collection = mkdtempSync(path.join(os.tmpdir(), 'terms-bench-serve-'));
try {
  const versions = path.join(collection, 'versions-repo');
  let started = performance.now();
  await generate(versions);
  console.log(`generated ${COMMITS} commits over ${TERMS} terms in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  mkdirSync(path.join(collection, 'declarations'));
  const services = new Map<string, string[]>();
  for (const { serviceId, type } of terms) services.set(serviceId, [...(services.get(serviceId) ?? []), type]);
  for (const [serviceId, types] of services) {
    writeFileSync(path.join(collection, 'declarations', `${serviceId}.json`), JSON.stringify({ name: serviceId, terms: Object.fromEntries(types.map(type => [type, { fetch: 'https://example.com/terms', select: 'main' }])) }));
  }

  const repository = await openVersions({ directory: versions, environment, authorName: 'Bench', authorEmail: 'bench@example.invalid' });
  const index = HistoryIndex.open(repository);
  started = performance.now();
  const indexed = await index.catchUp();
  const fullSeconds = (performance.now() - started) / 1000;
  // then 100 new versions, recorded as tracking records them
  for (let extra = 0; extra < 100; extra++) {
    const { serviceId, type } = terms[extra % TERMS] ?? { serviceId: '', type: '' };
    await repository.record({ serviceId, termsType: type, fetchDate: dateOf(COMMITS + extra), content: document(extra % TERMS, 1000 + extra), snapshotIds: [SNAPSHOT_ID], isTechnicalUpgrade: false, metadata: { 'x-engine-version': 'bench' } });
  }
  await repository.flush();
  started = performance.now();
  const added = await index.catchUp();
  const incrementalSeconds = (performance.now() - started) / 1000;
  index.close();
  await repository.close();
  console.log(`index: ${indexed} versions in ${fullSeconds.toFixed(1)} s (${(indexed / fullSeconds).toFixed(0)} versions/s); then ${added} new ones in ${incrementalSeconds.toFixed(2)} s`);

  // the dataset of the whole archive, as its own process: its time and peak memory
  started = performance.now();
  const { stderr } = await run('/usr/bin/time', ['-f', '%M', cli, '-C', collection, 'dataset', '--out', path.join(collection, 'dataset.zip')], { env: environment });
  const datasetSeconds = (performance.now() - started) / 1000;
  const datasetPeakMB = Number(stderr.trim().split('\n').at(-1)) / 1024;
  console.log(`dataset: ${COMMITS + 100} versions exported in ${datasetSeconds.toFixed(1)} s, peak RSS ${datasetPeakMB.toFixed(0)} MB`);

  const api = await startApi(collection);
  await load(api.base, WARMUP); // not measured: the server's first requests compile its code and warm SQLite's cache
  const indexedLoad = await load(api.base, REQUESTS);
  api.close();
  const baseline = await startGitBaseline(versions);
  const gitLoad = await load(baseline.base, BASELINE_REQUESTS);
  await baseline.close();

  const row = (label: string, samples: number[]): string => {
    const sorted = [...samples].sort((a, b) => a - b);
    return `${label.padEnd(44)} p50 ${percentile(sorted, 50).toFixed(1).padStart(7)} ms   p99 ${percentile(sorted, 99).toFixed(1).padStart(7)} ms`;
  };
  console.log(`\nbench:serve  ${COMMITS} commits, ${TERMS} terms, ${CLIENTS} concurrent clients, ${REQUESTS} requests to the API (after ${WARMUP} not measured), ${BASELINE_REQUESTS} to the git baseline`);
  console.log(row('feed, API (history index)', indexedLoad.feed));
  console.log(row('feed, reading git on each request', gitLoad.feed));
  console.log(row('version at a date, API (history index)', indexedLoad.version));
  console.log(row('version at a date, reading git on each request', gitLoad.version));
  console.log(`errors: API ${indexedLoad.errors}, git baseline ${gitLoad.errors}`);
  console.log(`index catch-up: all ${indexed} versions in ${fullSeconds.toFixed(1)} s; ${added} new ones in ${incrementalSeconds.toFixed(2)} s`);
  console.log(`dataset export: ${COMMITS + 100} versions in ${datasetSeconds.toFixed(1)} s, peak RSS ${datasetPeakMB.toFixed(0)} MB`);
} finally {
  rmSync(collection, { recursive: true, force: true });
}
