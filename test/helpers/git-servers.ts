// Real git servers on 127.0.0.1 for push tests: OpenSSH's sshd (Debian's openssh-server, installed by .ci/run) with a
// throwaway host key and client key, and git's own smart-HTTP server, `git http-backend`, run as CGI behind a small
// HTTP server that asks for a token with Basic authentication, as GitHub and GitLab do.
import { execFileSync, spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import { freePort, waitForPort } from './ports.js';

/** A bare repository to push to. */
export function bareRepository(directory: string): string {
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', directory]);
  return directory;
}

export interface SshServer {
  readonly port: number;
  /** The client's private key (no passphrase). */
  readonly clientKey: string;
  /** A known_hosts file that holds the server's host key. */
  readonly knownHosts: string;
  /** ssh://<user>@127.0.0.1:<port><path> */
  url(repositoryPath: string): string;
  close(): Promise<void>;
}

export async function startSshServer(directory: string): Promise<SshServer> {
  await mkdir(directory, { recursive: true });
  const hostKey = path.join(directory, 'host_ed25519');
  const clientKey = path.join(directory, 'client_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', clientKey]);
  const authorizedKeys = path.join(directory, 'authorized_keys');
  await writeFile(authorizedKeys, await readFile(`${clientKey}.pub`), { mode: 0o600 });
  const port = await freePort();
  const knownHosts = path.join(directory, 'known_hosts');
  await writeFile(knownHosts, `[127.0.0.1]:${String(port)} ${(await readFile(`${hostKey}.pub`, 'utf8')).trim()}\n`);
  const config = path.join(directory, 'sshd_config');
  await writeFile(
    config,
    [
      `Port ${String(port)}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `AuthorizedKeysFile ${authorizedKeys}`,
      `PidFile ${path.join(directory, 'sshd.pid')}`,
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'PermitRootLogin prohibit-password',
      'UsePAM no',
      'StrictModes no',
      '',
    ].join('\n'),
  );
  // privilege separation needs its empty folder; a system without a running sshd may lack it
  await mkdir('/run/sshd', { recursive: true });
  const sshd = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  sshd.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  await waitForPort(port, sshd, 'sshd', () => log);
  const user = execFileSync('id', ['-un'], { encoding: 'utf8' }).trim();
  return {
    port,
    clientKey,
    knownHosts,
    url: repositoryPath => `ssh://${user}@127.0.0.1:${String(port)}${repositoryPath}`,
    close: () =>
      new Promise(resolve => {
        sshd.once('exit', () => { resolve(); });
        sshd.kill();
      }),
  };
}

export interface HttpGitServer {
  /** http://127.0.0.1:<port>/<name> for a repository under the server's root. */
  url(name: string): string;
  /** Requests refused for want of the right token. */
  readonly refused: number;
  close(): Promise<void>;
}

/** `git http-backend` as CGI under `root`; every request must carry Basic authentication with `token`. */
export async function startHttpGitServer(root: string, token: string): Promise<HttpGitServer> {
  let refused = 0;
  const server = http.createServer((request, response) => {
    const [scheme, encoded = ''] = (request.headers.authorization ?? '').split(' ');
    const [user = '', password] = Buffer.from(encoded, 'base64').toString('utf8').split(':');
    if (scheme !== 'Basic' || password !== token) {
      refused++;
      response.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' }).end();
      return;
    }
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const backend = spawn('git', ['http-backend'], {
      env: {
        PATH: process.env.PATH,
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: '1',
        REMOTE_USER: user,
        REMOTE_ADDR: '127.0.0.1',
        REQUEST_METHOD: request.method,
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        CONTENT_TYPE: request.headers['content-type'] ?? '',
        ...(request.headers['content-encoding'] !== undefined && { HTTP_CONTENT_ENCODING: request.headers['content-encoding'] }),
        ...(request.headers['git-protocol'] !== undefined && { GIT_PROTOCOL: request.headers['git-protocol'] as string }),
      },
    });
    request.pipe(backend.stdin);
    // the CGI answer: headers, a blank line, then the body
    let head = Buffer.alloc(0);
    let isBody = false;
    backend.stdout.on('data', (chunk: Buffer) => {
      if (isBody) {
        response.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) return;
      const headers: Record<string, string> = {};
      let status = 200;
      for (const line of head.subarray(0, end).toString('latin1').split('\r\n')) {
        const colon = line.indexOf(':');
        const [name, value] = [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
        if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
        else headers[name] = value;
      }
      response.writeHead(status, headers);
      isBody = true;
      response.write(head.subarray(end + 4));
    });
    backend.stdout.on('end', () => response.end());
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => { resolve(); }));
  const { port } = server.address() as AddressInfo;
  return {
    url: name => `http://127.0.0.1:${String(port)}/${name}`,
    get refused() {
      return refused;
    },
    close: () => new Promise(resolve => server.close(() => { resolve(); })),
  };
}
