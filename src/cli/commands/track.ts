// `terms-archive track` and `terms-archive apply-technical-upgrades`.
import type { Command } from 'commander';

import { isValidSchedule, type RunSummary, scheduleRuns } from '../../track/index.js';
import { loadConfig, parseEndpoints } from '../config.js';
import { UsageError } from '../errors.js';
import { alertSender } from '../alerts.js';
import { compactAfterPass } from '../compaction.js';
import { attachPublishing } from '../publishing.js';
import { issueReporting } from '../issue-reporting.js';
import { mailReport } from '../run-report.js';
import { attachStatusFile } from '../status-file.js';
import { type CliContext, prepareArchivist } from '../setup.js';
import { type GlobalOptions, toOverrides } from './global-options.js';
import { helpPage } from './help.js';
import { wholeNumberOption } from './whole-number-option.js';

interface TrackOptions {
  readonly services?: string[];
  readonly types?: string[];
  readonly schedule?: string;
  readonly concurrency?: number;
  readonly perHost?: number;
  readonly hostDelay?: number;
  readonly browserEndpoint?: string[];
  readonly json?: boolean;
  readonly conditionalRequests?: boolean;
}

const COMMANDS = [
  { name: 'track', isUpgradeOnly: false, description: 'apply technical upgrades, then fetch every terms and record new snapshots and versions' },
  {
    name: 'apply-technical-upgrades',
    isUpgradeOnly: true,
    description: 're-extract the latest snapshots with the current declarations and code; fetches nothing new',
  },
];

export function registerTrackCommands(program: Command, context: CliContext, setExitCode: (code: number) => void): void {
  for (const { name, isUpgradeOnly, description } of COMMANDS) {
    const command = program
      .command(name)
      .description(description)
      .option('--services <serviceIds...>', 'only these service IDs')
      .option('--types <termsTypes...>', 'only these terms types')
      .option('--concurrency <n>', 'terms tracked at the same time (default 16)', wholeNumberOption({ minimum: 1 }))
      .option('--browser-endpoint <wsUrls...>', 'use these remote browser servers (ws://…) instead of a local Chromium')
      .option('--json', 'print every event as a JSON line instead of log lines');
    if (!isUpgradeOnly) {
      command
        .option('--per-host <n>', 'requests at the same time to one host (default 1)', wholeNumberOption({ minimum: 1 }))
        .option('--host-delay <ms>', 'pause between two requests to one host (default 0)', wholeNumberOption({ minimum: 0 }))
        .option('--no-conditional-requests', 'download every page in full, without asking the server whether it changed')
        .option('--schedule <cron>', 'keep running: upgrade once now, then track at each tick (e.g. "30 */12 * * *")');
    }
    helpPage(command, `commands.md#${name}`);
    command.action(async (options: TrackOptions, self: Command) => {
      setExitCode(await run(self, options, context, isUpgradeOnly));
    });
  }
}

/**
 * 1 when something needs a look: a declaration could not be loaded, a pass could reach none of its terms, or records
 * could not be saved (and, beside it, a push that failed).
 */
function exitCodeOf(brokenDeclarations: number, summaries: readonly RunSummary[]): number {
  const isAllInaccessible = summaries.some(summary => summary.terms > 0 && summary.inaccessible + summary.held === summary.terms);
  const isUnsaved = summaries.some(summary => summary.recordsNotSaved !== undefined);
  return brokenDeclarations > 0 || isAllInaccessible || isUnsaved ? 1 : 0;
}

async function run(command: Command, options: TrackOptions, context: CliContext, isUpgradeOnly: boolean): Promise<number> {
  if (options.schedule !== undefined && !isValidSchedule(options.schedule)) {
    throw new UsageError(`--schedule: "${options.schedule}" is not a cron expression (for example "30 */12 * * *")`);
  }
  const config = await loadConfig({
    cwd: context.cwd,
    env: context.env,
    overrides: {
      ...toOverrides(command.optsWithGlobals<GlobalOptions>()),
      ...(options.concurrency !== undefined && { concurrency: options.concurrency }),
      ...(options.perHost !== undefined && { perHostConcurrency: options.perHost }),
      ...(options.hostDelay !== undefined && { hostDelayMs: options.hostDelay }),
      // commander gives the negated flag a default of true; only an explicit --no-… overrides the config
      ...(command.getOptionValueSource('conditionalRequests') === 'cli' && { conditionalRequests: false }),
      ...(options.browserEndpoint !== undefined && { browserEndpoints: parseEndpoints(options.browserEndpoint.join(','), '--browser-endpoint') }),
    },
  });
  // subscriptions are checked (their secrets read) before anything is opened
  const alerts = alertSender(config, context);
  const prepared = await prepareArchivist(config, context, { isJson: options.json === true, serviceIds: options.services, termsTypes: options.types });
  const { archivist } = prepared;
  const publishing = attachPublishing(archivist, config, prepared.versions, context, alerts);
  const status = attachStatusFile(archivist, config.statusFile, options.schedule, message => { context.err(message); });
  const issues = issueReporting(archivist, config, context);
  const summaries: RunSummary[] = [];
  const pass = async (technicalUpgradeOnly: boolean): Promise<void> => {
    const summary = await archivist.runPass({ serviceIds: options.services, termsTypes: options.types, technicalUpgradeOnly });
    summaries.push(summary);
    await issues.afterPass();
    // as OTA: issues are reported from the first tracking pass on, never for the technical-upgrade pass
    if (technicalUpgradeOnly) issues.attach();
    await publishing.afterPass();
    await compactAfterPass(config, context);
    await mailReport(await status.write(summary, publishing.state), config, context);
  };
  const onStop = (): void => {
    context.err('Stopping: the terms in progress finish, no new ones start');
    archivist.stop();
  };
  context.stopSignal.addEventListener('abort', onStop, { once: true });
  try {
    await pass(true);
    if (isUpgradeOnly || archivist.isStopped) return Math.max(exitCodeOf(prepared.brokenDeclarations, summaries), publishing.hasFailed ? 1 : 0);
    if (options.schedule === undefined) {
      await pass(false);
      return Math.max(exitCodeOf(prepared.brokenDeclarations, summaries), publishing.hasFailed ? 1 : 0);
    }
    const schedule = scheduleRuns({
      expression: options.schedule,
      run: () => pass(false),
      onSkipped: message => {
        context.err(message);
      },
      onError: error => {
        context.err(`Tracking failed: ${error instanceof Error ? error.message : String(error)}`);
      },
    });
    context.out(`Tracking on schedule "${options.schedule}"; stop with Ctrl-C (SIGINT) or SIGTERM`);
    await new Promise<void>(resolve => {
      if (context.stopSignal.aborted) resolve();
      else context.stopSignal.addEventListener('abort', () => { resolve(); }, { once: true });
    });
    await schedule.stop();
    return 0;
  } finally {
    context.stopSignal.removeEventListener('abort', onStop);
    await publishing.close();
    await prepared.close();
  }
}
