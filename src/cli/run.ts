// Runs the command line with its inputs passed in (argv, folder, environment, output), so tests can call
// it in-process. main.ts is the only caller that hands it the real process. Every failure ends as one line on
// standard error and an exit code: 2 for a mistake in the call (an option, a folder), 1 for the rest; a stack trace
// only with --debug.
import { Command, CommanderError } from 'commander';

import { ArchiverError } from '../archiver-error.js';
import { MissingDeclarationsError } from '../declarations/index.js';
import { MissingRepositoryError } from '../record/index.js';
import { registerContributeCommands } from './commands/contribute.js';
import { registerExtractCommand } from './commands/extract.js';
import { addGlobalOptions } from './commands/global-options.js';
import { helpPage } from './commands/help.js';
import { registerDatasetCommand } from './commands/dataset.js';
import { registerHistoryCommands } from './commands/history.js';
import { registerResearchCommands } from './commands/research.js';
import { registerPublishCommands } from './commands/publish.js';
import { registerQuarantineCommands } from './commands/quarantine.js';
import { registerRebuildCommand } from './commands/rebuild.js';
import { registerBackfillCommand } from './commands/backfill.js';
import { registerTrackCommands } from './commands/track.js';
import { registerVerifyCommand } from './commands/verify.js';
import { UsageError } from './errors.js';
import type { CliIo } from './setup.js';
import { ENGINE_VERSION } from './version.js';

export type { CliIo } from './setup.js';

export function createProgram(io: CliIo, setExitCode: (code: number) => void): Command {
  const program = addGlobalOptions(
    new Command('terms-archive')
      .description('Keep a public, diffable git history of online terms (Open Terms Archive compatible)')
      .version(ENGINE_VERSION)
      .exitOverride()
      .configureOutput({
        writeOut: text => { io.write(text); },
        writeErr: text => { io.err(text.trimEnd()); },
        // commander's own mistakes ("unknown option", "missing argument") as one line, like ours
        outputError: (text, write) => { write(`terms-archive: ${text.trim().replace(/^error: /, '')} (see --help)\n`); },
      }),
  );
  registerExtractCommand(program, io);
  registerTrackCommands(program, io, setExitCode);
  registerContributeCommands(program, io, setExitCode);
  registerPublishCommands(program, io, setExitCode);
  registerHistoryCommands(program, io);
  registerResearchCommands(program, io);
  registerDatasetCommand(program, io);
  registerQuarantineCommands(program, io);
  registerVerifyCommand(program, io, setExitCode);
  registerRebuildCommand(program, io);
  registerBackfillCommand(program, io);
  helpPage(program, 'commands.md');
  for (const command of program.commands) command.exitOverride().configureOutput(program.configureOutput());
  return program;
}

/** What a missing folder means and what to do about it. */
function missingFolderMessage(error: MissingDeclarationsError | MissingRepositoryError): string {
  if (error instanceof MissingDeclarationsError) {
    return `${error.message} (a collection is a folder with declarations/<Service ID>.json files: create them, or give -C <collection folder>)`;
  }
  return error.message;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode = 0;
  const program = createProgram(io, code => {
    exitCode = code;
  });
  const isDebug = argv.includes('--debug');
  try {
    await program.parseAsync(['node', 'terms-archive', ...argv]);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (isDebug) io.err(error instanceof Error ? (error.stack ?? error.message) : String(error));
    if (error instanceof UsageError) {
      io.err(`terms-archive: ${error.message}`);
      return 2;
    }
    if (error instanceof MissingDeclarationsError || error instanceof MissingRepositoryError) {
      io.err(`terms-archive: ${missingFolderMessage(error)}`);
      return 2;
    }
    if (error instanceof ArchiverError) {
      io.err(`terms-archive: ${error.message}`);
      return 1;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.err(`terms-archive: unexpected error: ${message.split('\n')[0] ?? ''}${isDebug ? '' : ' (run again with --debug for the details)'}`);
    return 1;
  }
}
