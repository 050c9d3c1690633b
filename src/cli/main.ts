#!/usr/bin/env -S node --max-http-header-size=32768 --max-old-space-size=1536
// The executable: hands the real process (argv, folder, environment, output) to runCli and sets the exit code.
import { runCli } from './run.js';
import { createTerminalOutput } from './terminal.js';

const stop = new AbortController();
const onSignal = (signal: NodeJS.Signals): void => {
  if (stop.signal.aborted) process.exit(signal === 'SIGINT' ? 130 : 143); // a second signal: stop now
  stop.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const output = createTerminalOutput(process.stdout, process.stderr);
process.exitCode = await runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stopSignal: stop.signal,
  isOutputTerminal: process.stdout.isTTY && !process.env.NO_COLOR,
  ...output,
});
process.off('SIGINT', onSignal);
process.off('SIGTERM', onSignal);
