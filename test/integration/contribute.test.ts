import { existsSync } from 'node:fs';
// validate, lint and preview through the command line, against pages served on 127.0.0.1.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { runCli } from '../../src/cli/run.js';
import { git } from '../helpers/git.js';
import { html, startServer, type TestServer } from '../helpers/http-server.js';
import { captureIo } from '../helpers/silent.js';
import { makeTempDir } from '../helpers/temp-dir.js';

let server: TestServer;
let dir: string;
let cleanup: () => Promise<void>;

const CLAUSES = 'These terms govern your use of the service. You agree to follow them, and we agree to keep them public. ';
const termsPage = (extra = ''): string =>
  html(`<nav>Menu</nav><main><h1>Terms</h1><p>${CLAUSES}<a href="/privacy">Privacy</a></p><div class="ads">Buy</div>${extra}</main><footer>f</footer>`);

beforeAll(async () => {
  server = await startServer();
  server.route('/terms', { body: termsPage() });
  server.route('/short', { body: html('<main><p>Tiny.</p></main>') });
  // a build token inside the selected text: different on every request
  server.route('/noisy', (_request, count) => ({ body: termsPage(`<p class="build">Build ${count}</p>`) }));
});
afterAll(() => server.close());
beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
  await mkdir(path.join(dir, 'declarations'));
});
afterEach(() => cleanup());

const declare = (id: string, terms: Record<string, unknown>): Promise<void> =>
  writeFile(path.join(dir, 'declarations', `${id}.json`), `${JSON.stringify({ name: id, terms }, null, 2)}\n`);

describe('terms-archive validate', () => {
  it('passes a good declaration, showing what each selector matched', async () => {
    await declare('Good', { 'Terms of Service': { fetch: server.url('/terms'), select: 'main', remove: '.ads' } });
    const io = captureIo(dir);
    expect(await runCli(['validate'], io)).toBe(0);
    expect(io.output.join('\n')).toMatch(/✓ Good · Terms of Service\n {4}http:\/\/127\.0\.0\.1:\d+\/terms {2}\(\d+ characters; select main: 1; remove \.ads: 1\)/);
    expect(io.output.join('\n').split('\n').at(-1)).toBe('1 service checked, 1 terms fetched: 0 errors, 0 warnings');
  });

  it('fails on a selector that matches nothing, on too little text, and on noise, with the differing lines', async () => {
    await declare('Broken', {
      'Terms of Service': { fetch: server.url('/terms'), select: 'article', remove: '.gone' },
      'Privacy Policy': { fetch: server.url('/short'), select: 'main' },
      'Imprint': { fetch: server.url('/noisy'), select: 'main' },
    });
    const io = captureIo(dir);
    expect(await runCli(['validate'], io)).toBe(1);
    const output = io.output.join('\n');
    expect(output).toContain('✗ "select" article matched nothing');
    expect(output).toContain('! "remove" .gone matched nothing');
    expect(output).toMatch(/✗ only \d+ characters extracted \(more than 100 expected\)/);
    expect(output).toContain('two fetches gave different Markdown');
    expect(output).toMatch(/- Build \d+\n\s+\+ Build \d+/);
  });

  it('reports schema errors with a hint, fetches nothing with --schema-only, and prints JSON for CI', async () => {
    await declare('Typo', { 'Terms of Service': { fetch: server.url('/terms'), selector: 'main' } });
    const io = captureIo(dir);
    expect(await runCli(['validate', '--schema-only'], io)).toBe(1);
    expect(io.output.join('\n')).toContain('✗ error  declarations/Typo.json › terms["Terms of Service"]: unknown key "selector"\n    hint: check the spelling');
    const hits = server.hits('/terms');
    const json = captureIo(dir);
    expect(await runCli(['validate', '--json'], json)).toBe(1);
    const report = JSON.parse(json.output.join('\n')) as { errors: number; findings: { file: string; path: string }[] };
    expect(report.findings).toContainEqual(expect.objectContaining({ file: 'declarations/Typo.json', path: 'terms["Terms of Service"]' }));
    expect(server.hits('/terms')).toBe(hits); // a broken declaration is not fetched
  });

  it('checks only the services changed since a git base with --modified', async () => {
    await declare('Old', { 'Terms of Service': { fetch: server.url('/terms'), select: 'main' } });
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, '-c', 'user.name=t', '-c', 'user.email=t@t', 'add', '.');
    git(dir, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'base');
    git(dir, 'checkout', '-qb', 'feature');
    await declare('New', { 'Terms of Service': { fetch: server.url('/terms'), select: 'main' } });
    const io = captureIo(dir);
    expect(await runCli(['validate', '--schema-only', '--modified', 'main'], io)).toBe(0);
    expect(io.output.join('\n').split('\n').at(-1)).toBe('1 service checked: 0 errors, 0 warnings');
    const none = captureIo(dir);
    expect(await runCli(['validate', '--modified'], none)).toBe(2); // no upstream branch: a usage error that says so
    expect(none.errors.join('\n')).toContain('this branch has no upstream');
  });

  it('says which filters a branch changes, and checks them without running a line of them', async () => {
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '--allow-empty', '-m', 'base');
    git(dir, 'checkout', '-qb', 'feature');
    const marker = path.join(dir, 'ran');
    await declare('Filtered', { 'Terms of Service': { fetch: server.url('/terms'), select: 'main', filter: ['clean', 'missing'] } });
    await writeFile(
      path.join(dir, 'declarations', 'Filtered.filters.js'),
      `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'imported');\nexport function clean() { writeFileSync(${JSON.stringify(marker)}, 'run'); }\n`,
    );
    const io = captureIo(dir);
    expect(await runCli(['validate', '--schema-only', '--modified', 'main'], io)).toBe(0);
    expect(io.output[0]).toBe('! review   declarations/Filtered.filters.js changed: filters are code that tracking runs with its rights; read it before merging');
    expect(io.output.join('\n')).toContain('unknown filter "missing"');
    expect(io.output.join('\n')).not.toContain('unknown filter "clean"');
    expect(existsSync(marker)).toBe(false);
    const json = captureIo(dir);
    expect(await runCli(['validate', '--schema-only', '--modified', 'main', '--json'], json)).toBe(0);
    expect((JSON.parse(json.output.join('\n')) as { changedFilters: string[] }).changedFilters).toEqual(['Filtered.filters.js']);
    expect(existsSync(marker)).toBe(false);
  });
});

