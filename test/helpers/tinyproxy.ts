// A real HTTP proxy on 127.0.0.1 for tests: Debian's tinyproxy (installed by .ci/run). Its log says each request it
// carried, forwarded (`GET http://…`, as browsers ask) or tunnelled (`CONNECT host:port`, as undici asks).
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import path from 'node:path';

export interface Proxy {
  readonly url: string;
  /** The requests it carried to this host:port so far. */
  carried(hostPort: string): Promise<number>;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => { resolve(port); });
    });
    server.on('error', reject);
  });
}

export async function startTinyproxy(directory: string): Promise<Proxy> {
  const port = await freePort();
  const config = path.join(directory, 'tinyproxy.conf');
  const logFile = path.join(directory, 'tinyproxy.log');
  await writeFile(config, [`Port ${String(port)}`, 'Listen 127.0.0.1', 'Allow 127.0.0.1', 'Timeout 30', 'LogLevel Connect', `LogFile "${logFile}"`, `PidFile "${path.join(directory, 'tinyproxy.pid')}"`, ''].join('\n'));
  const proxy: ChildProcess = spawn('tinyproxy', ['-d', '-c', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  proxy.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  for (let attempt = 0; ; attempt++) {
    if (proxy.exitCode !== null) throw new Error(`tinyproxy stopped: ${log}`);
    const isOpen = await new Promise<boolean>(resolve => {
      const socket = net.connect(port, '127.0.0.1', () => { socket.end(); resolve(true); });
      socket.on('error', () => { resolve(false); });
    });
    if (isOpen) break;
    if (attempt > 100) throw new Error(`tinyproxy did not listen: ${log}`);
    await new Promise(resolve => setTimeout(resolve, 50));
  }
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
