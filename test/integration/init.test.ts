// From `init` to a collection tracked, pushed, reported and published: the scaffold, `validate metadata` on it and on
// broken metadata, then declarations tracked from local pages, both repositories pushed to a git server over smart
// HTTP, the inaccessible terms reported as a GitHub issue and the dataset released on GitHub (a local server answering
// the routes GitHub's client calls).
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import { runCli } from '../../src/cli/run.js';
import { bareRepository, type HttpGitServer, startHttpGitServer } from '../helpers/git-servers.js';
import { type GitHubApi, startGitHubApi } from '../helpers/github-api.js';
import { html, startServer, type TestServer } from '../helpers/http-server.js';
import { captureIo } from '../helpers/silent.js';
import { makeTempDir } from '../helpers/temp-dir.js';

let site: TestServer;
let dir: string;
let cleanup: () => Promise<void>;
let httpGit: HttpGitServer;
let github: GitHubApi;

beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir());
  site = await startServer();
  site.route('/terms', { body: html('<main><h1>Terms</h1><p>These are the terms of the service, long enough to be read as such by validation, which wants a page of real words.</p></main>') });
  site.route('/gone', { status: 404 });
  httpGit = await startHttpGitServer(dir, 'token-of-the-bot');
  github = await startGitHubApi('sante/declarations', 'github-token');
});
afterAll(async () => {
  await Promise.all([site.close(), httpGit.close(), github.close()]);
  await cleanup();
});

describe('terms-archive init', { timeout: 60_000 }, () => {
  it('makes a collection that validates, tracks, pushes, reports and publishes', async () => {
    const io = captureIo(dir);
    expect(await runCli(['init', 'Santé Numérique', '--name', 'Santé numérique'], io)).toBe(0);
    const collection = path.join(dir, 'Santé Numérique');
    expect(io.output.filter(line => line.startsWith('created '))).toHaveLength(6);
    const metadata = parse(await readFile(path.join(collection, 'metadata.yml'), 'utf8')) as Record<string, unknown>;
    expect(metadata).toMatchObject({ id: 'sante-numerique', name: 'Santé numérique', languages: ['en'], jurisdictions: ['EU'] });
    const packageJson = JSON.parse(await readFile(path.join(collection, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(packageJson.scripts['validate:modified']).toBe('terms-archive validate --modified');
    expect(await readFile(path.join(collection, '.gitignore'), 'utf8')).toContain('versions-repo/');
    expect(await readFile(path.join(collection, '.github', 'workflows', 'validate.yml'), 'utf8')).toContain('npx terms-archive validate --modified');

    const valid = captureIo(collection);
    expect(await runCli(['validate', 'metadata'], valid)).toBe(0);
    expect(valid.output).toEqual(["✓ metadata.yml: valid against OTA's metadata schema"]);

    // a second init never overwrites
    const again = captureIo(dir);
    expect(await runCli(['init', 'Santé Numérique'], again)).toBe(2);
    expect(again.errors.join('\n')).toContain('already holds declarations, metadata.yml, terms-archive.config.json, package.json: nothing was written');

    await writeFile(path.join(collection, 'declarations', 'Acme.json'), JSON.stringify({ name: 'Acme', terms: { 'Terms of Service': { fetch: site.url('/terms'), select: 'main' } } }));
    expect(await runCli(['validate'], captureIo(collection))).toBe(0);
    bareRepository(path.join(dir, 'sante-snapshots.git'));
    const versions = bareRepository(path.join(dir, 'sante-versions.git'));
    const config = JSON.parse(await readFile(path.join(collection, 'terms-archive.config.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(path.join(collection, 'terms-archive.config.json'), JSON.stringify({ ...config, snapshotsRemote: httpGit.url('sante-snapshots.git'), versionsRemote: httpGit.url('sante-versions.git') }));
    const track = captureIo(collection, { TERMS_ARCHIVE_GIT_TOKEN: 'token-of-the-bot' });
    expect(await runCli(['track'], track)).toBe(0);
    expect(execFileSync('git', ['--git-dir', versions, 'log', '--format=%s', 'main'], { encoding: 'utf8' })).toBe('First record of Acme Terms of Service\n');

    // a terms that cannot be reached is reported on the declarations' repository; the dataset is released
    await writeFile(path.join(collection, 'declarations', 'Acme.json'), JSON.stringify({ name: 'Acme', terms: { 'Terms of Service': { fetch: site.url('/terms'), select: 'main' }, 'Privacy Policy': { fetch: site.url('/gone'), select: 'main' } } }));
    const withGitHub = { TERMS_ARCHIVE_GIT_TOKEN: 'token-of-the-bot', TERMS_ARCHIVE_GITHUB_TOKEN: 'github-token', TERMS_ARCHIVE_GITHUB_API_URL: github.url, TERMS_ARCHIVE_ISSUES_REPOSITORY: 'sante/declarations', TERMS_ARCHIVE_GITHUB_REPOSITORY: 'sante/declarations' };
    expect(await runCli(['track'], captureIo(collection, withGitHub))).toBe(0);
    expect(github.issues.map(issue => [issue.title, issue.state])).toEqual([['`Acme` ‧ `Privacy Policy` ‧ not tracked anymore', 'open']]);
    const published = captureIo(collection, withGitHub);
    expect(await runCli(['dataset', '--out', 'sante-numerique-2026-12-01.zip', '--publish'], published)).toBe(0);
    expect(github.releases.map(release => [release.tag, release.assets.map(asset => asset.name)])).toEqual([['sante-numerique-2026-12-01', ['sante-numerique-2026-12-01.zip']]]);
  });

  it('names each problem of a metadata.yml that OTA would refuse', async () => {
    const collection = path.join(dir, 'broken');
    expect(await runCli(['init', collection], captureIo(dir))).toBe(0);
    await writeFile(
      path.join(collection, 'metadata.yml'),
      'id: broken\nname: Broken\nlanguages: [english]\njurisdictions: [FR, QQ]\nlogo: not a url\ntrackingPeriods:\n  - startDate: 2024-05-01\n    schedule: "30 */12 * * *"\n    serverLocation: Paris\nsponsor: me\n',
    );
    const io = captureIo(collection);
    expect(await runCli(['validate', 'metadata'], io)).toBe(1);
    expect(io.output).toEqual(
      expect.arrayContaining([
        '✗ metadata.yml: "tagline" is required',
        '✗ metadata.yml: unknown key "sponsor" (OTA\'s metadata has no such key)',
        '✗ metadata.yml › languages[0]: must be an ISO 639-1 language code, such as "en" or "fr"',
        '✗ metadata.yml › jurisdictions[1]: must be an ISO 3166 country or subdivision code, such as "FR", "EU" or "US-CA"',
        '✗ metadata.yml › logo: must be an absolute http(s) URL',
      ]),
    );
    expect(io.output.at(-1)).toBe('5 problems in metadata.yml');
    const unknown = captureIo(collection);
    expect(await runCli(['validate', 'everything'], unknown)).toBe(2);
  });
});
