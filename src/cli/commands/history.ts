// The researchers' commands: `history`, `show` and `diff`, read from the history index and the versions repository.
import path from 'node:path';

import type { Command } from 'commander';
import { Option } from 'commander';
import { createTwoFilesPatch, diffLines, diffWords } from 'diff';

import { datasetName, describeChange, escapeHtml, HistoryIndex, type IndexedVersion, LABEL_TITLES, loadMetadata, writeDataset } from '../../publish/index.js';
import { BlobReader, versionPath } from '../../record/index.js';
import type { Config } from '../config.js';
import { UsageError } from '../errors.js';
import { gitEnvironment } from '../publishing.js';
import type { CliContext } from '../setup.js';
import { configOf } from './global-options.js';

type Io = CliContext & { readonly write: (text: string) => void };

const RED = '\u001b[31m';
const GREEN = '\u001b[32m';
const CYAN = '\u001b[36m';
const RESET = '\u001b[0m';

async function open(command: Command, io: Io): Promise<{ config: Config; index: HistoryIndex; blobs: BlobReader; close: () => void }> {
  const config = await configOf(command, io);
  const index = HistoryIndex.open(config.versionsDir, gitEnvironment(io));
  await index.catchUp();
  const blobs = new BlobReader(config.versionsDir, gitEnvironment(io));
  return {
    config,
    index,
    blobs,
    close: () => {
      blobs.close();
      index.close();
    },
  };
}

async function contentOf(blobs: BlobReader, version: IndexedVersion): Promise<string> {
  return ((await blobs.read(version.id, versionPath(version.serviceId, version.termsType))) ?? Buffer.alloc(0)).toString('utf8');
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
  const [latest] = index.versions({ serviceId, termsType: type, includeTechnicalUpgrades: true, limit: 1 });
  if (!latest) throw new UsageError(`no version recorded for ${serviceId} ${type}`);
  return latest;
}

