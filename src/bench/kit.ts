// Drives the shared bench kit (../shared/bench): its fixture server, its declarations and its process-tree meter.
// The kit's own run-bench.sh passes the round manifest through argv, which overflows at --n 600, so the rounds are
// driven from here with the same steps: switch the round, read the expected counts, run the command under
// measure.mjs, count the new commits.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { MissingRepositoryError, openVersions } from '../record/index.js';

export interface KitOptions {
  readonly kit: string;
  readonly n: number;
  readonly hosts: number;
  readonly latency: number;
  readonly mutate: number;
  readonly port: number;
  /** Probability of a transient fault on the first request of a document in a pass (the kit's --faults). @default 0 */
  readonly faults?: number;
}

export interface Row {
  readonly label: string;
  readonly run: number;
  readonly round: number;
  readonly wall_s: number;
  readonly cpu_s: number;
  readonly peak_tree_rss_MB: number;
  readonly peak_tree_pss_MB: number;
  readonly versions_new: number;
  readonly versions_expected: number;
  readonly snapshots_new: number;
  readonly snapshots_expected: number;
  readonly exit: number;
}

interface Measure {
  readonly wall_s: number;
  readonly cpu_user_s: number;
  readonly cpu_sys_s: number;
  readonly peak_tree_rss_MB: number;
  readonly peak_tree_pss_MB: number;
}

interface Manifest {
  readonly expected: { readonly newVersions: number; readonly newSnapshots: number };
}

export class FixtureServer {
  private readonly process: ChildProcess;
  readonly base: string;

  constructor(private readonly options: KitOptions) {
    this.base = `http://127.0.0.1:${String(options.port)}`;
    this.process = spawn('node', [path.join(options.kit, 'serve-fixtures.mjs'), ...this.commonArguments(), '--latency', String(options.latency), '--mutate', String(options.mutate), '--faults', String(options.faults ?? 0), '--quiet'], {
      stdio: 'ignore',
    });
  }

  commonArguments(): string[] {
    return ['--n', String(this.options.n), '--hosts', String(this.options.hosts), '--port', String(this.options.port)];
  }

  async ready(): Promise<void> {
    for (let attempt = 0; attempt < 100; attempt++) {
      if (await fetch(`${this.base}/__health`).then(response => response.ok, () => false)) return;
      await new Promise(resolve => setTimeout(resolve, 100));
    }
    throw new Error(`the fixture server on ${this.base} did not start`);
  }

  writeDeclarations(directory: string): void {
    execFileSync('node', [path.join(this.options.kit, 'serve-fixtures.mjs'), 'declarations', '--out', directory, ...this.commonArguments()], { stdio: 'ignore' });
  }

  async setRound(round: number): Promise<Manifest> {
    // a fresh connection each time: a kept-alive one may have been closed by the server during a long run
    const get = (route: string): Promise<Response> => fetch(`${this.base}${route}`, { headers: { connection: 'close' } });
    await get(`/__round?set=${String(round)}`).then(response => response.text());
    return (await get('/__manifest').then(response => response.json())) as Manifest;
  }

  stop(): void {
    this.process.kill();
  }
}

/** Records in a repository the tracker made: 0 before it exists. */
async function recordCount(repository: string): Promise<number> {
  try {
    const opened = await openVersions({ directory: repository, environment: { PATH: process.env.PATH }, isReadOnly: true });
    const count = await opened.count();
    await opened.close();
    return count;
  } catch (error) {
    if (error instanceof MissingRepositoryError) return 0;
    throw error;
  }
}

/**
 * Runs `command` (with `bash -c`, in a collection folder holding the kit's declarations) once per round:
 * round 0 on an empty archive, round 0 again when `idle` (nothing changed), then rounds 1..`rounds`.
 */
export async function runRounds(options: KitOptions, work: string, label: string, command: string, rounds: number, idle: boolean): Promise<Row[]> {
  const collection = path.join(work, 'collection');
  const logs = path.join(work, 'logs');
  mkdirSync(logs, { recursive: true });
  const server = new FixtureServer(options);
  try {
    server.writeDeclarations(path.join(collection, 'declarations'));
    await server.ready();
    const sequence = [0, ...(idle ? [0] : []), ...Array.from({ length: rounds }, (_, index) => index + 1)];
    const rows: Row[] = [];
    let previous = -1;
    for (const [run, round] of sequence.entries()) {
      const manifest = await server.setRound(round);
      const repeated = round === previous;
      const before = { versions: await recordCount(path.join(collection, 'versions-repo')), snapshots: await recordCount(path.join(collection, 'snapshots-repo')) };
      const measureFile = path.join(logs, `run-${String(run)}.measure.json`);
      let exit = 0;
      try {
        execFileSync('node', [path.join(options.kit, 'measure.mjs'), '--log', path.join(logs, `run-${String(run)}.log`), '--json', measureFile, '--', 'bash', '-c', command], {
          cwd: collection,
          stdio: 'ignore',
        });
      } catch (error) {
        exit = (error as { status?: number }).status ?? 1;
      }
      const measure = JSON.parse(readFileSync(measureFile, 'utf8')) as Measure;
      rows.push({
        label,
        run,
        round,
        wall_s: measure.wall_s,
        cpu_s: Math.round((measure.cpu_user_s + measure.cpu_sys_s) * 100) / 100,
        peak_tree_rss_MB: measure.peak_tree_rss_MB,
        peak_tree_pss_MB: measure.peak_tree_pss_MB,
        versions_new: (await recordCount(path.join(collection, 'versions-repo'))) - before.versions,
        versions_expected: repeated ? 0 : manifest.expected.newVersions,
        snapshots_new: (await recordCount(path.join(collection, 'snapshots-repo'))) - before.snapshots,
        snapshots_expected: repeated ? 0 : manifest.expected.newSnapshots,
        exit,
      });
      previous = round;
    }
    return rows;
  } finally {
    server.stop();
  }
}

export function formatRows(rows: readonly Row[]): string {
  const header = ['label', 'run', 'round', 'wall_s', 'cpu_s', 'peak_tree_rss_MB', 'peak_tree_pss_MB', 'versions new/expected', 'snapshots new/expected', 'exit'];
  const lines = rows.map(row =>
    [row.label, row.run, row.round, row.wall_s, row.cpu_s, row.peak_tree_rss_MB, row.peak_tree_pss_MB, `${String(row.versions_new)}/${String(row.versions_expected)}`, `${String(row.snapshots_new)}/${String(row.snapshots_expected)}`, row.exit].join('\t'),
  );
  return [header.join('\t'), ...lines].join('\n');
}
