// Publishing a repository: `git push` of its branch to a remote, over SSH or HTTPS, never forced. Credentials come
// from the environment (an SSH key file, the SSH agent, an HTTPS token) and reach git through its environment, never
// its command line, so that no process listing and no message shows them. git is run directly (as cat-file is):
// simple-git refuses a custom SSH command in the environment.
import { execFile } from 'node:child_process';

import { ArchiverError } from '../../archiver-error.js';
import { gitEnvironmentOf } from './git.js';

/** The remote has commits this repository lacks: someone else pushed. Nothing is forced; a person must look. */
export class RemoteMovedError extends ArchiverError {
  override name = 'RemoteMovedError';
}

/** The push failed after every attempt (the network, the credentials, the server). */
export class PushError extends ArchiverError {
  override name = 'PushError';
}

export interface PushCredentials {
  /** A private key file for SSH remotes (else the SSH agent and ssh's own defaults). */
  readonly sshKey?: string | undefined;
  /** A token for HTTPS remotes, sent as HTTP Basic authentication. */
  readonly token?: string | undefined;
  /** The user name that goes with the token (GitHub and GitLab accept any). */
  readonly username?: string | undefined;
}

export interface PushOptions {
  /** The repository folder. */
  readonly directory: string;
  /** The remote's URL: ssh://…, user@host:path or https://…, without credentials. */
  readonly remote: string;
  readonly credentials?: PushCredentials;
  /** The caller's environment: PATH, HOME, SSH_AUTH_SOCK and GIT_SSH_COMMAND are passed on to git. */
  readonly environment: Readonly<Record<string, string | undefined>>;
  /** Attempts in all before giving up (a remote that moved is never retried). @default 4 */
  readonly attempts?: number;
  /** The wait before the second attempt, doubled before each next one. @default 2000 */
  readonly backoffMs?: number;
}

export interface PushResult {
  /** False when the remote already had every commit. */
  readonly isUpdated: boolean;
  readonly branch: string;
  readonly attempts: number;
}

/** A remote's URL with any user name or password in it hidden, for messages. */
export function redactRemote(remote: string): string {
  return remote.replace(/^(\w+:\/\/)[^@/]+@/, '$1***@');
}

function run(directory: string, args: readonly string[], environment: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise(resolve => {
    execFile('git', args, { cwd: directory, env: environment, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

function pushEnvironment(options: PushOptions): Record<string, string> {
  const environment: Record<string, string> = gitEnvironmentOf(options.environment);
  for (const name of ['SSH_AUTH_SOCK', 'GIT_SSH_COMMAND']) {
    const value = options.environment[name];
    if (value !== undefined && value !== '') environment[name] = value;
  }
  const { sshKey, token, username } = options.credentials ?? {};
  // BatchMode: ssh never asks anything (a passphrase, an unknown host key): it fails, and says why
  const ssh = environment.GIT_SSH_COMMAND ?? 'ssh';
  environment.GIT_SSH_COMMAND = `${ssh} -o BatchMode=yes${sshKey === undefined ? '' : ` -o IdentitiesOnly=yes -i '${sshKey.replace(/'/g, "'\\''")}'`}`;
  if (token !== undefined && token !== '') {
    // given as configuration through the environment: not on the command line, not in the remote's URL
    environment.GIT_CONFIG_COUNT = '1';
    environment.GIT_CONFIG_KEY_0 = 'http.extraHeader';
    environment.GIT_CONFIG_VALUE_0 = `Authorization: Basic ${Buffer.from(`${username ?? 'terms-archive'}:${token}`).toString('base64')}`;
  }
  return environment;
}

/** What git said, without the credentials it was given. */
function redacted(text: string, credentials: PushCredentials | undefined): string {
  let result = text.trim();
  for (const secret of [credentials?.token]) if (secret) result = result.split(secret).join('***');
  return result.replace(/(\w+:\/\/)[^@/\s]+@/g, '$1***@');
}

/** Pushes the repository's current branch to the same branch of the remote, retrying with backoff. */
export async function pushRepository(options: PushOptions): Promise<PushResult> {
  const environment = pushEnvironment(options);
  const branch = (await run(options.directory, ['symbolic-ref', '--short', 'HEAD'], environment)).stdout.trim() || 'main';
  // a repository without commits yet (a first run that recorded nothing) has nothing to publish
  if ((await run(options.directory, ['rev-parse', '--verify', '--quiet', 'HEAD'], environment)).code !== 0) return { isUpdated: false, branch, attempts: 0 };
  const attempts = Math.max(1, options.attempts ?? 4);
  let wait = options.backoffMs ?? 2000;
  let lastError = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const result = await run(options.directory, ['push', '--porcelain', options.remote, `HEAD:refs/heads/${branch}`], environment);
    if (result.code === 0) return { isUpdated: !/^=\t/m.test(result.stdout), branch, attempts: attempt };
    const said = `${result.stdout}\n${result.stderr}`;
    if (/\[rejected\]|\(fetch first\)|\(non-fast-forward\)/.test(said)) {
      throw new RemoteMovedError(
        `${options.directory}: ${redactRemote(options.remote)} has commits on ${branch} that this repository lacks (someone else pushed): publishing stopped, nothing was forced; fetch and merge them by hand, then push again`,
      );
    }
    lastError = redacted(result.stderr || result.stdout, options.credentials);
    if (attempt < attempts) {
      await new Promise(resolve => setTimeout(resolve, wait));
      wait *= 2;
    }
  }
  throw new PushError(`${options.directory}: could not push to ${redactRemote(options.remote)} after ${String(attempts)} attempts: ${lastError}`);
}
