// Figures of the soak benchmark: a least-squares line through samples (is memory growing?), medians, and the size
// of a repository's .git against a plain `git gc` of a copy of it.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';

export function fitLine(points: readonly (readonly [number, number])[]): { slope: number; intercept: number } {
  const count = points.length;
  if (count < 2) return { slope: 0, intercept: points[0]?.[1] ?? 0 };
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / count;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / count;
  let covariance = 0;
  let variance = 0;
  for (const [x, y] of points) {
    covariance += (x - meanX) * (y - meanY);
    variance += (x - meanX) ** 2;
  }
  const slope = variance === 0 ? 0 : covariance / variance;
  return { slope, intercept: meanY - slope * meanX };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Bytes of the files under `directory` (their lengths, not their blocks). */
export function directorySize(directory: string): number {
  let total = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) total += directorySize(full);
    else if (entry.isFile()) total += lstatSync(full).size;
  }
  return total;
}

export interface RepositoryFigures {
  readonly name: string;
  readonly commits: number;
  readonly gitKb: number;
  readonly packs: number;
  readonly looseObjects: number;
  /** The .git of a copy after a plain `git gc`. */
  readonly plainGcKb: number;
  readonly plainGcPacks: number;
}

function countObjects(repository: string): { packs: number; loose: number } {
  const output = execFileSync('git', ['count-objects', '-v'], { cwd: repository, encoding: 'utf8' });
  const field = (name: string): number => Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(output)?.[1] ?? 0);
  return { packs: field('packs'), loose: field('count') };
}

/** Sizes of `repository`'s .git, and of the same history after a plain `git gc` in `copyTo`. */
export function repositoryFigures(repository: string, copyTo: string): RepositoryFigures {
  const name = path.basename(repository);
  if (!existsSync(repository)) return { name, commits: 0, gitKb: 0, packs: 0, looseObjects: 0, plainGcKb: 0, plainGcPacks: 0 };
  const gitDirectory = (directory: string): string => execFileSync('git', ['rev-parse', '--absolute-git-dir'], { cwd: directory, encoding: 'utf8' }).trim();
  const kb = (directory: string): number => Math.round(directorySize(gitDirectory(directory)) / 1024);
  const own = countObjects(repository);
  mkdirSync(path.dirname(copyTo), { recursive: true });
  cpSync(repository, copyTo, { recursive: true });
  execFileSync('git', ['gc', '--quiet'], { cwd: copyTo, stdio: 'ignore' });
  return {
    name,
    commits: Number(execFileSync('git', ['rev-list', '--count', 'HEAD'], { cwd: repository, encoding: 'utf8' }).trim()),
    gitKb: kb(repository),
    packs: own.packs,
    looseObjects: own.loose,
    plainGcKb: kb(copyTo),
    plainGcPacks: countObjects(copyTo).packs,
  };
}
