// `npm run bench:soak`: one `track --schedule` process left running against the bench kit for hundreds of passes,
// with mutation rounds and transient faults, as a public instance runs for months. After each pass (seen through the
// status file) it checks the versions recorded against the kit's manifest, samples the process tree (memory, file
// descriptors, browser processes), then switches the kit to the next round before the next tick. At the end it stops
// the process with SIGTERM, looks for browser processes left behind, and compares the size of both repositories'
// .git with a plain `git gc` of a copy of the same history.
//
//   node dist/bench/soak.js [--passes 200] [--every 5] [--n 20] [--hosts 4] [--mutate 3] [--faults 0.2]
//                           [--idle-every 4] [--port 18390] [--kit ../shared/bench] [--work DIR]
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import type { TrackingStatus } from '../publish/index.js';
import { FixtureServer } from './kit.js';
import { isAlive, sampleTree, type TreeSample } from './process-tree.js';
import { fitLine, median, repositoryFigures } from './soak-figures.js';

const { values } = parseArgs({
  options: {
    kit: { type: 'string', default: '../shared/bench' },
    passes: { type: 'string', default: '200' },
    every: { type: 'string', default: '5' },
    n: { type: 'string', default: '20' },
    hosts: { type: 'string', default: '4' },
    mutate: { type: 'string', default: '3' },
    faults: { type: 'string', default: '0.2' },
    'idle-every': { type: 'string', default: '4' },
    port: { type: 'string', default: '18390' },
    work: { type: 'string' },
  },
});
const passes = Number(values.passes);
const idleEvery = Number(values['idle-every']);
const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'cli', 'main.js');
const work = values.work === undefined ? mkdtempSync(path.join(os.tmpdir(), 'terms-soak-')) : path.resolve(values.work);
const collection = path.join(work, 'collection');
const statusFile = path.join(collection, 'status.json');
const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));

interface PassRow {
  readonly pass: number;
  readonly round: number;
  readonly isIdle: boolean;
  readonly startedAt: string;
  readonly durationMs: number;
  /** The pass began before the kit switched to its round: its counts are not judged. */
  readonly isRaced: boolean;
  readonly versions: number;
  readonly versionsExpected: number;
  readonly snapshots: number;
  readonly snapshotsExpected: number;
  readonly unconfirmed: number;
  readonly held: number;
  readonly inaccessible: number;
  readonly peakTreeRssMb: number;
  readonly after: Omit<TreeSample, 'browserPids'> & { readonly browsers: number };
}

