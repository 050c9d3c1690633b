// `terms-archive rebuild-versions`: the versions history made again from the snapshots into another folder, compared
// with the current one; it replaces the current one only when asked, which is kept aside.
import { readdir, rename, stat } from 'node:fs/promises';
import path from 'node:path';

import type { Command } from 'commander';

import { createIsolatedExtractor } from '../../extract/index.js';
import { openSnapshots, openVersions, type VersionRepository } from '../../record/index.js';
import { rebuildVersions, type TermsComparison } from '../../track/index.js';
import { UsageError } from '../errors.js';
import { plural } from '../format.js';
import { checkSelection } from '../selection.js';
import { type CliIo, loadServices, openVersionsToRead } from '../setup.js';
import { ENGINE_VERSION } from '../version.js';
import { configOf } from './global-options.js';
import { helpPage } from './help.js';

interface RebuildCommandOptions {
  readonly services?: string[];
  readonly types?: string[];
  readonly out?: string;
  readonly replace?: boolean;
}

export function registerRebuildCommand(program: Command, io: CliIo): void {
  const rebuild = program
    .command('rebuild-versions')
    .description('make the versions history again from the snapshots, with the declarations and skip rules in force at each date, and show what changes')
    .option('--services <serviceIds...>', 'rebuild only these services (the others are copied as they are)')
    .option('--types <termsTypes...>', 'rebuild only these terms types')
    .option('--out <dir>', 'where to build the new history (default: <versions repository>.rebuilt); must not exist or be empty')
    .option('--replace', 'then put the new history in place of the current one, which is kept as <versions repository>.before-rebuild-<date>')
    .action(async (options: RebuildCommandOptions, command: Command) => {
      await run(command, options, io);
    });
  helpPage(rebuild, 'commands.md#rebuild-versions');
}

async function isEmptyOrMissing(directory: string): Promise<boolean> {
  return readdir(directory).then(names => names.length === 0, () => true);
}

export function describeComparison(comparison: TermsComparison): string[] {
  const lines = [
    `${comparison.serviceId} · ${comparison.termsType}: ${String(comparison.before)} → ${plural(comparison.after, 'version')} (${String(comparison.dropped.length)} dropped, ${String(comparison.added.length)} added${
      comparison.skipped.length > 0 ? `, ${plural(comparison.skipped.length, 'snapshot')} skipped by rule` : ''
    }${comparison.failed > 0 ? `, ${plural(comparison.failed, 'snapshot')} that did not extract` : ''})`,
  ];
  for (const version of comparison.dropped) lines.push(`  - ${version.date.toISOString()}  ${version.id.slice(0, 10)}`);
  for (const version of comparison.added) lines.push(`  + ${version.date.toISOString()}  ${version.id.slice(0, 10)}`);
  const rules = new Map<string, number>();
  for (const skipped of comparison.skipped) rules.set(skipped.rule, (rules.get(skipped.rule) ?? 0) + 1);
  for (const [rule, count] of rules) lines.push(`  skipped ${plural(count, 'snapshot')}: ${rule}`);
  return lines;
}

async function run(command: Command, options: RebuildCommandOptions, io: CliIo): Promise<void> {
  const config = await configOf(command, io);
  const { services, brokenIds } = await loadServices(config, io, { areFiltersRun: true });
  checkSelection(services, { serviceIds: options.services, termsTypes: options.types }, brokenIds);
  const out = path.resolve(config.collectionDir, options.out ?? `${config.versionsDir}.rebuilt`);
  if (out === config.versionsDir) throw new UsageError('--out: the new history cannot be built in the versions repository itself');
  if (!(await isEmptyOrMissing(out))) throw new UsageError(`--out: ${out} is not empty (a previous rebuild?): remove it, or give another --out`);
  // to replace it, the current repository is opened as a writer would: no tracking pass may run meanwhile
  const current: VersionRepository = options.replace
    ? await openVersions({ directory: config.versionsDir, environment: io.env })
    : await openVersionsToRead(config, io);
  const snapshots = await openSnapshots({ directory: config.snapshotsDir, environment: io.env, isReadOnly: true }).catch(async (error: unknown) => {
    await current.close();
    throw error;
  });
  const target = await openVersions({ directory: out, environment: io.env, authorName: config.authorName, authorEmail: config.authorEmail, snapshotIdentifierTemplate: config.snapshotIdentifierTemplate });
  const extractor = createIsolatedExtractor({ timeoutMs: config.filterTimeoutMs });
  let result;
  try {
    result = await rebuildVersions({ services, snapshots, current, target, extract: input => extractor.extract(input), engineVersion: ENGINE_VERSION, serviceIds: options.services, termsTypes: options.types });
  } finally {
    await extractor.close();
    await Promise.all([target.close(), snapshots.close(), current.close()]);
  }
  const changed = result.comparisons.filter(comparison => comparison.dropped.length + comparison.added.length + comparison.skipped.length + comparison.failed > 0);
  for (const comparison of changed) for (const line of describeComparison(comparison)) io.out(line);
  const before = result.comparisons.reduce((sum, comparison) => sum + comparison.before, 0);
  io.out(
    `Rebuilt ${plural(result.comparisons.length, 'terms', 'terms')} from the snapshots: ${String(before)} versions before, ${String(result.rebuilt)} after, ${String(changed.length)} terms changed; ${plural(result.copied, 'version')} of other terms copied as they were. New history: ${out}`,
  );
  if (!options.replace) {
    io.out('Nothing was replaced: look at it (git -C <dir> log), then run again with --replace to put it in place');
    return;
  }
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const aside = `${config.versionsDir}.before-rebuild-${stamp}`;
  if (await stat(config.versionsDir).then(() => true, () => false)) await rename(config.versionsDir, aside);
  await rename(out, config.versionsDir);
  io.out(`Replaced: ${config.versionsDir} now holds the rebuilt history; the previous one is kept in ${aside}. Its public copies (remotes) need a forced push.`);
}
