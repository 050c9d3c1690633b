// Every command with bad input, run as a user runs the executable: the exit code, one line on standard error that
// names the problem, no stack trace (unless --debug), and nothing written. Then what users do to output and runs:
// close the pipe early, press Ctrl-C.
import { execFile, spawn } from 'node:child_process';
import { readdir, mkdir, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli } from '../../src/cli/index.js';
import { commitCount } from '../helpers/git.js';
import { html, startServer, type TestServer } from '../helpers/http-server.js';
import { captureIo } from '../helpers/silent.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const binary = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/cli/main.js');
const environment = { PATH: process.env.PATH, HOME: process.env.HOME };

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise(resolve => {
    execFile(process.execPath, [binary, ...args], { cwd, env: { ...environment, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

/** Every file and folder under `dir`, as relative paths. */
async function tree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.map(String).sort();
}

let server: TestServer;
let root: string;
let cleanup: () => Promise<void>;
/** Folders: an empty one, a collection never tracked, and a tracked collection. */
const at = { empty: '', declared: '', tracked: '' };

beforeAll(async () => {
  server = await startServer({ '/tos': { body: html('<main><h1>Terms</h1><p>Be nice.</p></main>') } });
  ({ dir: root, cleanup } = await makeTempDir());
  for (const name of ['empty', 'declared', 'tracked'] as const) {
    at[name] = path.join(root, name);
    await mkdir(at[name]);
  }
  for (const dir of [at.declared, at.tracked]) {
    await mkdir(path.join(dir, 'declarations'));
    await writeFile(path.join(dir, 'declarations', 'Acme.json'), JSON.stringify({ name: 'Acme', terms: { 'Terms of Service': { fetch: server.url('/tos'), select: 'main' } } }));
  }
  expect(await runCli(['track'], captureIo(at.tracked))).toBe(0);
}, 60_000);
afterAll(async () => {
  await server.close();
  await cleanup();
});

const BAD_INPUTS: [folder: keyof typeof at, args: string[], code: number, message: RegExp][] = [
  ['empty', ['-C', 'no/such/folder', 'track'], 2, /^terms-archive: -C: the collection folder .*no\/such\/folder does not exist$/],
  ['empty', ['track'], 2, /^terms-archive: no declarations: .*\/declarations does not exist \(a collection is a folder with declarations\/<Service ID>\.json files/],
  ['empty', ['validate'], 2, /^terms-archive: no declarations: /],
  ['empty', ['lint'], 2, /^terms-archive: no declarations: /],
  ['empty', ['preview', 'Acme'], 2, /^terms-archive: no declarations: /],
  ['empty', ['history', 'Acme'], 2, /^terms-archive: .* is not a collection: it has no versions-repo\/ and no declarations\/ /],
  ['empty', ['serve'], 2, /is not a collection/],
  ['declared', ['history', 'Acme'], 2, /^terms-archive: .*versions-repo is not a versions repository yet: nothing has been tracked into it \(run "terms-archive track" first\)$/],
  ['declared', ['show', 'Acme', 'Terms of Service'], 2, /is not a versions repository yet/],
  ['declared', ['diff', 'Acme', 'Terms of Service'], 2, /is not a versions repository yet/],
  ['declared', ['dataset'], 2, /is not a versions repository yet/],
  ['declared', ['feeds', '--out', 'feeds', '--base-url', 'https://example.org'], 2, /is not a versions repository yet/],
  ['declared', ['index'], 2, /is not a versions repository yet/],
  ['declared', ['track', '--types', 'Terms of Servce'], 2, /^terms-archive: --types: "Terms of Servce" is not a terms type of any declared service \(did you mean "Terms of Service"\?\)$/],
  ['declared', ['track', '--services', 'acme'], 2, /^terms-archive: --services: "acme" is not a declared service \(did you mean "Acme"\?\)$/],
  ['declared', ['validate', '--services', 'Nope'], 2, /^terms-archive: --services: "Nope" is not a declared service$/],
  ['declared', ['track', '--concurrency', '0'], 2, /^terms-archive: option '--concurrency <n>' argument '0' is invalid\. expected a whole number of at least 1 \(see --help\)$/],
  ['declared', ['track', '--concurrency', '1.5'], 2, /expected a whole number of at least 1/],
  ['declared', ['track', '--schedule', 'every day'], 2, /^terms-archive: --schedule: "every day" is not a cron expression/],
  ['declared', ['track', '--bogus'], 2, /^terms-archive: unknown option '--bogus' \(see --help\)$/],
  ['declared', ['nosuch'], 2, /^terms-archive: unknown command 'nosuch' \(see --help\)$/],
  ['declared', ['preview', 'Acme', '--url', 'https://acme.example/', '--select', 'main'], 2, /^terms-archive: preview: give a service ID or --url, not both/],
  ['declared', ['preview', 'Acme', 'Terms of Service', '--select', 'article'], 2, /^terms-archive: --select: only with --url;/],
  ['declared', ['preview', 'Acme', '--against-history', '--html', 'x.html'], 2, /^terms-archive: --html outlines a page as fetched now, and --against-history fetches nothing/],
  ['declared', ['preview', '--url', 'https://acme.example/terms'], 2, /^terms-archive: --url: give --select too/],
  ['declared', ['preview', 'Acme', 'Privacy'], 2, /declares no "Privacy"/],
  ['tracked', ['serve', '--port', '70000'], 2, /^terms-archive: option '--port <port>' argument '70000' is invalid\. expected a whole number from 0 to 65535/],
  ['tracked', ['serve', '--mount', 'api'], 2, /^terms-archive: --mount: "api" is not a path starting with \//],
  ['tracked', ['show', 'Acme', 'Terms of Service', '--at', '2020-01-01', '--id', 'abcdef1'], 2, /cannot be used with option/],
  ['tracked', ['show', 'Acme', 'Terms of Service', '--at', 'yesterday'], 2, /"yesterday" is neither a version id nor an ISO 8601 date/],
  ['tracked', ['diff', 'Acme', 'Terms of Service', '--format', 'pdf'], 2, /argument 'pdf' is invalid/],
  ['tracked', ['feeds', '--out', 'feeds', '--base-url', 'example.org'], 2, /--base-url: "example.org" is not an absolute http\(s\) URL/],
  ['tracked', ['history', 'Nope'], 2, /^terms-archive: no version recorded for Nope$/],
];

describe('bad input', () => {
  it.each(BAD_INPUTS)('in %s: %j exits with %i and says one line', async (folder, args, code, message) => {
    const before = await tree(at[folder]);
    const result = await run(args, at[folder]);
    expect(result.code).toBe(code);
    expect(result.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(message)]);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stdout).toBe('');
    expect(await tree(at[folder])).toEqual(before);
  });

  it('refuses bad settings from the environment and the config file with the place they came from', async () => {
    const fromEnv = await run(['track'], at.declared, { TERMS_ARCHIVE_CONCURRENCY: 'lots' });
    expect([fromEnv.code, fromEnv.stderr.trim()]).toEqual([2, 'terms-archive: TERMS_ARCHIVE_CONCURRENCY: expected a count (a whole number of at least 1), got "lots"']);
    const { dir, cleanup: remove } = await makeTempDir();
    try {
      await mkdir(path.join(dir, 'declarations'));
      await writeFile(path.join(dir, 'terms-archive.config.json'), '{"concurrency": 0}');
      const fromFile = await run(['track'], dir);
      expect([fromFile.code, fromFile.stderr.trim()]).toEqual([2, `terms-archive: ${path.join(dir, 'terms-archive.config.json')} › concurrency: expected a count (a whole number of at least 1), got "0"`]);
      await writeFile(path.join(dir, 'terms-archive.config.json'), '{"concurrency": ');
      expect((await run(['track'], dir)).stderr).toMatch(/^terms-archive: .*terms-archive\.config\.json: not valid JSON: /);
    } finally {
      await remove();
    }
  });

  it('says which port is taken, instead of a stack trace and a process that hangs', async () => {
    const taken = net.createServer();
    await new Promise<void>(resolve => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as net.AddressInfo;
    try {
      const result = await run(['serve', '--port', String(port)], at.tracked);
      expect(result.code).toBe(2);
      expect(result.stderr.trim()).toBe(`terms-archive: serve: port ${port} on 127.0.0.1 is in use: give another with --port (0 picks a free one)`);
    } finally {
      taken.close();
    }
  });

  it('prints the stack of an unexpected error only with --debug', async () => {
    const { dir, cleanup: remove } = await makeTempDir();
    try {
      await mkdir(path.join(dir, 'declarations'));
      await writeFile(path.join(dir, 'declarations', 'Acme.json'), JSON.stringify({ name: 'Acme', terms: { 'Terms of Service': { fetch: server.url('/tos'), select: 'main' } } }));
      await writeFile(path.join(dir, 'snapshots-repo'), 'a file where the repository should be');
      const plain = await run(['track'], dir);
      expect(plain.code).toBe(1);
      expect(plain.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^terms-archive: unexpected error: .*\(run again with --debug for the details\)$/)]);
      const debug = await run(['track', '--debug'], dir);
      expect(debug.code).toBe(1);
      expect(debug.stderr).toMatch(/^\s+at /m);
    } finally {
      await remove();
    }
  });

  it('exits with 1 when a tracking pass reached none of its terms', async () => {
    const { dir, cleanup: remove } = await makeTempDir();
    try {
      await mkdir(path.join(dir, 'declarations'));
      await writeFile(path.join(dir, 'declarations', 'Gone.json'), JSON.stringify({ name: 'Gone', terms: { 'Terms of Service': { fetch: server.url('/gone'), select: 'main' } } }));
      const result = await run(['track'], dir);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/Tracking pass: 1 terms of 1 service, 0 snapshots and 0 versions recorded, 1 inaccessible/);
    } finally {
      await remove();
    }
  });
});

describe('a reader that goes away', () => {
  /** Runs the command, reads its first line, then closes the pipe; resolves with the exit code and standard error. */
  function readFirstLine(args: readonly string[], cwd: string): Promise<{ code: number | null; firstLine: string; stderr: string }> {
    return new Promise(resolve => {
      const child = spawn(process.execPath, [binary, ...args], { cwd, env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
      let firstLine = '';
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.stdout.on('data', (chunk: Buffer) => {
        if (firstLine !== '') return;
        firstLine = chunk.toString().split('\n')[0] ?? '';
        child.stdout.destroy(); // what `| head -1` does
      });
      child.on('close', code => { resolve({ code, firstLine, stderr }); });
    });
  }

  it('ends the output of history, diff and show quietly', async () => {
    for (const args of [['history', 'Acme'], ['diff', 'Acme', 'Terms of Service'], ['show', 'Acme', 'Terms of Service']]) {
      const result = await readFirstLine(args, at.tracked);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.firstLine).not.toBe('');
    }
  });

  it('never aborts a tracking pass: the records are made, the exit code is the pass\'s', async () => {
    const { dir, cleanup: remove } = await makeTempDir();
    try {
      await mkdir(path.join(dir, 'declarations'));
      for (const name of ['One', 'Two', 'Three']) {
        server.route(`/${name}`, { body: html(`<main><h1>${name}</h1><p>Terms of ${name}.</p></main>`) });
        await writeFile(path.join(dir, 'declarations', `${name}.json`), JSON.stringify({ name, terms: { 'Terms of Service': { fetch: server.url(`/${name}`), select: 'main' } } }));
      }
      const result = await readFirstLine(['track', '--json'], dir);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(JSON.parse(result.firstLine)).toMatchObject({ event: 'trackingStarted' });
      expect(commitCount(path.join(dir, 'versions-repo'))).toBe(3);
    } finally {
      await remove();
    }
  });
});

describe('Ctrl-C during a pass', () => {
  it('starts none of the terms waiting for the same slow host, leaves the one it could not confirm for the next pass, and exits', async () => {
    const { dir, cleanup: remove } = await makeTempDir();
    let release: (() => void) | undefined;
    const held = new Promise<void>(resolve => (release = resolve));
    try {
      await mkdir(path.join(dir, 'declarations'));
      for (let index = 0; index < 5; index++) {
        server.route(`/slow/${String(index)}`, { until: held, body: html(`<main><p>Slow ${String(index)}</p></main>`) });
        await writeFile(path.join(dir, 'declarations', `Slow ${String(index)}.json`), JSON.stringify({ name: `Slow ${String(index)}`, terms: { 'Terms of Service': { fetch: server.url(`/slow/${String(index)}`), select: 'main' } } }));
      }
      const child = spawn(process.execPath, [binary, 'track'], { cwd: dir, env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const closed = new Promise<number | null>(resolve => child.on('close', resolve));
      const hits = (): number => [0, 1, 2, 3, 4].reduce((sum, index) => sum + server.hits(`/slow/${String(index)}`), 0);
      while (hits() === 0) await new Promise(resolve => setTimeout(resolve, 20)); // polls the server, asserts no timing
      child.kill('SIGINT');
      while (!stderr.includes('Stopping')) await new Promise(resolve => setTimeout(resolve, 20));
      release?.();
      expect(await closed).toBe(0);
      expect(hits()).toBe(1);
      expect(stderr).toContain('Stopping: the terms in progress finish, no new ones start');
      // the first terms was fetched once: its confirming fetch would be a new request, so nothing of it is recorded
      expect(stdout).toMatch(/Tracking pass: 5 terms of 5 services, 0 snapshots and 0 versions recorded, 0 inaccessible, 5 left for the next pass \(stopped\)/);
      expect(commitCount(path.join(dir, 'versions-repo'))).toBe(0);
    } finally {
      release?.();
      await remove();
    }
  }, 30_000);
});
