// `dataset --publish`: a GitHub release made with GitHub's official client (Octokit) against a local server that
// answers the two routes it calls (create a release, upload its asset), as GitHub's API answers them.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli } from '../../src/cli/run.js';
import { type GitHubApi, startGitHubApi } from '../helpers/github-api.js';
import { html, startServer, type TestServer } from '../helpers/http-server.js';
import { captureIo } from '../helpers/silent.js';
import { makeTempDir } from '../helpers/temp-dir.js';

let site: TestServer;
let dir: string;
let cleanup: () => Promise<void>;
let github: GitHubApi;

beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir());
  site = await startServer();
  site.route('/terms', { body: html('<main><h1>Terms</h1><p>The terms of the service, with words enough to be read as terms.</p></main>') });
  github = await startGitHubApi('acme/terms-versions', 'gh-test-token');
  await mkdir(path.join(dir, 'declarations'));
  await writeFile(path.join(dir, 'declarations', 'Acme.json'), JSON.stringify({ name: 'Acme', terms: { 'Terms of Service': { fetch: site.url('/terms'), select: 'main' } } }));
  await writeFile(path.join(dir, 'metadata.yml'), 'id: demo\nname: Demo Terms\n');
  expect(await runCli(['track'], captureIo(dir))).toBe(0);
});
afterAll(async () => {
  await Promise.all([site.close(), github.close()]);
  await cleanup();
});

describe('dataset --publish', { timeout: 30_000 }, () => {
  it('makes a GitHub release tagged and titled as OTA\'s, with the ZIP attached', async () => {
    const env = { TERMS_ARCHIVE_GITHUB_REPOSITORY: 'acme/terms-versions', TERMS_ARCHIVE_GITHUB_API_URL: github.url, TERMS_ARCHIVE_GITHUB_TOKEN: 'gh-test-token' };
    const io = captureIo(dir, env);
    expect(await runCli(['dataset', '--out', 'demo-terms-2026-12-01.zip', '--publish'], io)).toBe(0);
    expect(io.output.at(-1)).toBe('Released on GitHub: https://github.example/acme/terms-versions/releases/tag/demo-terms-2026-12-01');
    const [release] = github.releases;
    expect(release).toMatchObject({ tag: 'demo-terms-2026-12-01', name: expect.stringMatching(/^Open Terms Archive — Demo Terms — [A-Z][a-z]+ \d{1,2}, \d{4}$/) as string, body: expect.stringContaining('1 service providers') as string });
    expect(release?.assets.map(asset => [asset.name, asset.contentType])).toEqual([['demo-terms-2026-12-01.zip', 'application/zip']]);
    expect(release?.assets[0]?.bytes.equals(await readFile(path.join(dir, 'demo-terms-2026-12-01.zip')))).toBe(true);
  });

  it('says what is missing, and what the server answered', async () => {
    const missing = captureIo(dir, { TERMS_ARCHIVE_GITHUB_REPOSITORY: 'acme/terms-versions' });
    expect(await runCli(['dataset', '--out', 'x.zip', '--publish'], missing)).toBe(2);
    expect(missing.errors.join('\n')).toContain('--publish: set githubRepository ("owner/repo") and the token in TERMS_ARCHIVE_GITHUB_TOKEN');
    const refused = captureIo(dir, { TERMS_ARCHIVE_GITHUB_REPOSITORY: 'acme/terms-versions', TERMS_ARCHIVE_GITHUB_API_URL: github.url, TERMS_ARCHIVE_GITHUB_TOKEN: 'wrong' });
    expect(await runCli(['dataset', '--out', 'y.zip', '--publish'], refused)).toBe(1);
    expect(refused.errors.join('\n')).toContain('acme/terms-versions: the dataset was not published as a GitHub release (HTTP 401): Bad credentials');
    expect(refused.errors.join('\n')).not.toContain('wrong');
  });
});
