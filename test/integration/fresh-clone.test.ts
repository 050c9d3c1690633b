// A versions repository as real OTA collections hold them, cloned fresh (no git configuration at all, so
// core.quotePath is at its default), read by every read command and every API route. It holds what broke readers
// on real repositories: non-ASCII service and terms names, OTA's older commit subjects and bodies, a technical
// upgrade committed after a record with a later date, and two versions recorded in the same second.
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { parseFeed } from '@rowanmanning/feed-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli } from '../../src/cli/run.js';
import { loadDeclarations } from '../../src/declarations/index.js';
import { HistoryIndex, loadMetadata, startApiServer } from '../../src/publish/index.js';
import { openVersions } from '../../src/record/index.js';
import { captureIo } from '../helpers/silent.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { readZip } from '../helpers/zip.js';

let dir: string;
let cleanup: () => Promise<void>;
let collection: string;
/** Git with no configuration file of any kind: what a fresh clone on a new machine reads. */
let gitEnvironment: Record<string, string>;

const SNAPSHOT = 'https://github.com/OpenTermsArchive/genai-contrib-snapshots/commit/';
const sha = (n: number): string => String(n).repeat(40).slice(0, 40);

interface Record_ {
  readonly file: string;
  readonly content: string;
  readonly subject: string;
  readonly body: string;
  readonly date: string;
}

/** The history, in commit order, as OTA wrote it over the years. */
const HISTORY: readonly Record_[] = [
  { file: 'DALL·E/Privacy Policy.md', content: '# Privacy\n\nWe keep your prompts.\n', subject: 'Start tracking DALL·E Privacy Policy', body: `This version was recorded after filtering snapshot ${sha(1)}`, date: '2023-01-10T08:00:00Z' },
  { file: 'DALL·E/Privacy Policy.md', content: '# Privacy\n\nWe keep your prompts for 30 days.\n', subject: 'Update DALL·E Privacy Policy', body: `This version was recorded after filtering snapshot ${sha(2)}`, date: '2023-06-01T08:00:00Z' },
  // an engine upgrade re-extracts an earlier snapshot: committed last, dated before the record above
  { file: 'DALL·E/Privacy Policy.md', content: '# Privacy\n\nWe keep your prompts for 30 days.\n\nContact: privacy@example.com\n', subject: 'Refilter DALL·E Privacy Policy', body: `This version was recorded after filtering snapshot ${sha(3)}`, date: '2023-03-01T08:00:00Z' },
  { file: 'Mon espace santé/Terms of Service.md', content: '# Conditions\n\nVos données de santé restent en France.\n', subject: 'First record of Mon espace santé Terms of Service', body: `This version was recorded after extracting from snapshot ${SNAPSHOT}${sha(4)}\n\nX-engine-version: 2.5.0`, date: '2024-05-01T08:00:00Z' },
  // two records of one terms within the same second
  { file: 'Mon espace santé/Terms of Service.md', content: '# Conditions\n\nVos données de santé restent en France, chez un hébergeur certifié.\n', subject: 'Record new changes of Mon espace santé Terms of Service', body: `This version was recorded after extracting from snapshot ${SNAPSHOT}${sha(5)}\n\nX-engine-version: 2.5.0`, date: '2024-06-01T08:00:00.200Z' },
  { file: 'Mon espace santé/Terms of Service.md', content: '# Conditions\n\nVos données de santé restent en France, chez un hébergeur certifié HDS.\n', subject: 'Record new changes of Mon espace santé Terms of Service', body: `This version was recorded after extracting from snapshot ${SNAPSHOT}${sha(6)}\n\nX-engine-version: 2.5.0`, date: '2024-06-01T08:00:00.700Z' },
  // a terms name that is not ASCII either (not an OTA terms type: only the read side meets it)
  { file: 'Mon espace santé/Conditions générales.md', content: 'Texte des conditions générales.\n', subject: 'First record of Mon espace santé Conditions générales', body: `This version was recorded after extracting from snapshot ${SNAPSHOT}${sha(7)}\n\nX-engine-version: 2.5.0`, date: '2024-07-01T08:00:00Z' },
];

function git(cwd: string, args: readonly string[], environment: Record<string, string> = {}): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...gitEnvironment, ...environment } });
}

beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir());
  const home = path.join(dir, 'home');
  await mkdir(home);
  gitEnvironment = { PATH: process.env.PATH ?? '', HOME: home, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', LANG: 'C' };
  const origin = path.join(dir, 'origin');
  await mkdir(origin);
  git(origin, ['init', '-q', '-b', 'main']);
  for (const record of HISTORY) {
    await mkdir(path.join(origin, path.dirname(record.file)), { recursive: true });
    await writeFile(path.join(origin, record.file), record.content);
    git(origin, ['add', '--', record.file]);
    // seconds, as git stores them: the milliseconds only order the records of one second
    const date = `${record.date.slice(0, 19)}Z`;
    const identity = { GIT_AUTHOR_NAME: 'OTA-Bot', GIT_AUTHOR_EMAIL: 'bot@opentermsarchive.org', GIT_COMMITTER_NAME: 'OTA-Bot', GIT_COMMITTER_EMAIL: 'bot@opentermsarchive.org' };
    git(origin, ['commit', '-q', '--no-verify', '-m', record.subject, '-m', record.body, '--', record.file], { ...identity, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
  }
  collection = path.join(dir, 'collection');
  await mkdir(path.join(collection, 'declarations'), { recursive: true });
  git(dir, ['clone', '-q', origin, path.join(collection, 'versions-repo')]);
  // the clone has no setting of its own: paths are printed quoted by default
  expect(git(path.join(collection, 'versions-repo'), ['log', '--name-only', '--format=', '-1', 'HEAD~1'])).toContain('"Mon espace sant\\303\\251/');
  await writeFile(path.join(collection, 'declarations', 'DALL·E.json'), JSON.stringify({ name: 'DALL·E', terms: { 'Privacy Policy': { fetch: 'https://openai.com/policies/privacy-policy', select: 'main' } } }));
  await writeFile(path.join(collection, 'declarations', 'Mon espace santé.json'), JSON.stringify({ name: 'Mon espace santé', terms: { 'Terms of Service': { fetch: 'https://www.monespacesante.fr/cgu', select: 'main' } } }));
  await writeFile(path.join(collection, 'metadata.yml'), 'id: genai-contrib\nname: GenAI Contrib\ntracking_start: 2023-01-10\n');
}, 60_000);
afterAll(() => cleanup());

async function cli(...args: string[]): Promise<{ code: number; output: string; errors: string }> {
  const io = captureIo(collection, { HOME: gitEnvironment.HOME ?? '', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' });
  const code = await runCli(args, io);
  return { code, output: io.written.join('') || io.output.join('\n'), errors: io.errors.join('\n') };
}

describe('a real-shaped versions repository, cloned fresh', { timeout: 30_000 }, () => {
  it('is indexed whole, paths read as they are', async () => {
    const { code, output } = await cli('index');
    expect(code).toBe(0);
    expect(output).toMatch(/\b7 versions\b/);
  });

  it('lists and shows the versions of a non-ASCII service, latest and in force as OTA answers them (commit order)', async () => {
    const history = await cli('history', 'DALL·E', 'Privacy Policy', '--json');
    expect(history.code).toBe(0);
    const versions = history.output.trim().split('\n').map(line => JSON.parse(line) as { id: string; kind: string; subject: string; fetchDate: string });
    // newest first by date; the kinds read from OTA's older subjects
    expect(versions.map(version => [version.kind, version.fetchDate])).toEqual([
      ['change', '2023-06-01T08:00:00.000Z'],
      ['upgrade', '2023-03-01T08:00:00.000Z'],
      ['first', '2023-01-10T08:00:00.000Z'],
    ]);
    // the latest is the file the repository holds: the upgrade, committed last
    expect((await cli('show', 'DALL·E', 'Privacy Policy')).output).toBe(HISTORY[2]?.content);
    // in force after the record of June: still the upgrade (git log -1 --before answers the same)
    expect((await cli('show', 'DALL·E', 'Privacy Policy', '--at', '2023-07-01')).output).toBe(HISTORY[2]?.content);
    expect((await cli('show', 'DALL·E', 'Privacy Policy', '--at', '2023-02-01')).output).toBe(HISTORY[0]?.content);
    const june = versions[0]?.id ?? '';
    expect((await cli('show', 'DALL·E', 'Privacy Policy', '--id', june.slice(0, 8))).output).toBe(HISTORY[1]?.content);
    expect((await cli('show', 'Mon espace santé', 'Conditions générales')).output).toBe(HISTORY[6]?.content);
  });

  it('diffs the latest against the version committed before it, though its date is later', async () => {
    const diff = await cli('diff', 'DALL·E', 'Privacy Policy');
    expect(diff.code).toBe(0);
    expect(diff.output).toContain('+Contact: privacy@example.com');
    const json = await cli('diff', 'Mon espace santé', 'Terms of Service', '--format', 'json');
    expect(json.code).toBe(0);
    // the later of the two versions of the same second, against the earlier one
    expect(json.output).toContain('HDS');
  });

  it('exports a dataset with the right names, one file for the two versions of one second', async () => {
    const { code, output } = await cli('dataset', '--out', 'export.zip', '--include-technical-upgrades');
    expect(code).toBe(0);
    expect(output).toContain('6 versions of 2 services');
    expect(output).toContain('1 version replaced by a later version of the same second');
    const entries = await readZip(path.join(collection, 'export.zip'));
    expect(entries.get('export/Mon espace santé/Terms of Service/2024-06-01T08-00-00Z.md')).toBe(HISTORY[5]?.content);
    expect(entries.get('export/DALL·E/Privacy Policy/2023-03-01T08-00-00Z.md')).toBe(HISTORY[2]?.content);
    expect(entries.get('export/Mon espace santé/Conditions générales/2024-07-01T08-00-00Z.md')).toBe(HISTORY[6]?.content);
  });

  it('writes static feeds whose entries carry the current wording of OTA\'s older subjects', async () => {
    const out = path.join(collection, 'feeds');
    expect((await cli('feeds', '--out', out, '--base-url', 'https://example.org/feeds')).code).toBe(0);
    const feed = parseFeed(await readFile(path.join(out, 'feed', 'DALL·E', 'Privacy Policy.xml'), 'utf8'));
    expect(feed.items.map(item => item.title)).toEqual(['Record new changes of DALL·E Privacy Policy', 'First record of DALL·E Privacy Policy']);
    expect(await readdir(path.join(out, 'feed'))).toEqual(expect.arrayContaining(['DALL·E.xml', 'Mon espace santé.xml']));
    expect(await readdir(path.join(out, 'changes', 'Mon espace santé'))).toEqual(expect.arrayContaining(['Conditions générales', 'Terms of Service']));
  });

  it('answers every API route', async () => {
    const versions = await openVersions({ directory: path.join(collection, 'versions-repo'), environment: gitEnvironment, isReadOnly: true });
    const index = HistoryIndex.open(versions);
    await index.catchUp();
    const { services } = await loadDeclarations(path.join(collection, 'declarations'));
    const server = await startApiServer({ index, versions, services, metadata: await loadMetadata(collection), engineVersion: 'test', host: '127.0.0.1', port: 0 });
    const get = async (route: string): Promise<{ status: number; body: string }> => {
      const response = await fetch(`${server.url}${route}`);
      return { status: response.status, body: await response.text() };
    };
    const enc = encodeURIComponent;
    try {
      expect((await get('/')).status).toBe(200);
      expect((await get('/docs')).status).toBe(200);
      expect(JSON.parse((await get('/metadata')).body)).toMatchObject({ id: 'genai-contrib', tracking_start: '2023-01-10T00:00:00.000Z', totalServices: 2 });
      expect(JSON.parse((await get('/services')).body)).toEqual([
        { id: 'DALL·E', name: 'DALL·E', terms: [{ type: 'Privacy Policy' }] },
        { id: 'Mon espace santé', name: 'Mon espace santé', terms: [{ type: 'Terms of Service' }] },
      ]);
      expect(JSON.parse((await get(`/service/${enc('Mon espace santé')}`)).body)).toMatchObject({ id: 'Mon espace santé' });
      const atDate = JSON.parse((await get(`/version/${enc('DALL·E')}/${enc('Privacy Policy')}/2023-07-01T00:00:00Z`)).body) as { fetchDate: string; content: string };
      expect(atDate).toEqual({ id: expect.any(String) as string, fetchDate: '2023-03-01T08:00:00Z', content: HISTORY[2]?.content });
      const sameSecond = JSON.parse((await get(`/version/${enc('Mon espace santé')}/${enc('Terms of Service')}/2024-06-01T08:00:00Z`)).body) as { content: string };
      expect(sameSecond.content).toBe(HISTORY[5]?.content);
      expect((await get(`/version/${enc('Mon espace santé')}/${enc('Conditions générales')}/2024-08-01T00:00:00Z`)).status).toBe(200);
      const feed = parseFeed((await get(`/feed/${enc('Mon espace santé')}/${enc('Terms of Service')}`)).body);
      expect(feed.items).toHaveLength(3);
      expect((await get(`/feed/${enc('DALL·E')}`)).status).toBe(200);
      expect((await get('/feed')).status).toBe(200);
      const listed = JSON.parse((await get(`/versions/${enc('DALL·E')}/${enc('Privacy Policy')}?technicalUpgrades=true`)).body) as { total: number };
      expect(listed.total).toBe(3);
      const diff = await get(`/diff/${enc('DALL·E')}/${enc('Privacy Policy')}`);
      expect(diff.status).toBe(200);
      expect(diff.body).toContain('+Contact: privacy@example.com');
    } finally {
      await server.close();
      index.close();
      await versions.close();
    }
  });
});
