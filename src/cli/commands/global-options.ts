import type { Command } from 'commander';

import { type Config, type ConfigSources, loadConfig } from '../config.js';

export interface GlobalOptions {
  readonly collection?: string;
  readonly config?: string;
  readonly declarations?: string;
  readonly snapshots?: string;
  readonly versions?: string;
}

export function addGlobalOptions(program: Command): Command {
  return program
    .option('-C, --collection <dir>', 'collection folder (default: the current folder)')
    .option('--config <file>', 'config file (default: terms-archive.config.json in the collection)')
    .option('--declarations <dir>', 'declarations folder (default: declarations)')
    .option('--snapshots <dir>', 'snapshots repository (default: snapshots-repo)')
    .option('--versions <dir>', 'versions repository (default: versions-repo)')
    .option('--debug', 'on an unexpected error, print its stack trace');
}

export function toOverrides(options: GlobalOptions): ConfigSources['overrides'] {
  return {
    ...(options.collection !== undefined && { collection: options.collection }),
    ...(options.config !== undefined && { config: options.config }),
    ...(options.declarations !== undefined && { declarationsDir: options.declarations }),
    ...(options.snapshots !== undefined && { snapshotsDir: options.snapshots }),
    ...(options.versions !== undefined && { versionsDir: options.versions }),
  };
}

/** The configuration of a command: its global options over the environment, the config file and the defaults. */
export function configOf(command: Command, context: { readonly cwd: string; readonly env: ConfigSources['env'] }): Promise<Config> {
  return loadConfig({ cwd: context.cwd, env: context.env, overrides: toOverrides(command.optsWithGlobals<GlobalOptions>()) });
}
