// `dataset --publish`: a GitHub release made with GitHub's official client (Octokit), a GitLab release made with
// @gitbeaker/rest, and data.gouv.fr's dataset updated, each against a local server that answers the routes its client
// calls as the platform's API answers them.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli } from '../../src/cli/run.js';
import { type DataGouvApi, startDataGouvApi } from '../helpers/datagouv-api.js';
import { type GitHubApi, startGitHubApi } from '../helpers/github-api.js';
import { type GitLabApi, startGitLabApi } from '../helpers/gitlab-api.js';
import { html, startServer, type TestServer } from '../helpers/http-server.js';
import { captureIo } from '../helpers/silent.js';
import { makeTempDir } from '../helpers/temp-dir.js';

let site: TestServer;
let dir: string;
let cleanup: () => Promise<void>;
let github: GitHubApi;
let gitlab: GitLabApi;
let datagouv: DataGouvApi;

beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir());
  site = await startServer();
  site.route('/terms', { body: html('<main><h1>Terms</h1><p>The terms of the service, with words enough to be read as terms.</p></main>') });
  github = await startGitHubApi('acme/terms-versions', 'gh-test-token');
  gitlab = await startGitLabApi('acme/terms-versions', 'gl-test-token');
  datagouv = await startDataGouvApi('acme-org', 'dg-key');
  await mkdir(path.join(dir, 'declarations'));
  await writeFile(path.join(dir, 'declarations', 'Acme.json'), JSON.stringify({ name: 'Acme', terms: { 'Terms of Service': { fetch: site.url('/terms'), select: 'main' } } }));
  await writeFile(path.join(dir, 'metadata.yml'), 'id: demo\nname: Demo Terms\n');
  expect(await runCli(['track'], captureIo(dir))).toBe(0);
});
afterAll(async () => {
  await Promise.all([site.close(), github.close(), gitlab.close(), datagouv.close()]);
  await cleanup();
});

