// history, show and diff on a collection tracked through two editions of a page.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli } from '../../src/cli/run.js';
import { html, startServer, type TestServer } from '../helpers/http-server.js';
import { captureIo } from '../helpers/silent.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { readZip } from '../helpers/zip.js';

let site: TestServer;
let dir: string;
let cleanup: () => Promise<void>;
let edition = 1;

beforeAll(async () => {
  site = await startServer();
  site.route('/terms', () => ({
    body: html(`<main><h1>Terms</h1><p>Last updated: ${edition === 1 ? 'January 5, 2024' : 'March 12, 2025'}</p><h2>Fees</h2><p>Fees are due ${edition < 3 ? 'monthly' : 'weekly'}.</p></main>`),
  }));
  ({ dir, cleanup } = await makeTempDir());
  await mkdir(path.join(dir, 'declarations'));
  await writeFile(path.join(dir, 'declarations', 'Acme.json'), JSON.stringify({ name: 'Acme', terms: { 'Terms of Service': { fetch: site.url('/terms'), select: 'main' } } }));
  for (edition = 1; edition <= 3; edition++) {
    // a new second for each run: versions are dated to the second
    await new Promise(resolve => setTimeout(resolve, 1100));
    expect(await runCli(['track'], captureIo(dir))).toBe(0);
  }
}, 60_000);
afterAll(async () => {
  await site.close();
  await cleanup();
});

