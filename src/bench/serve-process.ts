// `terms-archive serve` as a process of its own, for the benchmarks that load the API: started on a free port, its
// address read from its first line.
import { spawn } from 'node:child_process';

export async function startServeProcess(cli: string, collection: string, args: readonly string[], environment: NodeJS.ProcessEnv): Promise<{ base: string; close: () => void }> {
  const child = spawn('node', [cli, '-C', collection, 'serve', '--port', '0', ...args], { env: environment, stdio: ['ignore', 'pipe', 'inherit'] });
  const base = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Serving the API on (\S+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.on('exit', code => { reject(new Error(`serve exited with ${String(code)}`)); });
  });
  return { base, close: () => child.kill('SIGTERM') };
}
