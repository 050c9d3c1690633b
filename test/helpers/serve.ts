// `terms-archive serve` run in the test's process on a free port, until the test stops it.
import { runCli } from '../../src/cli/run.js';
import { captureIo } from './silent.js';

export interface RunningServe {
  /** The API's address, e.g. http://127.0.0.1:40123/api/v1. */
  readonly api: string;
  readonly io: ReturnType<typeof captureIo>;
  /** Stops the server and gives its exit code. */
  stop(): Promise<number>;
}

export async function startServe(dir: string, args: readonly string[] = []): Promise<RunningServe> {
  const stopping = new AbortController();
  const io = captureIo(dir, {}, stopping.signal);
  const serving = runCli(['serve', '--port', '0', ...args], io);
  const started = (): string | undefined => io.output.find(line => line.startsWith('Serving the API on '));
  for (let waited = 0; started() === undefined && waited < 10_000; waited += 50) await new Promise(resolve => setTimeout(resolve, 50));
  return {
    api: /^Serving the API on (\S+)/.exec(started() ?? '')?.[1] ?? '',
    io,
    stop: () => {
      stopping.abort();
      return serving;
    },
  };
}
