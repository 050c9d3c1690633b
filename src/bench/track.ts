// `npm run bench`: tracking throughput on the shared bench kit (../shared/bench), ratios measured in one run:
// - a strictly sequential run (--concurrency 1, initial round only) beside the default parallel one (all rounds);
// - the no-change run beside the bare cost of downloading the same pages (and of downloading + extracting once),
//   both as whole processes (download.ts);
// - commits per second of the versions repository;
// - peak memory of the whole process tree, browser included (the kit's measure.mjs).
//
//   node dist/bench/track.js [--kit ../shared/bench] [--n 60] [--hosts 8] [--latency 0] [--rounds 3] [--mutate 5]
//                            [--track-options "--concurrency 16"]   (extra options for both tracking runs)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { openVersions } from '../record/index.js';
import { DEFAULT_BROWSER_PAGES } from '../track/index.js';

import { FixtureServer, formatRows, runRounds, type KitOptions, type Row } from './kit.js';

const { values } = parseArgs({
  options: {
    kit: { type: 'string', default: '../shared/bench' },
    n: { type: 'string', default: '60' },
    hosts: { type: 'string', default: '8' },
    latency: { type: 'string', default: '0' },
    rounds: { type: 'string', default: '3' },
    mutate: { type: 'string', default: '5' },
    'track-options': { type: 'string', default: '' },
  },
});
const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.join(here, '..', 'cli', 'main.js');
const kitOptions = (port: number): KitOptions => ({
  kit: path.resolve(values.kit),
  n: Number(values.n),
  hosts: Number(values.hosts),
  latency: Number(values.latency),
  mutate: Number(values.mutate),
  port,
});

async function runKit(label: string, trackCommand: string, port: number, rounds: number, idle: boolean): Promise<Row[]> {
  const work = mkdtempSync(path.join(os.tmpdir(), `terms-bench-${label}-`));
  try {
    const rows = await runRounds(kitOptions(port), work, label, trackCommand, rounds, idle);
    console.log(formatRows(rows));
    return rows;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Wall time of the bare downloader (download.ts) as a process of its own, like a tracking run: every document of
 * the kit once, one request at a time per host; `extract` converts each page once; `browserPages` bounds the
 * browser pages as the tracker does.
 */
async function bareCost(port: number, options: { extract?: boolean; browserPages?: number } = {}): Promise<number> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'terms-bench-bare-'));
  const server = new FixtureServer(kitOptions(port));
  try {
    server.writeDeclarations(path.join(work, 'declarations'));
    await server.ready();
    const started = performance.now();
    execFileSync(
      'node',
      [
        '--max-old-space-size=1536',
        path.join(here, 'download.js'),
        ...['--declarations', path.join(work, 'declarations')],
        ...(options.extract ? ['--extract'] : []),
        ...(options.browserPages ? ['--browser-pages', String(options.browserPages)] : []),
      ],
      { stdio: 'inherit' },
    );
    return (performance.now() - started) / 1000;
  } finally {
    server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

async function commitsPerSecond(count: number): Promise<number> {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'terms-bench-git-'));
  try {
    const repository = await openVersions({ directory, authorName: 'Bench', authorEmail: 'bench@example.invalid', environment: { PATH: process.env.PATH } });
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
    await repository.close(); // the commits are on the branch only once the stream is closed
    return count / ((performance.now() - started) / 1000);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

// The sequential baseline tracks the initial round only: at --n 600 with latency, each of its runs takes minutes.
const sequential = await runKit('sequential', `${cli} track --concurrency 1 ${values['track-options']}`, 18390, 0, false);
const parallel = await runKit('parallel', `${cli} track ${values['track-options']}`, 18391, Number(values.rounds), true);
const download = await bareCost(18392);
const downloadBounded = await bareCost(18394, { browserPages: DEFAULT_BROWSER_PAGES });
const downloadExtract = await bareCost(18393, { extract: true });
const commits = await commitsPerSecond(1000);

const documentsPerMinute = (rows: readonly Row[]): number => {
  const [first] = rows;
  return first ? (first.snapshots_new / first.wall_s) * 60 : 0;
};
const allExact = (rows: readonly Row[]): boolean =>
  rows.every(row => row.versions_new === row.versions_expected && row.snapshots_new === row.snapshots_expected && row.exit === 0);
const noChange = (rows: readonly Row[]): Row | undefined => rows.find(row => row.run === 1);
const peak = (rows: readonly Row[]): number => Math.max(...rows.map(row => row.peak_tree_rss_MB));
// PSS shares each page mapped by several processes (Chromium's code, in every one of its processes) among them
const peakPss = (rows: readonly Row[]): number => Math.max(...rows.map(row => row.peak_tree_pss_MB));

console.log(`\nbench: n=${values.n} hosts=${values.hosts} latency=${values.latency}ms rounds=${values.rounds} mutate=${values.mutate}`);
console.log('measure                                      value');
console.log(`records exact on every run (seq / par)       ${allExact(sequential)} / ${allExact(parallel)}`);
console.log(`documents/min, first run, sequential         ${documentsPerMinute(sequential).toFixed(0)}`);
console.log(`documents/min, first run, parallel           ${documentsPerMinute(parallel).toFixed(0)}  (${(documentsPerMinute(parallel) / documentsPerMinute(sequential)).toFixed(2)}×)`);
console.log(`first run, parallel                          ${parallel[0]?.wall_s ?? 0} s  (${((parallel[0]?.wall_s ?? 0) / downloadExtract).toFixed(2)}× download + extract once, ${downloadExtract.toFixed(2)} s)`);
const idle = noChange(parallel)?.wall_s ?? 0;
console.log(`no-change run, parallel                      ${idle} s  (${(idle / download).toFixed(2)}× bare download, ${download.toFixed(2)} s;`);
console.log(`                                             ${(idle / downloadBounded).toFixed(2)}× with the tracker's ${DEFAULT_BROWSER_PAGES} browser pages at a time, ${downloadBounded.toFixed(2)} s)`);
console.log(`commits/s (one commit per record)            ${commits.toFixed(1)}`);
console.log(`peak RSS of the process tree, parallel       ${peak(parallel)} MB (sequential ${peak(sequential)} MB)`);
console.log(`peak PSS of the process tree, parallel       ${peakPss(parallel)} MB (sequential ${peakPss(sequential)} MB)`);