export function registerHistoryCommands(program: Command, io: Io): void {
  program
    .command('dataset')
    .description('export the versions as a ZIP (OTA layout) with a versions.csv index, README and LICENSE')
    .option('--out <file>', 'the ZIP to write (default: <collection name>-<date>.zip in the current folder)')
    .option('--include-technical-upgrades', 'export technical upgrades too (OTA does)')
    .action(async (options: { out?: string; includeTechnicalUpgrades?: boolean }, command: Command) => {
      const { config, index, blobs, close } = await open(command, io);
      try {
        const metadata = await loadMetadata(config.collectionDir);
        const releaseDate = new Date();
        const name = options.out !== undefined ? path.basename(options.out).replace(/\.zip$/, '') : datasetName(metadata.name, releaseDate);
        const file = options.out !== undefined ? path.resolve(io.cwd, options.out.endsWith('.zip') ? options.out : `${options.out}.zip`) : path.resolve(io.cwd, `${name}.zip`);
        const summary = await writeDataset({ index, blobs, metadata, file, folder: name, includeTechnicalUpgrades: options.includeTechnicalUpgrades === true, releaseDate });
        io.out(`${file}: ${summary.versions} version(s) of ${summary.services} service(s), ${summary.firstDate ?? '—'} to ${summary.lastDate ?? '—'}${summary.replaced > 0 ? ` (${summary.replaced} replaced by a later version of the same second)` : ''}`);
      } finally {
        close();
      }
    });

  program
    .command('history')
    .description('list the versions of a service (or of one of its terms): date, label, lines +/−, summary')
    .argument('<service>', 'service ID')
    .argument('[type]', 'terms type (default: all of them)')
    .option('--json', 'one JSON object per version, newest first')
    .action(async (serviceId: string, type: string | undefined, options: { json?: boolean }, command: Command) => {
      const { index, close } = await open(command, io);
      try {
        const versions = index.versions({ serviceId, termsType: type, includeTechnicalUpgrades: true, limit: 1_000_000 });
        if (versions.length === 0) throw new UsageError(`no version recorded for ${serviceId}${type ? ` ${type}` : ''}`);
        for (const version of versions) {
          if (options.json) {
            // the diff's HTML is for feeds and pages; `diff --format json` gives the change itself
            io.out(JSON.stringify(version, (key, value: unknown) => (key === 'diffHtml' ? undefined : value)));
            continue;
          }
          const figures = version.kind === 'first' ? `${version.linesAdded} lines` : `+${version.linesAdded} −${version.linesRemoved}`;
          io.out(`${version.fetchDate.slice(0, 19)}Z  ${version.id.slice(0, 10)}  ${type ? '' : `${version.termsType.padEnd(24)}  `}${LABEL_TITLES[version.label].padEnd(17)}  ${figures.padEnd(10)}  ${version.summary}`);
        }
      } finally {
        close();
      }
    });

  program
    .command('show')
    .description('print a version: the latest, the one in force at a date, or the one with an id')
    .argument('<service>', 'service ID')
    .argument('<type>', 'terms type')
    .addOption(new Option('--at <date>', 'the version in force at this date (ISO 8601)').conflicts('id'))
    .option('--id <id>', 'the version with this commit id (or its first 7+ characters)')
    .action(async (serviceId: string, type: string, options: { at?: string; id?: string }, command: Command) => {
      const { index, blobs, close } = await open(command, io);
      try {
        const version = options.id !== undefined ? resolve(index, serviceId, type, options.id, '--id') : options.at !== undefined ? resolve(index, serviceId, type, options.at, '--at') : latestOf(index, serviceId, type);
        io.write(await contentOf(blobs, version));
      } finally {
        close();
      }
    });

  program
    .command('diff')
    .description('the changes between two versions (default: the latest and the one before)')
    .argument('<service>', 'service ID')
    .argument('<type>', 'terms type')
    .option('--from <dateOrId>', 'the older version: an ISO 8601 date (the version in force then) or a commit id')
    .option('--to <dateOrId>', 'the newer version (default: the latest)')
    .option('--words', 'word by word instead of line by line')
    .addOption(new Option('--format <format>', 'unified (default), html or json').choices(['unified', 'html', 'json']).default('unified'))
    .action(async (serviceId: string, type: string, options: { from?: string; to?: string; words?: boolean; format: 'unified' | 'html' | 'json' }, command: Command) => {
      const { index, blobs, close } = await open(command, io);
      try {
        const to = options.to !== undefined ? resolve(index, serviceId, type, options.to, '--to') : latestOf(index, serviceId, type);
        const from = options.from !== undefined ? resolve(index, serviceId, type, options.from, '--from') : index.previous(to);
        const before = from ? await contentOf(blobs, from) : '';
        const after = await contentOf(blobs, to);
        const colour = io.isOutputTerminal === true && options.format === 'unified';
        const paint = (code: string, text: string): string => (colour ? `${code}${text}${RESET}` : text);
        if (options.format === 'json') {
          const parts = options.words ? diffWords(before, after) : diffLines(before, after);
          io.out(JSON.stringify({ from: from?.id ?? null, to: to.id, label: to.label, labelReason: to.labelReason, changes: parts.map(part => ({ added: part.added, removed: part.removed, value: part.value })) }, null, 2));
          return;
        }
        if (options.format === 'html') {
          const body = options.words
            ? diffWords(before, after).map(part => (part.added ? `<ins>${escapeHtml(part.value)}</ins>` : part.removed ? `<del>${escapeHtml(part.value)}</del>` : escapeHtml(part.value))).join('')
            : describeChange(before, after).html;
          io.write(`<!doctype html><meta charset="utf-8"><title>${escapeHtml(`${serviceId} ${type}`)}</title><p>${escapeHtml(LABEL_TITLES[to.label])}: ${escapeHtml(to.labelReason)}</p><pre>${options.words ? body : body.replace(/^<pre>|<\/pre>$/g, '')}</pre>\n`);
          return;
        }
        io.out(paint(CYAN, `${serviceId} · ${type}: ${from ? `${from.id.slice(0, 10)} (${from.fetchDate})` : '(nothing)'} → ${to.id.slice(0, 10)} (${to.fetchDate})`));
        io.out(paint(CYAN, `${LABEL_TITLES[to.label]}: ${to.labelReason}`));
        if (options.words) {
          io.out(diffWords(before, after).map(part => (part.added ? paint(GREEN, `{+${part.value}+}`) : part.removed ? paint(RED, `[-${part.value}-]`) : part.value)).join(''));
          return;
        }
        const patch = createTwoFilesPatch(`${serviceId}/${type}.md`, `${serviceId}/${type}.md`, before, after, from?.id ?? '(none)', to.id);
        io.out(patch.split('\n').map(line => (line.startsWith('+') && !line.startsWith('+++') ? paint(GREEN, line) : line.startsWith('-') && !line.startsWith('---') ? paint(RED, line) : line)).join('\n'));
      } finally {
        close();
      }
    });
}