describe('a broken history entry', () => {
  it('fails validate, but never stops tracking the current declaration', async () => {
    await declare('Acme', { 'Terms of Service': { fetch: server.url('/terms'), select: 'main' } });
    await writeFile(
      path.join(dir, 'declarations', 'Acme.history.json'),
      JSON.stringify({ 'Terms of Service': [{ fetch: server.url('/terms'), select: 'article', ValidUntil: '2025-01-01T00:00:00Z' }] }),
    );
    const validate = captureIo(dir);
    expect(await runCli(['validate', '--schema-only'], validate)).toBe(1);
    expect(validate.output.join('\n')).toContain('✗ error  declarations/Acme.history.json › ["Terms of Service"][0]: unknown key "ValidUntil" (this history entry is left out: the current declaration is still tracked)');
    const track = captureIo(dir);
    expect(await runCli(['track'], track)).toBe(0);
    expect(track.errors).toContain('Declaration warning: declarations/Acme.history.json › ["Terms of Service"][0]: unknown key "ValidUntil" (this history entry is left out: the current declaration is still tracked)');
    expect(track.output.at(-1)).toMatch(/1 snapshot and 1 version recorded, 0 inaccessible/);
  });
});

describe('skip rules in validate and preview', () => {
  it('says when a page matches a skip rule (an error for validate), and how many rules there are when none does', async () => {
    await declare('Skipping', {
      'Terms of Service': { fetch: server.url('/terms'), select: 'main', skipSelectors: '#challenge', skipContent: { 'main h1': 'Access denied' } },
      'Privacy Policy': { fetch: server.url('/terms'), select: 'main', skipMissingSelectors: 'main h2' },
    });
    const io = captureIo(dir);
    expect(await runCli(['validate'], io)).toBe(1);
    const output = io.output.join('\n');
    expect(output).toMatch(/\(\d+ characters; select main: 1; skip rules: 2, none matches\)/);
    expect(output).toContain('✗ the page fetched now matches a skip rule (skipMissingSelectors "main h2" matches nothing): tracking would not record it; if it is the terms, the rule is too wide');
    const preview = captureIo(dir);
    expect(await runCli(['preview', 'Skipping', 'Privacy Policy'], preview)).toBe(0);
    expect(preview.output).toContain('SKIPPED: skipMissingSelectors "main h2" matches nothing: tracking would neither record this page nor extract it');
    const good = captureIo(dir);
    expect(await runCli(['preview', 'Skipping', 'Terms of Service'], good)).toBe(0);
    expect(good.output).toContain('skip rules: 2, none matches this page');
  });
});

