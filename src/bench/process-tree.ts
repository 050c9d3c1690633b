// A process and its descendants, read from /proc (Linux): resident and proportional memory, open file descriptors,
// and which of them are the browser. For the soak benchmark, which samples a long-running `track --schedule`.
import { readdirSync, readFileSync } from 'node:fs';

export interface TreeSample {
  /** Resident memory of the root process alone, in MB. */
  readonly rootRssMb: number;
  /** Resident memory of the whole tree, in MB (shared pages counted once per process). */
  readonly treeRssMb: number;
  /** Proportional memory of the whole tree, in MB (shared pages divided among their sharers); 0 when unreadable. */
  readonly treePssMb: number;
  /** Open file descriptors of the root process. */
  readonly rootFds: number;
  readonly processes: number;
  /** The descendants that are Chromium (browser, renderers, helpers). */
  readonly browserPids: readonly number[];
}

function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Parent of each live process. */
function parents(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = read(`/proc/${entry}/stat`);
    if (stat === undefined) continue;
    // the command name is in parentheses and may hold spaces: the fields after its closing parenthesis are fixed
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const list = children.get(parent) ?? [];
    list.push(Number(entry));
    children.set(parent, list);
  }
  return children;
}

export function descendantsOf(root: number): number[] {
  const children = parents();
  const all = [root];
  for (let index = 0; index < all.length; index++) all.push(...(children.get(all[index] ?? -1) ?? []));
  return all;
}

function kilobytes(text: string | undefined, field: string): number {
  const match = text === undefined ? null : new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(text);
  return match ? Number(match[1]) : 0;
}

function fdCount(pid: number): number {
  try {
    return readdirSync(`/proc/${String(pid)}/fd`).length;
  } catch {
    return 0;
  }
}

export function isBrowser(pid: number): boolean {
  const command = read(`/proc/${String(pid)}/cmdline`) ?? '';
  return /chrom(e|ium)/i.test(command.split('\0')[0] ?? '');
}

export function sampleTree(root: number): TreeSample {
  const pids = descendantsOf(root);
  let rss = 0;
  let pss = 0;
  for (const pid of pids) {
    rss += kilobytes(read(`/proc/${String(pid)}/status`), 'VmRSS');
    pss += kilobytes(read(`/proc/${String(pid)}/smaps_rollup`), 'Pss');
  }
  const mb = (kb: number): number => Math.round(kb / 102.4) / 10;
  return {
    rootRssMb: mb(kilobytes(read(`/proc/${String(root)}/status`), 'VmRSS')),
    treeRssMb: mb(rss),
    treePssMb: mb(pss),
    rootFds: fdCount(root),
    processes: pids.length,
    browserPids: pids.filter(isBrowser),
  };
}

export function isAlive(pid: number): boolean {
  return read(`/proc/${String(pid)}/stat`) !== undefined;
}
