// The researchers' commands: `history`, `show` and `diff` (and `dataset`, in dataset.ts), read from the history
// index and the versions repository.
import { type Command, Option } from 'commander';

import { DIFF_FORMATS, type DiffFormat, diffVersions, HistoryIndex, type IndexedVersion, isReversed, LABEL_TITLES } from '../../publish/index.js';
import type { VersionRepository } from '../../record/index.js';
import type { Config } from '../config.js';
import { UsageError } from '../errors.js';
import { columns, plural } from '../format.js';
import { CYAN, paintDiff, painter } from '../diff-output.js';
import { type CliIo, openVersionsToRead } from '../setup.js';
import { configOf } from './global-options.js';
import { helpPage } from './help.js';

export interface Opened {
  readonly config: Config;
  readonly index: HistoryIndex;
  readonly versions: VersionRepository;
}

/** Runs `task` with the versions repository and its index caught up, and closes both after. */
export async function withHistory<T>(command: Command, io: CliIo, task: (opened: Opened) => Promise<T>): Promise<T> {
  const config = await configOf(command, io);
  const versions = await openVersionsToRead(config, io);
  const index = HistoryIndex.open(versions);
  try {
    await index.catchUp();
    return await task({ config, index, versions });
  } finally {
    index.close();
    await versions.close();
  }
}

async function contentOf(versions: VersionRepository, version: IndexedVersion): Promise<string> {
  return (await versions.read(version.id, version.serviceId, version.termsType)) ?? '';
}

function resolve(index: HistoryIndex, serviceId: string, type: string, reference: string, option: string): IndexedVersion {
  let version: IndexedVersion | undefined;
  try {
    version = index.resolve(serviceId, type, reference);
  } catch (error) {
    throw new UsageError(`${option}: ${(error as Error).message}`);
  }
  if (!version) throw new UsageError(`${option}: no version of ${serviceId} ${type} at or before ${reference}`);
  return version;
}

function latestOf(index: HistoryIndex, serviceId: string, type: string): IndexedVersion {
  const latest = index.latest(serviceId, type);
  if (!latest) throw new UsageError(`no version recorded for ${serviceId} ${type}`);
  return latest;
}

export function registerHistoryCommands(program: Command, io: CliIo): void {
  const history = program
    .command('history')
    .description('list the versions of a service (or of one of its terms): date, label, lines +/−, summary')
    .argument('<service>', 'service ID')
    .argument('[type]', 'terms type (default: all of them)')
    .option('--json', 'one JSON object per version, newest first')
    .action(async (serviceId: string, type: string | undefined, options: { json?: boolean }, command: Command) => {
      await withHistory(command, io, ({ index }) => {
        const versions = index.versions({ serviceId, termsType: type, includeTechnicalUpgrades: true, limit: 1_000_000 });
        if (versions.length === 0) throw new UsageError(`no version recorded for ${serviceId}${type ? ` ${type}` : ''}`);
        if (options.json) {
          // the diff's HTML is for feeds and pages; `diff --format json` gives the change itself
          for (const version of versions) io.out(JSON.stringify(version, (key, value: unknown) => (key === 'diffHtml' ? undefined : value)));
          return Promise.resolve();
        }
        const rows = versions.map(version => [
          `${version.fetchDate.slice(0, 19)}Z`,
          version.id.slice(0, 10),
          ...(type ? [] : [version.termsType]),
          LABEL_TITLES[version.label],
          version.kind === 'first' ? plural(version.linesAdded, 'line') : `+${version.linesAdded} −${version.linesRemoved}`,
          version.summary,
        ]);
        for (const line of columns(rows)) io.out(line);
        return Promise.resolve();
      });
    });
  helpPage(history, 'commands.md#history');

  const show = program
    .command('show')
    .description('print a version: the latest, the one in force at a date, or the one with an id')
    .argument('<service>', 'service ID')
    .argument('<type>', 'terms type')
    .addOption(new Option('--at <date>', 'the version in force at this date (ISO 8601)').conflicts('id'))
    .option('--id <id>', 'the version with this commit id (or its first 7+ characters)')
    .action(async (serviceId: string, type: string, options: { at?: string; id?: string }, command: Command) => {
      await withHistory(command, io, async ({ index, versions }) => {
        const version = options.id !== undefined ? resolve(index, serviceId, type, options.id, '--id') : options.at !== undefined ? resolve(index, serviceId, type, options.at, '--at') : latestOf(index, serviceId, type);
        const content = await contentOf(versions, version);
        io.write(content.endsWith('\n') ? content : `${content}\n`);
      });
    });
  helpPage(show, 'commands.md#show');

  const diff = program
    .command('diff')
    .description('the changes between two versions (default: the latest and the one before)')
    .argument('<service>', 'service ID')
    .argument('<type>', 'terms type')
    .option('--from <dateOrId>', 'the older version: an ISO 8601 date (the version in force then) or a commit id')
    .option('--to <dateOrId>', 'the newer version (default: the latest)')
    .option('--words', 'word by word instead of line by line')
    .addOption(new Option('--format <format>', 'how to print the changes').choices(DIFF_FORMATS).default('unified'))
    .action(async (serviceId: string, type: string, options: { from?: string; to?: string; words?: boolean; format: DiffFormat }, command: Command) => {
      await withHistory(command, io, async ({ index, versions }) => {
        const to = options.to !== undefined ? resolve(index, serviceId, type, options.to, '--to') : latestOf(index, serviceId, type);
        const previous = index.previous(to);
        const from = options.from !== undefined ? resolve(index, serviceId, type, options.from, '--from') : previous;
        // a default `from` is the version committed before `to`, whose date may be later (a back-dated upgrade)
        if (options.from !== undefined && isReversed(from, to)) throw new UsageError(`--from (${from?.fetchDate ?? ''}) is newer than --to (${to.fetchDate}): swap them`);
        const changes = diffVersions({
          serviceId,
          termsType: type,
          from,
          to,
          before: from ? await contentOf(versions, from) : '',
          after: await contentOf(versions, to),
          isConsecutive: from?.id === previous?.id,
          words: options.words === true,
        });
        const { body } = changes.render(options.format);
        if (options.format !== 'unified') {
          io.write(body);
          return;
        }
        const paint = painter(io.isOutputTerminal === true);
        io.out(paint(CYAN, `${serviceId} · ${type}: ${from ? `${from.id.slice(0, 10)} (${from.fetchDate})` : '(nothing)'} → ${to.id.slice(0, 10)} (${to.fetchDate})`));
        if (changes.isEmpty) {
          io.out(from?.id === to.id ? 'The same version on both sides: nothing to compare.' : 'No change: the two versions hold the same text.');
          return;
        }
        io.out(paint(CYAN, `${LABEL_TITLES[changes.label]}: ${changes.labelReason}`));
        io.out(paintDiff(body.replace(/\n$/, ''), options.words === true, io.isOutputTerminal === true));
      });
    });
  helpPage(diff, 'commands.md#diff');
}