describe('terms-archive history, show and diff', () => {
  it('lists the versions, newest first, with their label and figures', async () => {
    const io = captureIo(dir);
    expect(await runCli(['history', 'Acme', 'Terms of Service'], io)).toBe(0);
    expect(io.output).toHaveLength(3);
    expect(io.output[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ {2}[0-9a-f]{10} {2}Substantive +\+1 −1 +Section “Fees”: 1 word added, 1 removed/);
    expect(io.output[1]).toMatch(/ Dates only +\+1 −1 +/);
    expect(io.output[2]).toMatch(/ First record +\d+ lines +First record: \d+ words/);
  });

  it('shows the version in force at a date, or by id', async () => {
    const io = captureIo(dir);
    expect(await runCli(['history', 'Acme', '--json'], io)).toBe(0);
    const [latest, middle] = io.output.map(line => JSON.parse(line) as { id: string; fetchDate: string });
    const atMiddle = captureIo(dir);
    expect(await runCli(['show', 'Acme', 'Terms of Service', '--at', middle?.fetchDate ?? ''], atMiddle)).toBe(0);
    expect(atMiddle.written.join('')).toContain('Fees are due monthly.');
    expect(atMiddle.written.join('')).toContain('March 12, 2025');
    const byId = captureIo(dir);
    expect(await runCli(['show', 'Acme', 'Terms of Service', '--id', latest?.id.slice(0, 8) ?? ''], byId)).toBe(0);
    expect(byId.written.join('')).toContain('Fees are due weekly.');
    const bad = captureIo(dir);
    expect(await runCli(['show', 'Acme', 'Terms of Service', '--at', 'last week'], bad)).toBe(2);
    expect(bad.errors.join('\n')).toContain('"last week" is neither a version id nor an ISO 8601 date');
  });

  it('diffs line by line, word by word, and as JSON, naming the label of the change', async () => {
    const lines = captureIo(dir);
    expect(await runCli(['diff', 'Acme', 'Terms of Service'], lines)).toBe(0);
    const text = lines.output.join('\n');
    expect(text).toContain('Substantive: The words changed beyond formatting, link targets and dates.');
    expect(text).toMatch(/^-Fees are due monthly\.$/m);
    expect(text).toMatch(/^\+Fees are due weekly\.$/m);
    expect(text).not.toContain('\u001b['); // not a terminal: no colour

    const words = captureIo(dir, {}, undefined);
    expect(await runCli(['diff', 'Acme', 'Terms of Service', '--words', '--from', '2000-01-01'], words)).toBe(2); // nothing in force then
    const history = captureIo(dir);
    await runCli(['history', 'Acme', '--json'], history);
    const first = (JSON.parse(history.output.at(-1) ?? '{}') as { id: string }).id;
    const wordsDiff = captureIo(dir);
    expect(await runCli(['diff', 'Acme', 'Terms of Service', '--words', '--from', first], wordsDiff)).toBe(0);
    expect(wordsDiff.output.join('\n')).toContain('[-January 5-]{+March 12+}, [-2024-]{+2025+}');

    const json = captureIo(dir);
    expect(await runCli(['diff', 'Acme', 'Terms of Service', '--format', 'json'], json)).toBe(0);
    const parsed = JSON.parse(json.written.join('')) as { label: string; changes: { added: boolean; value: string }[] };
    expect(parsed.label).toBe('substantive');
    expect(parsed.changes.filter(change => change.added).map(change => change.value)).toEqual(['Fees are due weekly.']);

    // a range over several versions gets the label of the whole range; the same version twice, or a range the wrong way
    // round, says so
    const latestId = (JSON.parse(history.output[0] ?? '{}') as { id: string }).id;
    const range = captureIo(dir);
    expect(await runCli(['diff', 'Acme', 'Terms of Service', '--from', first, '--to', latestId], range)).toBe(0);
    expect(range.output[1]).toBe('Substantive: The words changed beyond formatting, link targets and dates.');
    const same = captureIo(dir);
    expect(await runCli(['diff', 'Acme', 'Terms of Service', '--from', latestId, '--to', latestId], same)).toBe(0);
    expect(same.output.slice(1)).toEqual(['The same version on both sides: nothing to compare.']);
    const reversed = captureIo(dir);
    expect(await runCli(['diff', 'Acme', 'Terms of Service', '--from', latestId, '--to', first], reversed)).toBe(2);
    expect(reversed.errors).toEqual([expect.stringMatching(/^terms-archive: --from \(.*\) is newer than --to \(.*\): swap them$/)]);
  });
});

describe('terms-archive dataset', () => {
  it('writes OTA\'s ZIP layout with a versions.csv index, a README and a LICENSE', async () => {
    await writeFile(path.join(dir, 'metadata.yml'), 'id: demo\nname: Demo Terms\n');
    const io = captureIo(dir);
    expect(await runCli(['dataset', '--out', 'export.zip'], io)).toBe(0);
    expect(io.output.at(-1)).toMatch(/export\.zip: 3 versions of 1 service, \d{4}-.* to \d{4}-/);
    const entries = await readZip(path.join(dir, 'export.zip'));
    const names = [...entries.keys()];
    expect(names.filter(name => name.endsWith('.md') && name.includes('/Acme/'))).toHaveLength(3);
    for (const name of names) expect(name.startsWith('export/')).toBe(true);
    expect(names.find(name => name.includes('/Acme/'))).toMatch(/^export\/Acme\/Terms of Service\/\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.md$/);
    expect(entries.get('export/README.md')).toMatch(/^# Open Terms Archive — Demo Terms — [A-Z][a-z]+ \d{1,2}, \d{4}\n/);
    expect(entries.get('export/LICENSE')).toContain('Open Database License (ODbL)');
    const csv = (entries.get('export/versions.csv') ?? '').replace(/^\ufeff/, '').trim().split('\r\n');
    expect(csv[0]).toBe('service,terms_type,fetch_date,kind,label,lines_added,lines_removed,words_added,words_removed,version_id,snapshot_ids,file');
    expect(csv.slice(1).map(line => line.split(',').slice(3, 5).join(' '))).toEqual(['first first-record', 'change dates-only', 'change substantive']);
    const lastFile = csv.at(-1)?.split(',').at(-1) ?? '';
    expect(entries.get(`export/${lastFile}`)).toContain('Fees are due weekly.');
  });

  it('renames services and terms types with the rules given, and warns of a rule it cannot apply', async () => {
    await writeFile(path.join(dir, 'rules.json'), JSON.stringify({ serviceNames: { Acme: 'Acme Corp', Other: ['A', 'B'] } }));
    const io = captureIo(dir);
    expect(await runCli(['dataset', '--out', 'renamed.zip', '--renaming-rules', 'rules.json'], io)).toBe(0);
    expect(io.output.at(-1)).toMatch(/renamed\.zip: 3 versions of 1 service, .* \(3 versions under a renamed service or terms type\)$/);
    expect(io.errors.join('\n')).toContain('warning: rules.json › serviceNames.Other: a list of names cannot rename a version; left as "Other"');
    const names = [...(await readZip(path.join(dir, 'renamed.zip'))).keys()];
    expect(names.filter(name => name.startsWith('renamed/Acme Corp/Terms of Service/'))).toHaveLength(3);
    const missing = captureIo(dir);
    expect(await runCli(['dataset', '--out', 'none.zip', '--renaming-rules', 'nowhere.json'], missing)).toBe(1);
    expect(missing.errors.join('\n')).toContain('nowhere.json: renaming rules: no such file or folder');
  });
});
