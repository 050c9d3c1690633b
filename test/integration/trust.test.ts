// What tracking records, holds or reports when a service serves something other than its terms, through the
// command line against a local server: a bot wall whose markup matches the selectors, a placeholder, a truncated
// page, a layout that flips back, a switch of language; and the operator's quarantine commands.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { runCli } from '../../src/cli/run.js';
import { commitCount, git } from '../helpers/git.js';
import { html, startServer, type TestServer } from '../helpers/http-server.js';
import { captureIo } from '../helpers/silent.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const ENGLISH = [
  'These terms govern your use of the Acme service and of every application that Acme publishes for it.',
  'By creating an account you agree to these terms. If you do not agree with them, you must not use the service.',
  'We may suspend an account that breaks these terms, after telling its owner why and giving them a chance to answer.',
  'You keep the rights to what you publish. You give us the licence we need to host it and show it to those you choose.',
  'These terms are governed by the law of the country where you live, and its courts can hear any dispute about them.',
];
const ENGLISH_AMENDED = [...ENGLISH.slice(0, 4), 'These terms are governed by the law of Ireland, and only the courts of Dublin can hear a dispute about them.'];
const FRENCH = [
  "Les présentes conditions régissent l'utilisation du service Acme et de toutes les applications qu'Acme publie pour lui.",
  "En créant un compte, vous acceptez ces conditions. Si vous ne les acceptez pas, vous ne devez pas utiliser le service.",
  "Nous pouvons suspendre un compte qui enfreint ces conditions, après avoir dit pourquoi à son titulaire et l'avoir entendu.",
  'Vous gardez les droits sur ce que vous publiez. Vous nous donnez la licence nécessaire pour l’héberger et le montrer.',
  'Ces conditions sont régies par la loi du pays où vous vivez, dont les tribunaux peuvent connaître de tout litige.',
];

/** A terms page: a site's header and footer around the terms, all in the selected <main>. */
const termsPage = (paragraphs: readonly string[], title = 'Terms of Service'): string =>
  html(`<header><a href="/">Acme</a></header><main><h1>${title}</h1>${paragraphs.map(text => `<p>${text}</p>`).join('')}</main><footer>© Acme</footer>`);
/** A bot wall as CDNs serve them with 200: the site's layout kept, so the selectors still match. */
const BOT_WALL = html('<header><a href="/">Acme</a></header><main><h1>Just a moment...</h1><p>Checking your browser before accessing acme.example.</p></main>');

let server: TestServer;
let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());
beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
  const declaration = { name: 'Acme', terms: { 'Terms of Service': { fetch: server.url('/terms'), select: 'main' } } };
  await mkdir(path.join(dir, 'declarations'));
  await writeFile(path.join(dir, 'declarations', 'Acme.json'), JSON.stringify(declaration));
});
afterEach(() => cleanup());

const versionsDir = (): string => path.join(dir, 'versions-repo');
const latestText = (): Promise<string> => readFile(path.join(versionsDir(), 'Acme', 'Terms of Service.md'), 'utf8');

/** Runs the command line in the collection; its exit code, what it printed, and the requests the page received. */
async function cli(...args: string[]): Promise<{ code: number; output: string[]; errors: string[]; hits: number }> {
  const before = server.hits('/terms');
  const io = captureIo(dir);
  const code = await runCli(args, io);
  return { code, output: io.output, errors: io.errors, hits: server.hits('/terms') - before };
}

/** Serves `first` on the first request of each run, then `then`. */
function serveOnceThen(first: string, then: string): void {
  let isFirst = true;
  server.route('/terms', () => {
    const body = isFirst ? first : then;
    isFirst = false;
    return { body };
  });
}

async function heldIds(): Promise<string[]> {
  const names = await readdir(path.join(dir, 'quarantine')).catch(() => []);
  return names.map(name => name.replace(/\.json$/, ''));
}