describe('dataset --publish', { timeout: 30_000 }, () => {
  it('makes a GitHub release tagged and titled as OTA\'s, with the ZIP attached', async () => {
    const env = { TERMS_ARCHIVE_GITHUB_REPOSITORY: 'acme/terms-versions', TERMS_ARCHIVE_GITHUB_API_URL: github.url, TERMS_ARCHIVE_GITHUB_TOKEN: 'gh-test-token' };
    const io = captureIo(dir, env);
    expect(await runCli(['dataset', '--out', 'demo-terms-2026-12-01.zip', '--publish'], io)).toBe(0);
    expect(io.output.at(-1)).toBe('Published on GitHub: https://github.example/acme/terms-versions/releases/tag/demo-terms-2026-12-01');
    const [release] = github.releases;
    expect(release).toMatchObject({ tag: 'demo-terms-2026-12-01', name: expect.stringMatching(/^Open Terms Archive — Demo Terms — [A-Z][a-z]+ \d{1,2}, \d{4}$/) as string, body: expect.stringContaining('1 service providers') as string });
    expect(release?.assets.map(asset => [asset.name, asset.contentType])).toEqual([['demo-terms-2026-12-01.zip', 'application/zip']]);
    expect(release?.assets[0]?.bytes.equals(await readFile(path.join(dir, 'demo-terms-2026-12-01.zip')))).toBe(true);
  });

  it('says what is missing, and what the server answered', async () => {
    const missing = captureIo(dir, { TERMS_ARCHIVE_GITHUB_REPOSITORY: 'acme/terms-versions' });
    expect(await runCli(['dataset', '--out', 'x.zip', '--publish'], missing)).toBe(2);
    expect(missing.errors.join('\n')).toContain('--publish: githubRepository is set: put a GitHub token in TERMS_ARCHIVE_GITHUB_TOKEN');
    const nowhere = captureIo(dir);
    expect(await runCli(['dataset', '--out', 'x.zip', '--publish'], nowhere)).toBe(2);
    expect(nowhere.errors.join('\n')).toContain('--publish: set githubRepository ("owner/repo"), gitlabRepository ("group/project"), or datagouvDatasetId / datagouvOrganization');
    const refused = captureIo(dir, { TERMS_ARCHIVE_GITHUB_REPOSITORY: 'acme/terms-versions', TERMS_ARCHIVE_GITHUB_API_URL: github.url, TERMS_ARCHIVE_GITHUB_TOKEN: 'wrong' });
    expect(await runCli(['dataset', '--out', 'y.zip', '--publish'], refused)).toBe(1);
    expect(refused.errors.join('\n')).toContain('The dataset was published nowhere: acme/terms-versions: the dataset was not published as a GitHub release (HTTP 401): Bad credentials');
    expect(refused.errors.join('\n')).not.toContain('wrong');
  });

  it('releases on GitLab and updates the dataset of data.gouv.fr too, and goes on past a platform that fails', async () => {
    const env = {
      TERMS_ARCHIVE_GITLAB_REPOSITORY: 'acme/terms-versions',
      TERMS_ARCHIVE_GITLAB_URL: gitlab.url,
      OTA_ENGINE_GITLAB_RELEASES_TOKEN: 'gl-test-token',
      TERMS_ARCHIVE_DATAGOUV_ORGANIZATION: 'acme-org',
      TERMS_ARCHIVE_DATAGOUV_API_URL: `${datagouv.url}/api/1`,
      OTA_ENGINE_DATAGOUV_API_KEY: 'dg-key',
    };
    const io = captureIo(dir, env);
    expect(await runCli(['dataset', '--out', 'demo-terms-2026-12-02.zip', '--publish'], io)).toBe(0);
    const zip = await readFile(path.join(dir, 'demo-terms-2026-12-02.zip'));
    expect(io.output.slice(-2)).toEqual([`Published on GitLab: ${gitlab.url}/acme/terms-versions/-/releases/demo-terms-2026-12-02`, 'Published on data.gouv.fr: https://www.data.gouv.fr/fr/datasets/ds-1/']);
    const [release] = gitlab.releases;
    expect(release).toMatchObject({ tag: 'demo-terms-2026-12-02', ref: 'main', name: expect.stringMatching(/^Open Terms Archive — Demo Terms — /) as string, description: expect.stringContaining('1 service providers') as string });
    expect(gitlab.packages).toMatchObject([{ id: 1, name: 'Demo-Terms', version: 'demo-terms-2026-12-02', fileName: 'demo-terms-2026-12-02.zip' }]);
    expect(gitlab.packages[0]?.bytes.equals(zip)).toBe(true);
    expect(release?.links).toEqual([{ name: 'demo-terms-2026-12-02.zip', url: `${gitlab.url}/acme/terms-versions/-/package_files/1/download`, linkType: 'package' }]);
    // data.gouv.fr: the organisation's dataset, titled with the collection's name, made once, then updated
    const [dataset] = datagouv.datasets;
    expect(dataset).toMatchObject({ title: 'Demo Terms', organization: 'org-1', metadata: { license: 'odc-odbl', frequency: 'weekly', temporal_coverage: { start: expect.any(String) as string, end: expect.any(String) as string } } });
    expect(dataset?.resources.map(resource => [resource.fileName, resource.metadata.format])).toEqual([['demo-terms-2026-12-02.zip', 'zip']]);
    expect(dataset?.resources[0]?.bytes.equals(zip)).toBe(true);

    // next week: the same dataset's file is replaced; GitLab refuses the token, data.gouv.fr is published all the same
    const next = captureIo(dir, { ...env, OTA_ENGINE_GITLAB_RELEASES_TOKEN: 'expired' });
    expect(await runCli(['dataset', '--out', 'demo-terms-2026-12-09.zip', '--publish'], next)).toBe(1);
    expect(next.output.at(-1)).toBe('Published on data.gouv.fr: https://www.data.gouv.fr/fr/datasets/ds-1/');
    expect(next.errors.join('\n')).toContain('The dataset was not published everywhere: acme/terms-versions: the dataset was not published as a GitLab release (HTTP 401): 401 Unauthorized');
    expect(datagouv.datasets).toHaveLength(1);
    expect(datagouv.datasets[0]?.resources.map(resource => resource.fileName)).toEqual(['demo-terms-2026-12-09.zip']);
  });

  it('with --schedule, makes and publishes a dataset at each tick until stopped', async () => {
    const stop = new AbortController();
    const io = captureIo(dir, { TERMS_ARCHIVE_GITHUB_REPOSITORY: 'acme/terms-versions', TERMS_ARCHIVE_GITHUB_API_URL: github.url, TERMS_ARCHIVE_GITHUB_TOKEN: 'gh-test-token' }, stop.signal);
    const releasesBefore = github.releases.length;
    const running = runCli(['dataset', '--out', 'scheduled.zip', '--publish', '--schedule', '* * * * * *'], io);
    for (let waited = 0; github.releases.length === releasesBefore && waited < 5000; waited += 100) await new Promise(resolve => setTimeout(resolve, 100));
    stop.abort();
    expect(await running).toBe(0);
    expect(io.output[0]).toBe('Datasets on schedule "* * * * * *"; stop with Ctrl-C (SIGINT) or SIGTERM');
    expect(io.output).toContain('Published on GitHub: https://github.example/acme/terms-versions/releases/tag/scheduled');
    expect(github.releases.slice(releasesBefore).map(release => release.tag)).toEqual(['scheduled']);
    expect(await runCli(['dataset', '--schedule', 'every monday'], captureIo(dir))).toBe(2);
  });
});
