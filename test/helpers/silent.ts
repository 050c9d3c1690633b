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
    // changes are confirmed at once: the pages of tests do not change between two fetches unless a test says so
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TERMS_ARCHIVE_CONFIRM_DELAY_MS: '0', ...env },
    write: text => written.push(text),
    out: line => output.push(line),
    err: line => errors.push(line),
    output,
    errors,
    written,
  };
}
