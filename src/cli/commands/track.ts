// `terms-archive track` and `terms-archive apply-technical-upgrades`.
import type { Command } from 'commander';

import { loadConfig } from '../config.js';
import { type CliContext, prepareArchivist } from '../setup.js';
import { type GlobalOptions, toOverrides } from './global-options.js';

interface TrackOptions {
  readonly services?: string[];
  readonly types?: string[];
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
    program
      .command(name)
      .description(description)
      .option('--services <serviceIds...>', 'only these service IDs')
      .option('--types <termsTypes...>', 'only these terms types')
      .action(async (options: TrackOptions, command: Command) => {
        setExitCode(await run(command, options, context, isUpgradeOnly));
      });
  }
}

async function run(command: Command, options: TrackOptions, context: CliContext, isUpgradeOnly: boolean): Promise<number> {
  const config = await loadConfig({
    cwd: context.cwd,
    env: context.env,
    overrides: toOverrides(command.optsWithGlobals<GlobalOptions>()),
  });
  const { archivist, brokenDeclarations } = await prepareArchivist(config, context);
  const request = { serviceIds: options.services, termsTypes: options.types };
  await archivist.runPass({ ...request, technicalUpgradeOnly: true });
  if (!isUpgradeOnly) await archivist.runPass({ ...request, technicalUpgradeOnly: false });
  return brokenDeclarations > 0 ? 1 : 0;
}
