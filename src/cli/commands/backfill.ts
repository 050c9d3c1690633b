// `terms-archive backfill`: the history before tracking began, from a web archive. The captures are recorded as
// snapshots placed before the current ones, and the versions made again from them, into new repositories beside the
// collection; what they hold is shown, and they replace the current ones only with --replace (kept aside).
import { readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

import type { Command } from 'commander';

import { createIsolatedExtractor } from '../../extract/index.js';
import { INTERNET_ARCHIVE_URL, WebArchive } from '../../fetch/index.js';
import { parseIsoDate } from '../../publish/index.js';
import { openSnapshots, openVersions, type SnapshotRepository, type VersionRepository } from '../../record/index.js';
import { backfill, type DocumentBackfill, rebuildVersions } from '../../track/index.js';
import { UsageError } from '../errors.js';
import { plural } from '../format.js';
import { checkSelection } from '../selection.js';
import { type CliIo, fetchOptionsOf, loadServices, openVersionsToRead } from '../setup.js';
import { ENGINE_VERSION } from '../version.js';
import { configOf } from './global-options.js';
import { helpPage } from './help.js';
import { describeComparison } from './rebuild.js';

interface BackfillCommandOptions {
  readonly services?: string[];
  readonly types?: string[];
  readonly from?: string;
  readonly archive?: string;
  readonly rate: string;
  readonly cache?: string;
  readonly out?: string;
  readonly replace?: boolean;
}

/** Marks a folder this command made, so that a later run may empty it. */
const MARKER = '.terms-archive-backfill';

async function prepareOut(out: string): Promise<void> {
  const names = await readdir(out).catch(() => undefined);
  if (names && names.length > 0) {
    if (!names.includes(MARKER)) throw new UsageError(`--out: ${out} is not empty and was not made by backfill: give another --out`);
    await rm(out, { recursive: true, force: true });
  }
  await import('node:fs/promises').then(fs => fs.mkdir(out, { recursive: true }));
  await writeFile(path.join(out, MARKER), 'Made by terms-archive backfill: the new repositories, before they replace the current ones.\n');
}

function describeDocument(document: DocumentBackfill): string {
  const name = `${document.serviceId} · ${document.termsType}${document.documentId ? ` #${document.documentId}` : ''}`;
  const period = document.first && document.last ? ` from ${document.first.toISOString().slice(0, 10)} to ${document.last.toISOString().slice(0, 10)}` : '';
  const before = document.before ? `before its first snapshot of ${document.before.toISOString().slice(0, 10)}` : 'not tracked yet';
  return `${name}: ${plural(document.recorded, 'snapshot')} backfilled${period}, ${before} (${plural(document.listed, 'distinct capture')} listed${document.failures.length > 0 ? `, ${String(document.failures.length)} failed` : ''})`;
}

export function registerBackfillCommand(program: Command, io: CliIo): void {
  const command = program
    .command('backfill')
    .description("fill the history before tracking began from a web archive's captures (the Internet Archive's by default): new repositories, shown before they replace the current ones")
    .option('--services <serviceIds...>', 'only these services')
    .option('--types <termsTypes...>', 'only these terms types')
    .option('--from <date>', 'captures from this date on (default: the oldest the archive has)')
    .option('--archive <url>', `the archive: its CDX API and id_ captures (default: the webArchiveUrl setting, else ${INTERNET_ARCHIVE_URL})`)
    .option('--rate <requests/s>', 'requests to the archive per second, at most', '1')
    .option('--cache <dir>', 'where capture lists and captures are kept, so that a run goes on where the last one stopped (default: <collection>/backfill-cache)')
    .option('--out <dir>', 'where the new repositories are built (default: <collection>/backfilled)')
    .option('--replace', 'then put the new repositories in place of the current ones, which are kept aside as <repository>.before-backfill-<date>')
    .action(async (options: BackfillCommandOptions, invoked: Command) => {
      await run(invoked, options, io);
    });
  helpPage(command, 'commands.md#backfill');
}

async function run(command: Command, options: BackfillCommandOptions, io: CliIo): Promise<void> {
  const config = await configOf(command, io);
  const { services, brokenIds } = await loadServices(config, io, { areFiltersRun: true });
  checkSelection(services, { serviceIds: options.services, termsTypes: options.types }, brokenIds);
  const from = options.from === undefined ? undefined : parseIsoDate(options.from);
  if (options.from !== undefined && !from) throw new UsageError(`--from: "${options.from}" is not an ISO 8601 date that exists (e.g. 2019-01-01)`);
  const rate = Number(options.rate);
  if (!(rate > 0 && rate <= 100)) throw new UsageError(`--rate: expected a number of requests per second above 0 and at most 100, got "${options.rate}"`);
  const archiveUrl = (options.archive ?? config.webArchiveUrl).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]/.test(archiveUrl)) throw new UsageError(`--archive: expected an http(s) URL, got "${archiveUrl}"`);
  const out = path.resolve(config.collectionDir, options.out ?? 'backfilled');
  const cacheDir = path.resolve(config.collectionDir, options.cache ?? 'backfill-cache');
  for (const own of [config.snapshotsDir, config.versionsDir]) if (out === own || own.startsWith(`${out}${path.sep}`)) throw new UsageError(`--out: ${out} holds the current repositories`);
  await prepareOut(out);
  const newSnapshotsDir = path.join(out, path.basename(config.snapshotsDir));
  const newVersionsDir = path.join(out, path.basename(config.versionsDir));

  // to replace them, the current repositories are opened as a writer would: no tracking pass may run meanwhile
  const opened: (SnapshotRepository | VersionRepository)[] = [];
  const extractor = createIsolatedExtractor({ timeoutMs: config.filterTimeoutMs });
  let summary: string[] = [];
  try {
    const current = options.replace ? await openSnapshots({ directory: config.snapshotsDir, environment: io.env }) : await openSnapshots({ directory: config.snapshotsDir, environment: io.env, isReadOnly: true });
    opened.push(current);
    const versions = options.replace ? await openVersions({ directory: config.versionsDir, environment: io.env }) : await openVersionsToRead(config, io);
    opened.push(versions);
    const snapshots = await openSnapshots({ directory: newSnapshotsDir, environment: io.env, authorName: config.authorName, authorEmail: config.authorEmail });
    opened.push(snapshots);
    const archive = new WebArchive({ baseUrl: archiveUrl, fetch: fetchOptionsOf(config), requestsPerSecond: rate });
    const result = await backfill({ services, serviceIds: options.services, termsTypes: options.types, from, archive, archiveUrl, cacheDir, current, target: snapshots, engineVersion: ENGINE_VERSION, onProgress: line => { io.err(line); } });
    const target = await openVersions({ directory: newVersionsDir, environment: io.env, authorName: config.authorName, authorEmail: config.authorEmail, snapshotIdentifierTemplate: config.snapshotIdentifierTemplate });
    opened.push(target);
    const rebuilt = await rebuildVersions({ services, snapshots, current: versions, target, extract: input => extractor.extract(input), engineVersion: ENGINE_VERSION, serviceIds: options.services, termsTypes: options.types, snapshotIdMap: result.snapshotIdMap });
    for (const document of result.documents) {
      io.out(describeDocument(document));
      for (const failure of document.failures) io.out(`  failed: ${failure}`);
    }
    for (const comparison of rebuilt.comparisons) if (comparison.added.length + comparison.dropped.length > 0) for (const line of describeComparison(comparison)) io.out(line);
    const backfilled = result.documents.reduce((sum, document) => sum + document.recorded, 0);
    summary = [
      `Backfilled ${plural(backfilled, 'snapshot')} from ${archiveUrl} (${plural(archive.requests, 'request')} to it this run; the rest came from ${cacheDir}), placed before the ${plural(result.replayed, 'snapshot')} of the current history; versions made again: ${String(rebuilt.rebuilt)}, of other terms copied: ${String(rebuilt.copied)}.`,
      `New repositories (every commit id is new): ${newSnapshotsDir} and ${newVersionsDir}`,
    ];
  } finally {
    await extractor.close();
    await Promise.all(opened.map(repository => repository.close()));
  }
  for (const line of summary) io.out(line);
  if (!options.replace) {
    io.out(`Nothing was replaced: look at it (git -C "${newVersionsDir}" log --format='%aI %s'), then run again with --replace to put it in place (the captures are kept: the archive is not asked again)`);
    return;
  }
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  for (const [own, built] of [[config.snapshotsDir, newSnapshotsDir], [config.versionsDir, newVersionsDir]] as const) {
    const aside = `${own}.before-backfill-${stamp}`;
    if (await stat(own).then(() => true, () => false)) await rename(own, aside);
    await rename(built, own);
    io.out(`Replaced: ${own} now holds the backfilled history; the previous one is kept in ${aside}.`);
  }
  await rm(out, { recursive: true, force: true });
  io.out('Their public copies (remotes) need a forced push: the new histories share no commit with the old ones.');
}
