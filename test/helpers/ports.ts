// Ports for the servers tests start themselves (sshd, tinyproxy): a free one to give them, and a wait until they listen.
import type { ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import net from 'node:net';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => { resolve(port); });
    });
    server.on('error', reject);
  });
}

/** Resolves once the port accepts connections; rejects, with what the process said, when it stops first or takes 5 s. */
export async function waitForPort(port: number, process: ChildProcess, name: string, log: () => string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (process.exitCode !== null) throw new Error(`${name} stopped: ${log()}`);
    const isOpen = await new Promise<boolean>(resolve => {
      const socket = net.connect(port, '127.0.0.1', () => { socket.end(); resolve(true); });
      socket.on('error', () => { resolve(false); });
    });
    if (isOpen) return;
    await new Promise(resolve => setTimeout(resolve, 50));
  }
  throw new Error(`${name} did not listen on ${String(port)}: ${log()}`);
}
