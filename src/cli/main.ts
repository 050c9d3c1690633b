#!/usr/bin/env node
// The command-line entry point: the only code that reads argv and sets the exit code.
import { Command, CommanderError } from 'commander';

import { ArchiverError } from '../archiver-error.js';
import { registerExtractCommand } from './commands/extract.js';
import { UsageError } from './errors.js';
import { ENGINE_VERSION } from './version.js';

export function createProgram(write: (text: string) => void): Command {
  const program = new Command('terms-archive')
    .description('Keep a public, diffable git history of online terms (Open Terms Archive compatible)')
    .version(ENGINE_VERSION)
    .showHelpAfterError()
    .exitOverride();
  registerExtractCommand(program, write);
  return program;
}

async function main(argv: readonly string[]): Promise<number> {
  const program = createProgram(text => process.stdout.write(text));
  try {
    await program.parseAsync(argv as string[]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof UsageError) {
      process.stderr.write(`terms-archive: ${error.message}\n`);
      return 2;
    }
    if (error instanceof ArchiverError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv);
