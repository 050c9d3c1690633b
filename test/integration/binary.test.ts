// The built executable, run as a user runs it (its shebang line included): it must accept the large response
// headers real sites send (OTA runs node with --max-http-header-size=32768; Node's default is 16 KiB).
import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { commitCount, git } from '../helpers/git.js';
import { html, startServer, type TestServer } from '../helpers/http-server.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const binary = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/cli/main.js');
let server: TestServer;

beforeAll(async () => {
  server = await startServer({ '/big-headers': { headers: { 'x-padding': 'a'.repeat(24_000) }, body: html('<main>Terms behind big headers</main>') } });
});
afterAll(() => server.close());

describe('the terms-archive executable', () => {
  it('tracks a page whose response headers exceed 16 KiB', async () => {
    const { dir, cleanup } = await makeTempDir();
    try {
      await mkdir(path.join(dir, 'declarations'));
      await writeFile(
        path.join(dir, 'declarations', 'Big.json'),
        JSON.stringify({ name: 'Big', terms: { 'Terms of Service': { fetch: server.url('/big-headers'), select: 'main' } } }),
      );
      const { stdout } = await promisify(execFile)(binary, ['track'], { cwd: dir, env: { PATH: process.env.PATH, HOME: process.env.HOME } });
      expect(stdout).toMatch(/Tracking pass: 1 terms of 1 service, 1 snapshot and 1 version recorded, 0 inaccessible/);
      expect(commitCount(path.join(dir, 'versions-repo'))).toBe(1);
    } finally {
      await cleanup();
    }
  }, 60_000);
});

describe('a run killed in the middle', () => {
  it('leaves repositories that the next run continues, git fsck clean', async () => {
    const { dir, cleanup } = await makeTempDir();
    const slow = await startServer({
      '/fast': { body: html('<main>Fast page</main>') },
      '/slow': { body: html('<main>Slow page</main>'), delayMs: 30_000 },
    });
    try {
      await mkdir(path.join(dir, 'declarations'));
      for (const [id, route] of [['A fast', '/fast'], ['B slow', '/slow']] as const) {
        await writeFile(
          path.join(dir, 'declarations', `${id}.json`),
          JSON.stringify({ name: id, terms: { 'Terms of Service': { fetch: slow.url(route), select: 'main' } } }),
        );
      }
      // kill -9 once the fast page is recorded, while the slow one is still being fetched
      await new Promise<void>((resolve, reject) => {
        const child = spawn(binary, ['track'], { cwd: dir, env: { PATH: process.env.PATH, HOME: process.env.HOME } });
        child.stdout.setEncoding('utf8');
        child.stdout.on('data', (chunk: string) => {
          if (chunk.includes('A fast — Terms of Service  Recorded first version')) child.kill('SIGKILL');
        });
        child.on('close', (_code, signal) => {
          if (signal === 'SIGKILL') resolve();
          else reject(new Error(`the run ended by itself (${String(signal)})`));
        });
      });
      slow.route('/slow', { body: html('<main>Slow page</main>') });
      const { stdout } = await promisify(execFile)(binary, ['track'], { cwd: dir, env: { PATH: process.env.PATH, HOME: process.env.HOME } });
      expect(stdout).toMatch(/Tracking pass: 2 terms of 2 services/);
      for (const repository of ['snapshots-repo', 'versions-repo']) {
        const repositoryDir = path.join(dir, repository);
        expect(git(repositoryDir, 'ls-files').trim().split('\n')).toEqual(['A fast/Terms of Service.' + (repository === 'versions-repo' ? 'md' : 'html'), 'B slow/Terms of Service.' + (repository === 'versions-repo' ? 'md' : 'html')]);
        expect(git(repositoryDir, 'status', '--porcelain')).toBe('');
        execFileSync('git', ['fsck', '--no-dangling', '--no-progress'], { cwd: repositoryDir }); // throws on corruption
      }
    } finally {
      await slow.close();
      await cleanup();
    }
  }, 90_000);
});
