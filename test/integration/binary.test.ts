// The built executable, run as a user runs it (its shebang line included): it must accept the large response
// headers real sites send (OTA runs node with --max-http-header-size=32768; Node's default is 16 KiB).
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { commitCount } from '../helpers/git.js';
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
      expect(stdout).toMatch(/Tracking pass: 1 terms of 1 services, 1 snapshots and 1 versions recorded, 0 inaccessible/);
      expect(commitCount(path.join(dir, 'versions-repo'))).toBe(1);
    } finally {
      await cleanup();
    }
  }, 60_000);
});
