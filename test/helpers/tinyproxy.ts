// A real HTTP proxy on 127.0.0.1 for tests: Debian's tinyproxy (installed by .ci/run). Its log says each request it
// carried, forwarded (`GET http://…`, as browsers ask) or tunnelled (`CONNECT host:port`, as undici asks).
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { freePort, waitForPort } from './ports.js';

export interface Proxy {
  readonly url: string;
  /** The requests it carried to this host:port so far. */
  carried(hostPort: string): Promise<number>;
  close(): Promise<void>;
}

export async function startTinyproxy(directory: string): Promise<Proxy> {
  const port = await freePort();
  const config = path.join(directory, 'tinyproxy.conf');
  const logFile = path.join(directory, 'tinyproxy.log');
  await writeFile(config, [`Port ${String(port)}`, 'Listen 127.0.0.1', 'Allow 127.0.0.1', 'Timeout 30', 'LogLevel Connect', `LogFile "${logFile}"`, `PidFile "${path.join(directory, 'tinyproxy.pid')}"`, ''].join('\n'));
  const proxy: ChildProcess = spawn('tinyproxy', ['-d', '-c', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  proxy.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  await waitForPort(port, proxy, 'tinyproxy', () => log);
  return {
    url: `http://127.0.0.1:${String(port)}`,
    carried: async hostPort => {
      const log = await readFile(logFile, 'utf8').catch(() => '');
      return log.split('\n').filter(line => /Request \(file descriptor \d+\): (CONNECT|GET|HEAD) /.test(line) && line.includes(hostPort)).length;
    },
    close: () =>
      new Promise(resolve => {
        proxy.once('exit', () => { resolve(); });
        proxy.kill();
      }),
  };
}
