// Inaccessible terms reported as GitLab issues with @gitbeaker/rest, against a local server that answers the routes
// it calls as GitLab's API (v4) answers them, holding 150 issues as an OTA collection's project on GitLab would.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli } from '../../src/cli/run.js';
import { issueTitle } from '../../src/publish/index.js';
import { type GitLabApi, startGitLabApi } from '../helpers/gitlab-api.js';
import { html, startServer, type TestServer } from '../helpers/http-server.js';
import { captureIo } from '../helpers/silent.js';
import { makeTempDir } from '../helpers/temp-dir.js';

let site: TestServer;
let dir: string;
let cleanup: () => Promise<void>;
let gitlab: GitLabApi;
let isDown = true;

beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir());
  site = await startServer();
  site.route('/privacy', () => (isDown ? { status: 403 } : { body: html('<main><h1>Privacy</h1><p>The privacy policy of the service, with words enough to be read as terms.</p></main>') }));
  gitlab = await startGitLabApi('acme/legal/declarations', 'gl-token');
  // an OTA collection's project: many issues, among them (on the second page) the closed issue of an earlier failure
  for (let index = 1; index <= 150; index++) {
    const isEarlier = index === 120;
    gitlab.issues.push({ iid: index, title: isEarlier ? issueTitle('Acme', 'Privacy Policy') : `Another issue ${String(index)}`, state: 'closed', description: '', labels: isEarlier ? ['server errored', 'keep-me'] : [], created_at: '2025-01-01T00:00:00Z', notes: [] });
  }
  await mkdir(path.join(dir, 'declarations'));
  await writeFile(path.join(dir, 'declarations', 'Acme.json'), JSON.stringify({ name: 'Acme', terms: { 'Privacy Policy': { fetch: site.url('/privacy'), select: 'main' } } }));
});
afterAll(async () => {
  await Promise.all([site.close(), gitlab.close()]);
  await cleanup();
});

const env = (): Record<string, string> => ({
  TERMS_ARCHIVE_ISSUES_PLATFORM: 'gitlab',
  TERMS_ARCHIVE_GITLAB_URL: gitlab.url,
  TERMS_ARCHIVE_ISSUES_REPOSITORY: 'acme/legal/declarations',
  OTA_ENGINE_GITLAB_TOKEN: 'gl-token',
  TERMS_ARCHIVE_SNAPSHOTS_REMOTE: `${gitlab.url}/acme/legal/snapshots.git`,
  TERMS_ARCHIVE_PUSH_ATTEMPTS: '1',
});

describe('issues for inaccessible terms on GitLab', { timeout: 60_000 }, () => {
  it('finds the issue of an earlier failure, reopens, relabels and comments it, then closes it when tracking resumes', async () => {
    const io = captureIo(dir, env());
    await runCli(['track'], io);
    expect(gitlab.labels.map(label => label.name)).toEqual(expect.arrayContaining(['document access forbidden', '⚠ needs intervention']));
    expect(gitlab.labels.every(label => /^#[0-9A-F]{6}$/.test(label.color) && label.description.endsWith(' - Auto-managed by OTA engine'))).toBe(true);
    const issue = gitlab.issues[119];
    expect(issue).toMatchObject({ iid: 120, state: 'opened', labels: ['document access forbidden', 'keep-me'] });
    expect(issue?.notes[0]).toContain('HTTP code 403');
    expect(issue?.notes[0]).toContain(`(${gitlab.url}/acme/legal/declarations/-/blob/main/declarations/Acme.json)`);
    expect(issue?.notes[0]).toContain(`(${gitlab.url}/acme/legal/snapshots/-/tree/main/Acme)`);
    expect(gitlab.issues).toHaveLength(150);

    // the same failure again: nothing new to say
    await runCli(['track'], captureIo(dir, env()));
    expect(issue?.notes).toHaveLength(1);

    isDown = false;
    await runCli(['track'], captureIo(dir, env()));
    expect(issue?.state).toBe('closed');
    expect(issue?.notes.at(-1)).toBe('**Tracking resumed!** A new version has been recorded.');
  });

  it('opens a new issue with OTA\'s title, and reports a refused token in one line', async () => {
    await writeFile(path.join(dir, 'declarations', 'Beta.json'), JSON.stringify({ name: 'Beta', terms: { 'Terms of Service': { fetch: site.url('/gone'), select: 'main' } } }));
    await runCli(['track'], captureIo(dir, env()));
    expect(gitlab.issues.at(-1)).toMatchObject({ iid: 151, title: '`Beta` ‧ `Terms of Service` ‧ not tracked anymore', state: 'opened', labels: ['document not found', '⚠ needs intervention'] });
    expect(gitlab.issues.at(-1)?.description).toContain('HTTP code 404');

    const refused = captureIo(dir, { ...env(), OTA_ENGINE_GITLAB_TOKEN: 'wrong' });
    await runCli(['track'], refused);
    expect(refused.errors.join('\n')).toMatch(/Issue reporting on acme\/legal\/declarations failed: 401 Unauthorized/);
    expect(refused.errors.join('\n')).not.toContain('wrong');
  });
});
