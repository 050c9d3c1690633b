// `npm run bench`: tracking throughput on the shared bench kit (../shared/bench), ratios measured in one run:
// - a strictly sequential run (--concurrency 1) beside the default parallel one, over the kit's rounds;
// - the no-change run beside the bare cost of downloading the same pages (and of downloading + extracting once);
// - commits per second of the versions repository;
// - peak memory of the whole process tree, browser included (the kit's measure.mjs).
//
//   node dist/bench/track.js [--kit ../shared/bench] [--n 60] [--hosts 8] [--latency 0] [--rounds 3] [--mutate 5]
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { loadDeclarations, type SourceDocument } from '../declarations/index.js';
import { extract } from '../extract/index.js';
import { DEFAULT_FETCH_OPTIONS, fetchDocument, findChromium, launchBrowserSession } from '../fetch/index.js';
import { GitVersionRepository } from '../record/index.js';

const { values } = parseArgs({
  options: {
    kit: { type: 'string', default: '../shared/bench' },
    n: { type: 'string', default: '60' },
    hosts: { type: 'string', default: '8' },
    latency: { type: 'string', default: '0' },
    rounds: { type: 'string', default: '3' },
    mutate: { type: 'string', default: '5' },
  },
});
const kit = path.resolve(values.kit);
const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'cli', 'main.js');

interface Row {
  readonly run: number;
  readonly round: number;
  readonly wall_s: number;
  readonly peak_tree_rss_MB: number;
  readonly versions_new: number;
  readonly versions_expected: number;
  readonly snapshots_new: number;
  readonly snapshots_expected: number;
  readonly exit: number;
}

function runKit(label: string, trackCommand: string, port: number): Row[] {
  const work = mkdtempSync(path.join(os.tmpdir(), `terms-bench-${label}-`));
  rmSync(work, { recursive: true });
  execFileSync(
    'bash',
    [
      path.join(kit, 'run-bench.sh'),
      ...['--n', values.n, '--hosts', values.hosts, '--latency', values.latency, '--rounds', values.rounds, '--mutate', values.mutate],
      ...['--port', String(port), '--work', work, '--label', label],
    ],
    { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, TRACK_CMD: trackCommand, VERSIONS_DIR: 'versions-repo', SNAPSHOTS_DIR: 'snapshots-repo' } },
  );
  const rows = readFileSync(path.join(work, 'results.jsonl'), 'utf8').trim().split('\n').map(line => JSON.parse(line) as Row);
  rmSync(work, { recursive: true, force: true });
  return rows;
}

