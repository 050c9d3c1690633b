// `terms-archive dataset`: the versions as a ZIP in OTA's layout; with --publish, released on GitHub, GitLab and
// data.gouv.fr as OTA does (cli/dataset-publishing.ts); with --schedule, again at each tick of a cron expression (OTA
// publishes every Monday at 08:30).
import path from 'node:path';

import type { Command } from 'commander';

import { datasetName, loadMetadata, loadRenamingRules, writeDataset } from '../../publish/index.js';
import { isValidSchedule, scheduleRuns } from '../../track/index.js';
import { planRelease, publishRelease } from '../dataset-publishing.js';
import { UsageError } from '../errors.js';
import { plural } from '../format.js';
import type { CliIo } from '../setup.js';
import { helpPage } from './help.js';
import { withHistory } from './history.js';

interface DatasetOptions {
  readonly out?: string;
  readonly includeTechnicalUpgrades?: boolean;
  readonly renamingRules?: string;
  readonly publish?: boolean;
  readonly schedule?: string;
}

export function registerDatasetCommand(program: Command, io: CliIo): void {
  const dataset = program
    .command('dataset')
    .description('export the versions as a ZIP (OTA layout) with a versions.csv index, README and LICENSE; --publish releases it on GitHub, GitLab or data.gouv.fr')
    .option('--out <file>', 'the ZIP to write (default: <collection name>-<date>.zip in the current folder)')
    .option('--include-technical-upgrades', 'export technical upgrades too (OTA does)')
    .option('--renaming-rules <path>', "rename services and terms types as these rules say (OTA's rules folder or one JSON file)")
    .option('--publish', 'release the ZIP on each configured platform: githubRepository, gitlabRepository, data.gouv.fr (credentials from the environment)')
    .option('--schedule <cron>', 'keep running: make (and publish) a dataset at each tick, e.g. "30 8 * * MON" as OTA')
    .action(async (options: DatasetOptions, command: Command) => {
      if (options.schedule !== undefined && !isValidSchedule(options.schedule)) {
        throw new UsageError(`--schedule: "${options.schedule}" is not a cron expression (for example "30 8 * * MON")`);
      }
      const once = (): Promise<void> => exportDataset(command, io, options);
      if (options.schedule === undefined) {
        await once();
        return;
      }
      const schedule = scheduleRuns({
        expression: options.schedule,
        run: once,
        onSkipped: message => { io.err(message); },
        onError: error => { io.err(`The dataset was not made: ${error instanceof Error ? error.message : String(error)}`); },
      });
      io.out(`Datasets on schedule "${options.schedule}"; stop with Ctrl-C (SIGINT) or SIGTERM`);
      await new Promise<void>(resolve => {
        if (io.stopSignal.aborted) resolve();
        else io.stopSignal.addEventListener('abort', () => { resolve(); }, { once: true });
      });
      await schedule.stop();
    });
  helpPage(dataset, 'commands.md#dataset');
}

async function exportDataset(command: Command, io: CliIo, options: DatasetOptions): Promise<void> {
  await withHistory(command, io, async ({ config, index, versions }) => {
    const release = options.publish === true ? planRelease(config, io.env) : undefined;
    const metadata = await loadMetadata(config.collectionDir);
    const rulesPath = options.renamingRules !== undefined ? path.resolve(io.cwd, options.renamingRules) : config.datasetRenamingRules;
    const renaming = rulesPath === undefined ? undefined : await loadRenamingRules(rulesPath, io.cwd);
    for (const ignored of renaming?.ignored ?? []) io.err(`warning: ${ignored}`);
    const releaseDate = new Date();
    const name = options.out !== undefined ? path.basename(options.out).replace(/\.zip$/, '') : datasetName(metadata.name, releaseDate);
    const file = options.out !== undefined ? path.resolve(io.cwd, options.out.endsWith('.zip') ? options.out : `${options.out}.zip`) : path.resolve(io.cwd, `${name}.zip`);
    const summary = await writeDataset({ index, versions, metadata, file, folder: name, includeTechnicalUpgrades: options.includeTechnicalUpgrades === true, releaseDate, ...(renaming && { renaming }) });
    const notes = [
      ...(summary.renamed > 0 ? [`${plural(summary.renamed, 'version')} under a renamed service or terms type`] : []),
      ...(summary.replaced > 0 ? [`${plural(summary.replaced, 'version')} replaced by a later version of the same second`] : []),
    ];
    io.out(`${file}: ${plural(summary.versions, 'version')} of ${plural(summary.services, 'service')}, ${summary.firstDate ?? '—'} to ${summary.lastDate ?? '—'}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`);
    if (release) await publishRelease(release({ file, collectionName: metadata.name, summary }), line => { io.out(line); });
  });
}
