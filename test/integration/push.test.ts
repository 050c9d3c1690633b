// Publishing: after each pass, both repositories are pushed to bare repositories over SSH (a real sshd on
// 127.0.0.1, a throwaway key) and over smart HTTP (git http-backend, a token): never forced, retried, and stopped
// with a clear message when someone else pushed.
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { runCli } from '../../src/cli/run.js';
import { bareRepository, type HttpGitServer, type SshServer, startHttpGitServer, startSshServer } from '../helpers/git-servers.js';
import { html, startServer, type TestServer } from '../helpers/http-server.js';
import { captureIo } from '../helpers/silent.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const TOKEN = 's3cret-t0ken-4-tests';
let site: TestServer;
let dir: string;
let cleanup: () => Promise<void>;
let collection: string;
let ssh: SshServer;
let httpGit: HttpGitServer;
let edition = 1;

const headOf = (gitDirectory: string): string => execFileSync('git', ['--git-dir', gitDirectory, 'rev-parse', 'main'], { encoding: 'utf8' }).trim();
const localHead = (repository: string): string => execFileSync('git', ['-C', repository, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();

beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir());
  site = await startServer();
  site.route('/terms', () => ({ body: html(`<main><h1>Terms</h1><p>Edition ${String(edition)} of our terms, with enough words to be read as terms.</p></main>`) }));
  ssh = await startSshServer(path.join(dir, 'ssh'));
  await mkdir(path.join(dir, 'http'));
  httpGit = await startHttpGitServer(path.join(dir, 'http'), TOKEN);
}, 30_000);
afterAll(async () => {
  await Promise.all([site.close(), ssh.close(), httpGit.close()]);
  await cleanup();
});
beforeEach(async () => {
  collection = path.join(dir, `collection-${String(Date.now())}`);
  await mkdir(path.join(collection, 'declarations'), { recursive: true });
  await writeFile(path.join(collection, 'declarations', 'Acme.json'), JSON.stringify({ name: 'Acme', terms: { 'Terms of Service': { fetch: site.url('/terms'), select: 'main' } } }));
  edition = 1;
});

