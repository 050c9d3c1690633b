// `verify` through the command line: versions tracked from a local server are reproduced byte for byte from their
// snapshots; a version whose rules changed without a history entry, whose snapshot a skip rule now refuses, or whose
// text was altered by hand, is reported with the reason its provenance trailers give.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { runCli } from '../../src/cli/run.js';
import { git } from '../helpers/git.js';
import { html, startServer, type TestServer } from '../helpers/http-server.js';
import { captureIo } from '../helpers/silent.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const page = (clause: string): string =>
  html(`<header>Acme</header><main><h1>Terms</h1><p>These terms govern the use of the service; ${clause}</p><p class="meta">Build 7</p></main>`);

let server: TestServer;
let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());
beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
  await mkdir(path.join(dir, 'declarations'));
  await declare({ select: 'main' });
});
afterEach(() => cleanup());

function declare(rules: Record<string, unknown>): Promise<void> {
  const terms = { 'Terms of Service': { fetch: server.url('/terms'), ...rules }, 'Privacy Policy': { fetch: server.url('/privacy'), select: 'main' } };
  return writeFile(path.join(dir, 'declarations', 'Acme.json'), JSON.stringify({ name: 'Acme', terms }));
}

async function cli(...args: string[]): Promise<{ code: number; output: string[] }> {
  const io = captureIo(dir);
  const code = await runCli(args, io);
  return { code, output: [...io.output, ...io.errors] };
}

const versionsDir = (): string => path.join(dir, 'versions-repo');

async function trackTwoChanges(): Promise<void> {
  server.route('/privacy', { body: page('we keep your data for a year.') });
  server.route('/terms', { body: page('you may cancel at any time.') });
  await cli('track');
  server.route('/terms', { body: page('you may cancel within thirty days.') });
  await cli('track');
}

describe('terms-archive verify', { timeout: 30_000 }, () => {
  it('reproduces every tracked version byte for byte, whose commits carry their provenance', async () => {
    await trackTwoChanges();
    const body = git(versionsDir(), 'log', '-1', '--format=%b', '--', 'Acme/Terms of Service.md');
    expect(body).toMatch(/X-engine-version: .+\nX-declaration-digest: [0-9a-f]{16}\nX-extraction-version: 2\n/);
    const run = await cli('verify');
    expect(run.code).toBe(0);
    expect(run.output).toEqual(['3 versions checked: 3 reproduced byte for byte, 0 not reproduced, 0 could not be checked']);
  });

  it('says when the rules in force then were changed without a history entry', async () => {
    await trackTwoChanges();
    await declare({ select: 'main', remove: '.meta' });
    const run = await cli('verify', '--types', 'Terms of Service');
    expect(run.code).toBe(1);
    expect(run.output.at(-1)).toBe('2 versions checked: 0 reproduced byte for byte, 2 not reproduced, 0 could not be checked');
    expect(run.output[0]).toMatch(/^NOT REPRODUCED {2}Acme · Terms of Service {2}[0-9a-f]{10} \(.+\): the rules in force at .+ were changed since it was recorded \(declaration digest [0-9a-f]{16} then, [0-9a-f]{16} now: a declaration edited without a history entry\); line \d+ is .+ in the version, .+ extracted now$/);
  });

  it('says when a skip rule now refuses the snapshot a version came from', async () => {
    await trackTwoChanges();
    await declare({ select: 'main', skipContent: { main: 'thirty days' } });
    const run = await cli('verify', '--types', 'Terms of Service');
    expect(run.output).toContainEqual(expect.stringMatching(/is not the terms, as the declaration now says \(skipContent "main" holds "thirty days"\): this version should not exist$/));
    expect(run.output.at(-1)).toBe('2 versions checked: 1 reproduced byte for byte, 1 not reproduced, 0 could not be checked');
  });

  it('finds a version whose text was altered by hand, its rules and code unchanged', async () => {
    await trackTwoChanges();
    const file = path.join(versionsDir(), 'Acme', 'Terms of Service.md');
    await writeFile(file, (await readFile(file, 'utf8')).replace('thirty', 'ninety'));
    // the same message and trailers as the real record: only the text differs
    const message = git(versionsDir(), 'log', '-1', '--format=%B', '--', 'Acme/Terms of Service.md');
    git(versionsDir(), '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qam', message.trim());
    const run = await cli('verify', '--services', 'Acme', '--types', 'Terms of Service');
    expect(run.code).toBe(1);
    expect(run.output).toContainEqual(expect.stringMatching(/same rules and extraction code, other Markdown; line 4 is "These terms govern the use of the service; you may cancel within ninety days\." in the version, "These terms govern the use of the service; you may cancel within thirty days\." extracted now$/));
  });
});