describe('transient pages', { timeout: 30_000 }, () => {
  it('records nothing for a bot wall with matching selectors served once: the next fetch does not confirm it', async () => {
    server.route('/terms', { body: termsPage(ENGLISH) });
    expect((await cli('track')).code).toBe(0);
    serveOnceThen(BOT_WALL, termsPage(ENGLISH));
    const run = await cli('track');
    expect(run.code).toBe(0);
    expect(run.output.at(-1)).toMatch(/0 versions recorded, 1 change seen once and not confirmed, 0 inaccessible/);
    expect(commitCount(versionsDir())).toBe(1);
    expect(await heldIds()).toEqual([]);
  });

  it('records nothing for a truncated page served once, and records a real change once confirmed', async () => {
    server.route('/terms', { body: termsPage(ENGLISH) });
    await cli('track');
    const whole = termsPage(ENGLISH_AMENDED);
    serveOnceThen(whole.slice(0, Math.floor(whole.length * 0.4)), termsPage(ENGLISH));
    expect((await cli('track')).output.at(-1)).toMatch(/0 versions recorded, 1 change seen once and not confirmed/);
    server.route('/terms', { body: whole });
    const run = await cli('track');
    expect(run.output.at(-1)).toMatch(/1 version recorded, 0 inaccessible/);
    expect(run.hits).toBe(2);
    expect(await latestText()).toContain('courts of Dublin');
  });
});

