// Runs the command line with its inputs passed in (argv, folder, environment, output), so tests can call
// it in-process. main.ts is the only caller that hands it the real process.
import { Command, CommanderError } from 'commander';

import { ArchiverError } from '../archiver-error.js';
import { registerContributeCommands } from './commands/contribute.js';
import { registerExtractCommand } from './commands/extract.js';
import { registerHistoryCommands } from './commands/history.js';
import { registerPublishCommands } from './commands/publish.js';
import { addGlobalOptions } from './commands/global-options.js';
import { registerTrackCommands } from './commands/track.js';
import { UsageError } from './errors.js';
import type { CliContext } from './setup.js';
import { ENGINE_VERSION } from './version.js';

export interface CliIo extends CliContext {
  /** Raw output (the Markdown of `extract`), written as is. */
  readonly write: (text: string) => void;
}

export function createProgram(io: CliIo, setExitCode: (code: number) => void): Command {
  const program = addGlobalOptions(
    new Command('terms-archive')
      .description('Keep a public, diffable git history of online terms (Open Terms Archive compatible)')
      .version(ENGINE_VERSION)
      .showHelpAfterError()
      .exitOverride()
      .configureOutput({ writeOut: text => { io.write(text); }, writeErr: text => { io.err(text.trimEnd()); } }),
  );
  registerExtractCommand(program, io);
  registerTrackCommands(program, io, setExitCode);
  registerContributeCommands(program, io, setExitCode);
  registerPublishCommands(program, io, setExitCode);
  registerHistoryCommands(program, io);
  for (const command of program.commands) command.exitOverride();
  return program;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode = 0;
  const program = createProgram(io, code => {
    exitCode = code;
  });
  try {
    await program.parseAsync(['node', 'terms-archive', ...argv]);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof UsageError) {
      io.err(`terms-archive: ${error.message}`);
      return 2;
    }
    if (error instanceof ArchiverError) {
      io.err(error.message);
      return 1;
    }
    io.err(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return 1;
  }
}
