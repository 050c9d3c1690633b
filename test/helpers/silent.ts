import type { CliIo } from '../../src/cli/run.js';

/** CLI input/output that keeps what was printed, for assertions. */
export function captureIo(
  cwd: string,
  env: Record<string, string | undefined> = {},
  stopSignal: AbortSignal = new AbortController().signal,
): CliIo & { output: string[]; errors: string[]; written: string[] } {
  const output: string[] = [];
  const errors: string[] = [];
  const written: string[] = [];
  return {
    cwd,
    stopSignal,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    write: text => written.push(text),
    out: line => output.push(line),
    err: line => errors.push(line),
    output,
    errors,
    written,
  };
}