describe('suspect content that lasts', { timeout: 30_000 }, () => {
  it('holds a lasting bot wall instead of recording it, reports it, and holds it again on the next run without confirming it twice', async () => {
    server.route('/terms', { body: termsPage(ENGLISH) });
    await cli('track');
    server.route('/terms', { body: BOT_WALL });
    const run = await cli('track');
    expect(run.code).toBe(1);
    expect(run.output.at(-1)).toMatch(/0 versions recorded, 0 inaccessible, 1 held in quarantine/);
    const [id] = await heldIds();
    expect(id).toMatch(/^[0-9a-f]{12}$/);
    expect([...run.output, ...run.errors].join('\n')).toContain(`A change was confirmed but not recorded: the text reads like a bot wall ("Checking your browser" in 87 characters)`);
    expect(commitCount(versionsDir())).toBe(1);
    expect(await latestText()).toContain('These terms govern');

    const again = await cli('track');
    expect(again.hits).toBe(1);
    expect(await heldIds()).toEqual([id]);
    // what was fetched stays in the quarantine: a snapshot of the wall in the repository would be re-extracted by the
    // next technical upgrade (ours, or OTA's) into the very version held back
    expect(commitCount(path.join(dir, 'snapshots-repo'))).toBe(1);
    expect(commitCount(versionsDir())).toBe(1);
    const list = await cli('quarantine', 'list');
    expect(list.output[1]).toMatch(new RegExp(`^${id!}  Acme +Terms of Service +\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z +seen 2× +wall, shrink$`));

    const show = await cli('quarantine', 'show', id!);
    expect(show.output.join('\n')).toContain('held (shrink): the text shrank to');
    expect(show.output.join('\n')).toContain('-These terms govern your use');
    expect(show.output.join('\n')).toContain('+Checking your browser before accessing acme.example.');

    const discard = await cli('quarantine', 'discard', id!);
    expect(discard.output[0]).toMatch(new RegExp(`^Discarded ${id!} \\(Acme Terms of Service\\)`));
    expect((await cli('quarantine')).output).toEqual([`Nothing is held in ${path.join(dir, 'quarantine')}.`]);
    expect(commitCount(versionsDir())).toBe(1);
  });

  it('holds a lasting placeholder and a lasting truncation for their shrink', async () => {
    server.route('/terms', { body: termsPage(ENGLISH) });
    await cli('track');
    server.route('/terms', { body: html('<header>Acme</header><main><p>Loading…</p></main>') });
    await cli('track');
    const whole = termsPage(ENGLISH);
    server.route('/terms', { body: whole.slice(0, Math.floor(whole.length * 0.4)) });
    await cli('track');
    const list = (await cli('quarantine', 'list')).output;
    expect(list.slice(1, 3).map(line => line.replace(/.* seen \d× +/, ''))).toEqual(['wall, shrink', 'shrink']);
    expect(commitCount(versionsDir())).toBe(1);
  });

  it('holds a first record that reads like a wall: no version is recorded for it', async () => {
    server.route('/terms', { body: BOT_WALL });
    const run = await cli('track');
    expect(run.code).toBe(1);
    expect(commitCount(versionsDir())).toBe(0);
    expect((await cli('quarantine')).output[1]).toMatch(/seen 1× +wall$/);
  });

  it('holds a layout that flips back to an earlier text, and records a real change that lasts', async () => {
    server.route('/terms', { body: termsPage(ENGLISH) });
    await cli('track');
    server.route('/terms', { body: termsPage(ENGLISH_AMENDED, 'Terms of service') });
    expect((await cli('track')).output.at(-1)).toMatch(/1 version recorded/);
    server.route('/terms', { body: termsPage(ENGLISH) });
    const run = await cli('track');
    expect(run.output.at(-1)).toMatch(/0 versions recorded, 0 inaccessible, 1 held in quarantine/);
    expect([...run.output, ...run.errors].join('\n')).toMatch(/the text is the one of version [0-9a-f]{40} of [\d-]+T[\d:.]+Z, replaced since: the page flips between two texts/);
    expect(commitCount(versionsDir())).toBe(2);
  });

  it('holds a switch of language, and records it dated at its fetch once released', async () => {
    server.route('/terms', { body: termsPage(ENGLISH) });
    await cli('track');
    server.route('/terms', { body: termsPage(FRENCH, "Conditions d'utilisation") });
    const run = await cli('track');
    expect([...run.output, ...run.errors].join('\n')).toContain('the text is in French (fra), the latest version in English (eng)');
    const [id] = await heldIds();
    const held = JSON.parse(await readFile(path.join(dir, 'quarantine', `${id!}.json`), 'utf8')) as { fetchDate: string };

    const release = await cli('quarantine', 'release', id!);
    expect(release.code).toBe(0);
    expect(release.output[0]).toMatch(new RegExp(`^Released ${id!}: recorded as version [0-9a-f]{40} of Acme Terms of Service, dated ${held.fetchDate}$`));
    expect(await latestText()).toContain('Les présentes conditions');
    expect(git(path.join(dir, 'snapshots-repo'), 'log', '-1', '--format=%aI').trim()).toBe(git(versionsDir(), 'log', '-1', '--format=%aI').trim());
    expect(commitCount(path.join(dir, 'snapshots-repo'))).toBe(2);
    expect(git(versionsDir(), 'log', '-1', '--format=%aI %s').trim()).toBe(`${held.fetchDate.replace(/\.\d+Z$/, 'Z').replace('Z', '+00:00')} Record new changes of Acme Terms of Service`);
    expect(await heldIds()).toEqual([]);
    // the released text is now the latest: the next run records nothing and holds nothing
    expect((await cli('track')).output.at(-1)).toMatch(/0 versions recorded, 0 inaccessible, in/);
  });

  it('refuses to release a held change older than the latest version, and to show what is not held', async () => {
    server.route('/terms', { body: termsPage(ENGLISH) });
    await cli('track');
    server.route('/terms', { body: BOT_WALL });
    await cli('track');
    server.route('/terms', { body: termsPage(ENGLISH_AMENDED) });
    await cli('track');
    const [id] = await heldIds();
    const release = await cli('quarantine', 'release', id!);
    expect(release.code).toBe(2);
    expect(release.errors[0]).toMatch(/released, it would break the order of the history\. Discard it, or rebuild the versions from the snapshots$/);
    const show = await cli('quarantine', 'show', 'abcdef123456');
    expect(show.code).toBe(2);
    expect(show.errors).toEqual([`terms-archive: nothing is held as "abcdef123456" in ${path.join(dir, 'quarantine')} (see "terms-archive quarantine list")`]);
  });

  it('records what the rules would hold when they are turned off', async () => {
    server.route('/terms', { body: termsPage(ENGLISH) });
    await cli('track');
    server.route('/terms', { body: BOT_WALL });
    const io = captureIo(dir, { TERMS_ARCHIVE_HOLD_WALLS: 'false', TERMS_ARCHIVE_HOLD_SHRINK_BELOW_PERCENT: '0' });
    expect(await runCli(['track'], io)).toBe(0);
    expect(await latestText()).toContain('Checking your browser');
  });
});

describe('skip rules', { timeout: 30_000 }, () => {
  it('neither records nor extracts a page its declaration says is not the terms, and reports it with the rule', async () => {
    const declaration = { name: 'Acme', terms: { 'Terms of Service': { fetch: server.url('/terms'), select: 'main', skipContent: { 'main h1': 'Just a moment' } } } };
    await writeFile(path.join(dir, 'declarations', 'Acme.json'), JSON.stringify(declaration));
    server.route('/terms', { body: termsPage(ENGLISH) });
    await cli('track');
    server.route('/terms', { body: BOT_WALL });
    const run = await cli('track');
    expect(run.code).toBe(1);
    expect(run.errors.join('\n')).toContain(`The page at '${server.url('/terms')}' is not the terms, as the declaration says: skipContent "main h1" holds "Just a moment"`);
    // tried again at the end of the pass (a wall may go), and nothing of it kept: no snapshot, no version, nothing held
    expect(run.hits).toBe(2);
    expect(commitCount(path.join(dir, 'snapshots-repo'))).toBe(1);
    expect(commitCount(versionsDir())).toBe(1);
    expect(await heldIds()).toEqual([]);
  });
});
