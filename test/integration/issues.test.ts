// Inaccessible terms reported as GitHub issues with GitHub's official client (Octokit), against a local server that
// answers the routes it calls as GitHub's API answers them, holding issues as an OTA collection's repository would.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli } from '../../src/cli/run.js';
import { issueTitle } from '../../src/publish/index.js';
import { type GitHubApi, startGitHubApi } from '../helpers/github-api.js';
import { html, startServer, type TestServer } from '../helpers/http-server.js';
import { captureIo } from '../helpers/silent.js';
import { makeTempDir } from '../helpers/temp-dir.js';

let site: TestServer;
let dir: string;
let cleanup: () => Promise<void>;
let github: GitHubApi;
let status = { terms: 404, privacy: 403 };

beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir());
  site = await startServer();
  const page = { body: html('<main><h1>Terms</h1><p>The terms of the service, with words enough to be read as terms.</p></main>') };
  site.route('/terms', () => (status.terms === 200 ? page : { status: status.terms }));
  site.route('/privacy', () => (status.privacy === 200 ? page : { status: status.privacy }));
  github = await startGitHubApi('acme/declarations', 'gh-token');
  // an OTA collection's repository: a closed issue of an earlier failure, with a label of the maintainers' own
  github.issues.push({ number: 1, title: issueTitle('Acme', 'Privacy Policy'), state: 'closed', body: 'Earlier failure', labels: [{ name: 'server errored' }, { name: 'keep-me' }], created_at: '2025-01-01T00:00:00Z', comments: [] });
  await mkdir(path.join(dir, 'declarations'));
  await writeFile(path.join(dir, 'declarations', 'Acme.json'), JSON.stringify({ name: 'Acme', terms: { 'Terms of Service': { fetch: site.url('/terms'), select: 'main' }, 'Privacy Policy': { fetch: site.url('/privacy'), select: 'main', remove: '.banner' } } }));
});
afterAll(async () => {
  await Promise.all([site.close(), github.close()]);
  await cleanup();
});

const env = (): Record<string, string> => ({ TERMS_ARCHIVE_ISSUES_REPOSITORY: 'acme/declarations', TERMS_ARCHIVE_GITHUB_API_URL: github.url, TERMS_ARCHIVE_GITHUB_TOKEN: 'gh-token', TERMS_ARCHIVE_SNAPSHOTS_REMOTE: 'git@github.com:acme/snapshots.git', TERMS_ARCHIVE_PUSH_ATTEMPTS: '1', GIT_SSH_COMMAND: 'false' });

describe('issues for inaccessible terms', { timeout: 60_000 }, () => {
  it('opens one per terms with OTA\'s title and labels, reuses a closed one, and closes them when tracking resumes', async () => {
    // the snapshots remote names the repository of the snapshot links; its push goes nowhere (ssh is `false`)
    await runCli(['track'], captureIo(dir, env()));
    expect(github.labels.map(label => label.name)).toEqual(expect.arrayContaining(['document not found', 'document access forbidden', '⚠ needs intervention']));
    expect(github.labels[0]?.description).toMatch(/ - Auto-managed by OTA engine$/);
    const terms = github.issues.find(issue => issue.title === '`Acme` ‧ `Terms of Service` ‧ not tracked anymore');
    expect(terms).toMatchObject({ state: 'open', labels: [{ name: 'document not found' }, { name: '⚠ needs intervention' }] });
    expect(terms?.body).toContain('HTTP code 404');
    expect(terms?.body).toContain(`${site.url('/terms')} — select \`main\``);
    expect(terms?.body).toContain('(https://github.com/acme/declarations/blob/main/declarations/Acme.json)');
    expect(terms?.body).toContain('(https://github.com/acme/snapshots/tree/main/Acme)');
    // the issue of the earlier failure is reopened, relabelled (the maintainers' label kept) and commented
    expect(github.issues[0]).toMatchObject({ number: 1, state: 'open', labels: [{ name: 'document access forbidden' }, { name: 'keep-me' }] });
    expect(github.issues[0]?.comments[0]).toContain('HTTP code 403');
    expect(github.issues).toHaveLength(2);

    // the same failures again: nothing new to say
    const before = { comments: github.issues[0]?.comments.length, count: github.issues.length };
    await runCli(['track'], captureIo(dir, env()));
    expect({ comments: github.issues[0]?.comments.length, count: github.issues.length }).toEqual(before);

    // tracked again: closed, saying so
    status = { terms: 200, privacy: 200 };
    await runCli(['track'], captureIo(dir, env()));
    for (const issue of github.issues) {
      expect(issue.state).toBe('closed');
      expect(issue.comments.at(-1)).toMatch(/^\*\*Tracking resumed!\*\* /);
    }
  });

  it('makes at most reporterMaxCalls API calls a pass, and says what waits', async () => {
    status = { terms: 404, privacy: 403 };
    const io = captureIo(dir, { ...env(), TERMS_ARCHIVE_REPORTER_MAX_CALLS: '3' });
    const callsBefore = github.calls;
    await runCli(['track'], io);
    expect(github.calls - callsBefore).toBeLessThanOrEqual(3 + 2); // the budget, and the reads that list labels and issues
    expect(io.errors.join('\n')).toMatch(/Issue reporting on acme\/declarations: \d+ reports wait for the next run \(at most 3 API calls a run\)/);
  });
});