function commits(repository: string): number {
  try {
    return Number(execFileSync('git', ['rev-list', '--count', 'HEAD'], { cwd: repository, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  } catch {
    return 0;
  }
}

function readStatus(): TrackingStatus | undefined {
  try {
    return JSON.parse(readFileSync(statusFile, 'utf8')) as TrackingStatus;
  } catch {
    return undefined;
  }
}

async function waitForExit(child: ChildProcess, ms: number): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  return Promise.race([new Promise<number | null>(resolve => child.once('exit', code => { resolve(code); })), sleep(ms).then(() => null)]);
}

async function main(): Promise<void> {
  mkdirSync(collection, { recursive: true });
  const server = new FixtureServer({
    kit: path.resolve(values.kit),
    n: Number(values.n),
    hosts: Number(values.hosts),
    latency: 0,
    mutate: Number(values.mutate),
    port: Number(values.port),
    faults: Number(values.faults),
  });
  server.writeDeclarations(path.join(collection, 'declarations'));
  await server.ready();
  let round = 0;
  let expected = (await server.setRound(round)).expected;
  let isIdle = false;
  let switchedAt = Date.now();
  const child = spawn(process.execPath, ['--max-http-header-size=32768', cli, 'track', '--schedule', `*/${values.every ?? '5'} * * * * *`], {
    cwd: collection,
    env: process.env,
    stdio: ['ignore', openSync(path.join(work, 'track.out.log'), 'a'), openSync(path.join(work, 'track.err.log'), 'a')],
  });
  const root = child.pid ?? -1;
  const browsersSeen = new Set<number>();
  let peak = 0;
  const sampler = setInterval(() => {
    const sample = sampleTree(root);
    peak = Math.max(peak, sample.treeRssMb);
    for (const pid of sample.browserPids) browsersSeen.add(pid);
  }, 500);
  const rows: PassRow[] = [];
  const before = { versions: 0, snapshots: 0 };
  let lastUpdate = '';
  let lastModified = 0;
  const startedAt = Date.now();
  try {
    while (rows.length < passes) {
      await sleep(50);
      if (child.exitCode !== null) throw new Error(`track --schedule exited (${String(child.exitCode)}); see ${work}/track.err.log`);
      const modified = existsSync(statusFile) ? statSync(statusFile).mtimeMs : 0;
      if (modified === lastModified) continue;
      lastModified = modified;
      const status = readStatus();
      if (status === undefined || status.updatedAt === lastUpdate) continue;
      lastUpdate = status.updatedAt;
      if (status.lastPass.kind !== 'tracking') continue;
      const sample = sampleTree(root);
      for (const pid of sample.browserPids) browsersSeen.add(pid);
      const now = { versions: commits(path.join(collection, 'versions-repo')), snapshots: commits(path.join(collection, 'snapshots-repo')) };
      const { browserPids, ...after } = sample;
      const row: PassRow = {
        pass: rows.length + 1,
        round,
        isIdle,
        startedAt: status.lastPass.startedAt,
        durationMs: status.lastPass.durationMs,
        isRaced: Date.parse(status.lastPass.startedAt) < switchedAt,
        versions: now.versions - before.versions,
        versionsExpected: isIdle ? 0 : expected.newVersions,
        snapshots: now.snapshots - before.snapshots,
        snapshotsExpected: isIdle ? 0 : expected.newSnapshots,
        unconfirmed: status.lastPass.unconfirmed,
        held: status.lastPass.held,
        inaccessible: status.lastPass.inaccessible,
        peakTreeRssMb: Math.max(peak, sample.treeRssMb),
        after: { ...after, browsers: browserPids.length },
      };
      rows.push(row);
      appendFileSync(path.join(work, 'passes.jsonl'), `${JSON.stringify(row)}\n`);
      if (row.pass % 10 === 0 || row.pass === 1) {
        console.error(`pass ${String(row.pass)}/${String(passes)}: round ${String(round)}, versions ${String(row.versions)}/${String(row.versionsExpected)}, ${String(row.durationMs)} ms, node ${String(after.rootRssMb)} MB, tree ${String(after.treeRssMb)} MB, ${String(after.rootFds)} fds, ${String(browserPids.length)} browser processes`);
      }
      peak = 0;
      Object.assign(before, now);
      // every idle-every-th pass the pages stay as they are (a new pass of the kit all the same: new faults)
      isIdle = (rows.length + 1) % idleEvery === 0;
      if (!isIdle) round++;
      expected = (await server.setRound(round)).expected;
      switchedAt = Date.now();
    }
  } finally {
    clearInterval(sampler);
    child.kill('SIGTERM');
    const code = await waitForExit(child, 120_000);
    if (code === null) child.kill('SIGKILL');
    server.stop();
  }
  await sleep(1000);
  report(rows, [...browsersSeen].filter(isAlive), (Date.now() - startedAt) / 1000);
}

function report(rows: readonly PassRow[], leftBrowsers: readonly number[], seconds: number): void {
  const judged = rows.filter(row => !row.isRaced);
  const wrong = judged.filter(row => row.versions !== row.versionsExpected);
  const warm = rows.slice(Math.max(10, Math.floor(rows.length / 10)));
  const node = fitLine(warm.map(row => [row.pass, row.after.rootRssMb]));
  const tree = fitLine(warm.map(row => [row.pass, row.after.treePssMb]));
  const first = warm.slice(0, 10);
  const last = warm.slice(-10);
  const repositories = ['snapshots-repo', 'versions-repo'].map(name => repositoryFigures(path.join(collection, name), path.join(work, 'plain-gc', name)));
  const summary = {
    passes: rows.length,
    minutes: Math.round(seconds / 6) / 10,
    versions: { recorded: rows.reduce((sum, row) => sum + row.versions, 0), expected: rows.reduce((sum, row) => sum + row.versionsExpected, 0) },
    judgedPasses: judged.length,
    passesWithWrongVersions: wrong.map(row => ({ pass: row.pass, versions: row.versions, expected: row.versionsExpected })),
    snapshotsBelowExpected: judged.filter(row => row.snapshots < row.snapshotsExpected).length,
    unconfirmed: rows.reduce((sum, row) => sum + row.unconfirmed, 0),
    held: rows.reduce((sum, row) => sum + row.held, 0),
    passMs: { median: median(rows.map(row => row.durationMs)), max: Math.max(...rows.map(row => row.durationMs)) },
    warmUpPasses: rows.length - warm.length,
    nodeRssMb: { start: median(first.map(row => row.after.rootRssMb)), end: median(last.map(row => row.after.rootRssMb)), slopePer100Passes: round2(node.slope * 100) },
    treePssMb: { start: median(first.map(row => row.after.treePssMb)), end: median(last.map(row => row.after.treePssMb)), slopePer100Passes: round2(tree.slope * 100) },
    peakTreeRssMb: Math.max(...rows.map(row => row.peakTreeRssMb)),
    nodeFds: { min: Math.min(...warm.map(row => row.after.rootFds)), max: Math.max(...warm.map(row => row.after.rootFds)), first: first[0]?.after.rootFds, last: last.at(-1)?.after.rootFds },
    browserProcessesBetweenPasses: { min: Math.min(...warm.map(row => row.after.browsers)), max: Math.max(...warm.map(row => row.after.browsers)) },
    browserProcessesLeftAfterExit: leftBrowsers.length,
    repositories,
  };
  writeFileSync(path.join(work, 'soak.json'), `${JSON.stringify(summary, null, 2)}\n`);
  console.log(JSON.stringify(summary, null, 2));
  console.log(`work folder: ${work} (passes.jsonl, track.err.log, soak.json); .git sizes: ${repositories.map(repository => `${repository.name} ${String(repository.gitKb)} KB against ${String(repository.plainGcKb)} KB after a plain git gc`).join('; ')}`);
  if (wrong.length > 0 || leftBrowsers.length > 0) process.exitCode = 1;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

await main();