describe('terms-archive lint', () => {
  it('finds files out of canonical form and fixes them without changing a value', async () => {
    const messy = '{"terms":{"Terms of Service":{"select":"main","remove":[{"endBefore":"b","startAfter":"a"}],"fetch":"https://example.com/t"}},"name":"Messy"}';
    await writeFile(path.join(dir, 'declarations', 'Messy.json'), messy);
    await declare('Tidy', { 'Terms of Service': { fetch: 'https://example.com/t', select: 'main' } });
    const io = captureIo(dir);
    expect(await runCli(['lint'], io)).toBe(1);
    expect(io.output).toEqual(['✗ declarations/Messy.json: not in canonical form (run lint --fix)', '2 files: 1 to fix']);
    expect(await runCli(['lint', '--fix'], captureIo(dir))).toBe(0);
    const fixed = await readFile(path.join(dir, 'declarations', 'Messy.json'), 'utf8');
    expect(fixed).toBe(
      '{\n  "name": "Messy",\n  "terms": {\n    "Terms of Service": {\n      "fetch": "https://example.com/t",\n      "select": "main",\n' +
        '      "remove": [\n        {\n          "startAfter": "a",\n          "endBefore": "b"\n        }\n      ]\n    }\n  }\n}\n',
    );
    expect(JSON.parse(fixed)).toEqual(JSON.parse(messy));
    expect(await runCli(['lint'], captureIo(dir))).toBe(0);
  });
});

describe('terms-archive preview', () => {
  it('prints the Markdown with its figures, and writes the page with the selections outlined', async () => {
    await declare('Good', { 'Terms of Service': { fetch: server.url('/terms'), select: 'main', remove: '.ads' } });
    const io = captureIo(dir);
    expect(await runCli(['preview', 'Good', '--html', 'preview.html'], io)).toBe(0);
    const output = io.output.join('\n');
    expect(output).toMatch(/\d+ characters, 1 heading, 1 link\nselect main: 1 match\nremove \.ads: 1 match/);
    expect(output).toContain('Terms\n=====');
    expect(output).not.toContain('Buy');
    const page = await readFile(path.join(dir, 'preview.html'), 'utf8');
    expect(page).toContain('<main data-terms-archive="selected">');
    expect(page).toContain('<div class="ads" data-terms-archive="removed">Buy</div>');
    expect(page).toContain(`script-src 'none'`);
    expect(page).toContain(`<base href="${server.url('/terms')}">`);
  });

  it('previews a declaration in progress from --url, --select and --remove', async () => {
    const io = captureIo(dir);
    expect(await runCli(['preview', '--url', server.url('/terms'), '--select', 'main', '--remove', '.ads', '.absent'], io)).toBe(0);
    expect(io.output.join('\n')).toContain('remove .ads: 1 match\nremove .absent: 0 matches');
    const broken = captureIo(dir);
    expect(await runCli(['preview', '--url', 'not a url', '--select', 'main'], broken)).toBe(2);
    expect(broken.errors.join('\n')).toEqual('terms-archive: --url: must be a valid uri, got "not a url"');
  });
});

describe('terms-archive preview --against-history', () => {
  it('re-extracts the stored snapshots with the new declaration and diffs them with the recorded versions', async () => {
    let edition = 1;
    server.route('/evolving', () => ({ body: termsPage(`<p class="clause">Clause of edition ${edition}.</p>`) }));
    await declare('History', { 'Terms of Service': { fetch: server.url('/evolving'), select: 'main' } });
    const env = { TERMS_ARCHIVE_AUTHOR_NAME: 'Test' };
    expect(await runCli(['track'], captureIo(dir, env))).toBe(0);
    edition = 2;
    expect(await runCli(['track'], captureIo(dir, env))).toBe(0);

    // the contributor now drops the ads block: both recorded versions would lose "Buy"
    await declare('History', { 'Terms of Service': { fetch: server.url('/evolving'), select: 'main', remove: '.ads' } });
    const io = captureIo(dir, env);
    expect(await runCli(['preview', 'History', 'Terms of Service', '--against-history', '5'], io)).toBe(0);
    const output = io.output.join('\n');
    expect(output).toContain('the last 2 snapshots extracted with the declaration as it is now');
    expect(output.match(/: would change\n/g)).toHaveLength(2);
    expect(output.match(/^-Buy$/gm)).toHaveLength(2);
    expect(output).toContain(' Clause of edition 2.');
    expect(output).toContain(' Clause of edition 1.');

    // an unchanged declaration changes nothing
    await declare('History', { 'Terms of Service': { fetch: server.url('/evolving'), select: 'main' } });
    const same = captureIo(dir, env);
    expect(await runCli(['preview', 'History', '--against-history'], same)).toBe(0);
    expect(same.output.join('\n').match(/: no change/g)).toHaveLength(2);
  });
});