describe('publishing after each pass', { timeout: 60_000 }, () => {
  it('pushes both repositories over SSH with a key from the environment', async () => {
    const remotes = path.join(dir, 'ssh-remotes', path.basename(collection));
    const [snapshots, versions] = [bareRepository(path.join(remotes, 'snapshots.git')), bareRepository(path.join(remotes, 'versions.git'))];
    const env = {
      TERMS_ARCHIVE_SNAPSHOTS_REMOTE: ssh.url(snapshots),
      TERMS_ARCHIVE_VERSIONS_REMOTE: ssh.url(versions),
      TERMS_ARCHIVE_SSH_KEY: ssh.clientKey,
      // the server's host key is known: nothing is accepted blindly
      GIT_SSH_COMMAND: `ssh -o UserKnownHostsFile=${ssh.knownHosts} -o StrictHostKeyChecking=yes`,
    };
    const io = captureIo(collection, env);
    expect(await runCli(['track'], io)).toBe(0);
    expect(io.errors.join('\n')).not.toContain('not published');
    expect(io.errors.join('\n')).toMatch(/Pushed the snapshots to ssh:\/\/\*\*\*@127\.0\.0\.1:\d+\/.*snapshots\.git \(main\)/);
    expect(headOf(snapshots)).toBe(localHead(path.join(collection, 'snapshots-repo')));
    expect(headOf(versions)).toBe(localHead(path.join(collection, 'versions-repo')));

    // a key the server does not know: reported after its attempts, the run's exit code says so
    const otherKey = path.join(dir, 'other_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', otherKey]);
    edition = 2;
    const refused = captureIo(collection, { ...env, TERMS_ARCHIVE_SSH_KEY: otherKey, TERMS_ARCHIVE_PUSH_ATTEMPTS: '2', TERMS_ARCHIVE_PUSH_BACKOFF_MS: '10' });
    expect(await runCli(['track'], refused)).toBe(1);
    expect(refused.errors.join('\n')).toMatch(/The snapshots were not published: .* could not push to ssh:\/\/\*\*\*@127\.0\.0\.1:\d+\/.* after 2 attempts: .*Permission denied/);
    // versions name snapshots: they wait for them
    expect(refused.errors.join('\n')).not.toContain('The versions were not published');
  });

  it('pushes over HTTPS-style smart HTTP with a token that is never printed, and never forces a remote that moved', async () => {
    const name = path.basename(collection);
    bareRepository(path.join(dir, 'http', `${name}-snapshots.git`));
    const versions = bareRepository(path.join(dir, 'http', `${name}-versions.git`));
    const env = { TERMS_ARCHIVE_SNAPSHOTS_REMOTE: httpGit.url(`${name}-snapshots.git`), TERMS_ARCHIVE_VERSIONS_REMOTE: httpGit.url(`${name}-versions.git`), TERMS_ARCHIVE_GIT_TOKEN: TOKEN };
    expect(await runCli(['track'], captureIo(collection, env))).toBe(0);
    expect(headOf(versions)).toBe(localHead(path.join(collection, 'versions-repo')));

    // a wrong token: refused by the server, retried, reported without the token
    const refusedBefore = httpGit.refused;
    const wrong = captureIo(collection, { ...env, TERMS_ARCHIVE_GIT_TOKEN: 'not-the-token', TERMS_ARCHIVE_PUSH_ATTEMPTS: '2', TERMS_ARCHIVE_PUSH_BACKOFF_MS: '10' });
    edition = 2;
    expect(await runCli(['track'], wrong)).toBe(1);
    expect(httpGit.refused).toBeGreaterThan(refusedBefore);
    expect(wrong.errors.join('\n')).toMatch(/could not push to http:\/\/127\.0\.0\.1:\d+\/.*-snapshots\.git after 2 attempts/);
    expect(JSON.stringify(wrong.errors)).not.toContain('not-the-token');
    expect(await runCli(['track'], captureIo(collection, env))).toBe(0);

    // someone else pushes to the versions remote
    const other = path.join(dir, `${name}-other`);
    execFileSync('git', ['clone', '-q', versions, other]);
    await writeFile(path.join(other, 'NOTE.md'), 'A commit made elsewhere.\n');
    execFileSync('git', ['-C', other, 'add', 'NOTE.md']);
    execFileSync('git', ['-C', other, '-c', 'user.name=Someone', '-c', 'user.email=someone@example.com', 'commit', '-q', '-m', 'Add a note']);
    execFileSync('git', ['-C', other, 'push', '-q', 'origin', 'main']);
    const theirs = headOf(versions);

    edition = 3;
    const moved = captureIo(collection, env);
    expect(await runCli(['track'], moved)).toBe(1);
    expect(moved.errors.join('\n')).toMatch(/The versions were not published: .*-versions\.git has commits on main that this repository lacks \(someone else pushed\): publishing stopped, nothing was forced/);
    // the remote keeps their commit, the local repository keeps its own
    expect(headOf(versions)).toBe(theirs);
    expect(execFileSync('git', ['-C', path.join(collection, 'versions-repo'), 'log', '-1', '--format=%s'], { encoding: 'utf8' })).toMatch(/^Record new changes of Acme Terms of Service/);
  });

  it('refuses a remote that holds a password or token', async () => {
    const io = captureIo(collection, { TERMS_ARCHIVE_VERSIONS_REMOTE: 'https://bot:ghp_secret@github.com/org/versions.git' });
    expect(await runCli(['track'], io)).toBe(2);
    expect(io.errors.join('\n')).toContain('TERMS_ARCHIVE_VERSIONS_REMOTE: a remote must not hold a password or token');
  });
});