/** Downloads (and optionally extracts) every document of the kit once, with the tracker's own politeness. */
async function bareCost(port: number, shouldExtract: boolean): Promise<number> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'terms-bench-bare-'));
  const common = ['--n', values.n, '--hosts', values.hosts, '--port', String(port)];
  execFileSync('node', [path.join(kit, 'serve-fixtures.mjs'), 'declarations', '--out', path.join(work, 'declarations'), ...common], { stdio: 'ignore' });
  const server = spawn('node', [path.join(kit, 'serve-fixtures.mjs'), ...common, '--latency', values.latency, '--quiet'], { stdio: 'ignore' });
  try {
    for (let attempt = 0; attempt < 50; attempt++) {
      if (await fetch(`http://127.0.0.1:${port}/__health`).then(response => response.ok, () => false)) break;
      await new Promise(resolve => setTimeout(resolve, 100));
    }
    const { services } = await loadDeclarations(path.join(work, 'declarations'));
    const documents: SourceDocument[] = services.flatMap(service => service.termsTypes.flatMap(type => service.getTerms(type).sourceDocuments));
    const executablePath = await findChromium();
    let browser: ReturnType<typeof launchBrowserSession> | undefined;
    const getBrowser = (): ReturnType<typeof launchBrowserSession> => {
      if (!executablePath) return Promise.reject(new Error('no Chromium'));
      browser ??= launchBrowserSession({ executablePath });
      return browser;
    };
    const started = performance.now();
    const byHost = new Map<string, SourceDocument[]>();
    for (const document of documents) {
      const host = new URL(document.location).host;
      byHost.set(host, [...(byHost.get(host) ?? []), document]);
    }
    // one request at a time per host, hosts in parallel: what the tracker allows itself by default
    await Promise.all(
      [...byHost.values()].map(async hostDocuments => {
        for (const document of hostDocuments) {
          const fetched = await fetchDocument(document, { getBrowser }, DEFAULT_FETCH_OPTIONS);
          if (shouldExtract) await extract({ content: fetched.content, mimeType: fetched.mimeType, sourceDocument: document });
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    await (await browser)?.close();
    return seconds;
  } finally {
    server.kill();
    rmSync(work, { recursive: true, force: true });
  }
}

async function commitsPerSecond(count: number): Promise<number> {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'terms-bench-git-'));
  try {
    const repository = new GitVersionRepository({ directory, authorName: 'Bench', authorEmail: 'bench@example.invalid', environment: { PATH: process.env.PATH } });
    await repository.initialize();
    const started = performance.now();
    for (let index = 0; index < count; index++) {
      await repository.record({
        serviceId: `Service ${index % 50}`,
        termsType: 'Terms of Service',
        fetchDate: new Date(Date.UTC(2026, 0, 1, 0, 0, index)),
        content: `Version ${index}`,
        snapshotIds: ['0123456789abcdef0123456789abcdef01234567'],
        isTechnicalUpgrade: false,
        metadata: { 'x-engine-version': 'bench' },
      });
    }
    await repository.finalize(); // the commits are on the branch only once the stream is closed
    return count / ((performance.now() - started) / 1000);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

const sequential = runKit('sequential', `${cli} track --concurrency 1`, 18390);
const parallel = runKit('parallel', `${cli} track`, 18391);
const download = await bareCost(18392, false);
const downloadExtract = await bareCost(18393, true);
const commits = await commitsPerSecond(1000);

const documentsPerMinute = (rows: readonly Row[]): number => {
  const [first] = rows;
  return first ? (first.snapshots_new / first.wall_s) * 60 : 0;
};
const allExact = (rows: readonly Row[]): boolean =>
  rows.every(row => row.versions_new === row.versions_expected && row.snapshots_new === row.snapshots_expected && row.exit === 0);
const noChange = (rows: readonly Row[]): Row | undefined => rows.find(row => row.run === 1);
const peak = (rows: readonly Row[]): number => Math.max(...rows.map(row => row.peak_tree_rss_MB));

console.log(`\nbench: n=${values.n} hosts=${values.hosts} latency=${values.latency}ms rounds=${values.rounds} mutate=${values.mutate}`);
console.log('measure                                      value');
console.log(`records exact on every run (seq / par)       ${allExact(sequential)} / ${allExact(parallel)}`);
console.log(`documents/min, first run, sequential         ${documentsPerMinute(sequential).toFixed(0)}`);
console.log(`documents/min, first run, parallel           ${documentsPerMinute(parallel).toFixed(0)}  (${(documentsPerMinute(parallel) / documentsPerMinute(sequential)).toFixed(2)}×)`);
console.log(`first run, parallel                          ${parallel[0]?.wall_s ?? 0} s  (${((parallel[0]?.wall_s ?? 0) / downloadExtract).toFixed(2)}× download + extract once, ${downloadExtract.toFixed(2)} s)`);
console.log(`no-change run, parallel                      ${noChange(parallel)?.wall_s ?? 0} s  (${((noChange(parallel)?.wall_s ?? 0) / download).toFixed(2)}× bare download, ${download.toFixed(2)} s)`);
console.log(`commits/s (one commit per record)            ${commits.toFixed(1)}`);
console.log(`peak RSS of the process tree, parallel       ${peak(parallel)} MB (sequential ${peak(sequential)} MB)`);
