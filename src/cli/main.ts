#!/usr/bin/env node
// The executable: hands the real process (argv, folder, environment, output) to runCli and sets the exit code.
import { runCli } from './run.js';

process.exitCode = await runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  write: text => process.stdout.write(text),
  out: line => process.stdout.write(`${line}\n`),
  err: line => process.stderr.write(`${line}\n`),
});
