// A battery of broken declarations: each must be rejected by `validate`, naming the right file and JSON path.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { validateCollection } from '../../../src/contribute/index.js';
import { DEFAULT_FETCH_OPTIONS } from '../../../src/fetch/index.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

interface Case {
  readonly name: string;
  /** Files of declarations/, by name: objects are written as JSON, strings as they are. */
  readonly files: Readonly<Record<string, unknown>>;
  readonly file: string;
  readonly path: string;
  readonly message: RegExp;
}

const TERMS_URL = 'https://example.com/terms';
const ok = { fetch: TERMS_URL, select: 'main' };
const service = (terms: unknown, extra: Record<string, unknown> = {}): unknown => ({ name: 'Acme', terms, ...extra });
const tos = (terms: unknown): unknown => service({ 'Terms of Service': terms });
const T = 'terms["Terms of Service"]';

const CASES: readonly Case[] = [
  { name: 'unparsable JSON', files: { 'Acme.json': '{ "name": "Acme", }' }, file: 'declarations/Acme.json', path: '', message: /malformed and cannot be parsed/ },
  { name: 'not an object', files: { 'Acme.json': [] }, file: 'declarations/Acme.json', path: '', message: /object/ },
  { name: 'no name', files: { 'Acme.json': { terms: { 'Terms of Service': ok } } }, file: 'declarations/Acme.json', path: '', message: /"name" is missing/ },
  { name: 'no terms', files: { 'Acme.json': { name: 'Acme' } }, file: 'declarations/Acme.json', path: '', message: /"terms" is missing/ },
  { name: 'name not a string', files: { 'Acme.json': { name: 42, terms: { 'Terms of Service': ok } } }, file: 'declarations/Acme.json', path: 'name', message: /string/ },
  { name: 'unknown service key', files: { 'Acme.json': service({ 'Terms of Service': ok }, { url: TERMS_URL }) }, file: 'declarations/Acme.json', path: '', message: /unknown key "url"/ },
  { name: 'terms not an object', files: { 'Acme.json': tos('https://example.com') }, file: 'declarations/Acme.json', path: T, message: /object/ },
  { name: 'no fetch', files: { 'Acme.json': tos({ select: 'main' }) }, file: 'declarations/Acme.json', path: T, message: /fetch/ },
  { name: 'fetch not a TERMS_URL', files: { 'Acme.json': tos({ fetch: 'example.com/terms', select: 'main' }) }, file: 'declarations/Acme.json', path: `${T}.fetch`, message: /uri/ },
  { name: 'fetch not a string', files: { 'Acme.json': tos({ fetch: 12, select: 'main' }) }, file: 'declarations/Acme.json', path: `${T}.fetch`, message: /string/ },
  { name: 'web page without select', files: { 'Acme.json': tos({ fetch: TERMS_URL }) }, file: 'declarations/Acme.json', path: `${T}.fetch`, message: /add a "select"/ },
  { name: 'empty select', files: { 'Acme.json': tos({ fetch: TERMS_URL, select: '' }) }, file: 'declarations/Acme.json', path: `${T}.select`, message: /selector/ },
  { name: 'multi-line select', files: { 'Acme.json': tos({ fetch: TERMS_URL, select: 'main\narticle' }) }, file: 'declarations/Acme.json', path: `${T}.select`, message: /one line/ },
  { name: 'select a number', files: { 'Acme.json': tos({ fetch: TERMS_URL, select: 3 }) }, file: 'declarations/Acme.json', path: `${T}.select`, message: /selector/ },
  { name: 'range without end', files: { 'Acme.json': tos({ fetch: TERMS_URL, select: { startBefore: 'h1' } }) }, file: 'declarations/Acme.json', path: `${T}.select`, message: /range|selector/ },
  { name: 'range with both starts', files: { 'Acme.json': tos({ fetch: TERMS_URL, select: { startBefore: 'h1', startAfter: 'h2', endBefore: 'footer' } }) }, file: 'declarations/Acme.json', path: `${T}.select`, message: /range|selector/ },
  { name: 'range with an unknown key', files: { 'Acme.json': tos({ fetch: TERMS_URL, select: { startBefore: 'h1', endBefore: 'p', middle: 'x' } }) }, file: 'declarations/Acme.json', path: `${T}.select`, message: /range|selector|unknown/ },
  { name: 'remove an object', files: { 'Acme.json': tos({ ...ok, remove: { class: 'ads' } }) }, file: 'declarations/Acme.json', path: `${T}.remove`, message: /selector|range/ },
  { name: 'remove array with a number', files: { 'Acme.json': tos({ ...ok, remove: ['.ads', 7] }) }, file: 'declarations/Acme.json', path: `${T}.remove[1]`, message: /selector/ },
  { name: 'filter not an array', files: { 'Acme.json': tos({ ...ok, filter: 'removeQueryParams' }) }, file: 'declarations/Acme.json', path: `${T}.filter`, message: /array/ },
  { name: 'filter object with two keys', files: { 'Acme.json': tos({ ...ok, filter: [{ a: 1, b: 2 }] }) }, file: 'declarations/Acme.json', path: `${T}.filter[0]`, message: /exactly one key/ },
  { name: 'empty filter name', files: { 'Acme.json': tos({ ...ok, filter: [''] }) }, file: 'declarations/Acme.json', path: `${T}.filter[0]`, message: /filter|empty/ },
  { name: 'executeClientScripts as a string', files: { 'Acme.json': tos({ ...ok, executeClientScripts: 'true' }) }, file: 'declarations/Acme.json', path: `${T}.executeClientScripts`, message: /boolean/ },
  { name: 'unknown terms key', files: { 'Acme.json': tos({ ...ok, selector: 'main' }) }, file: 'declarations/Acme.json', path: T, message: /unknown key "selector"/ },
  { name: 'combine and fetch together', files: { 'Acme.json': tos({ fetch: TERMS_URL, combine: [{ fetch: `${TERMS_URL}/a` }], select: 'main' }) }, file: 'declarations/Acme.json', path: T, message: /fetch|combine|unknown/ },
  { name: 'empty combine', files: { 'Acme.json': tos({ combine: [], select: 'main' }) }, file: 'declarations/Acme.json', path: `${T}.combine`, message: /at least 1/ },
  { name: 'combine item without fetch', files: { 'Acme.json': tos({ combine: [{ select: 'main' }], select: 'main' }) }, file: 'declarations/Acme.json', path: `${T}.combine[0]`, message: /fetch/ },
  { name: 'combine item with an unknown key', files: { 'Acme.json': tos({ combine: [{ fetch: TERMS_URL, validUntil: '2024-01-01T00:00:00Z' }], select: 'main' }) }, file: 'declarations/Acme.json', path: `${T}.combine[0]`, message: /unknown key "validUntil"/ },
  { name: 'combine with the same TERMS_URL twice', files: { 'Acme.json': tos({ combine: [{ fetch: TERMS_URL }, { fetch: TERMS_URL }], select: 'main' }) }, file: 'declarations/Acme.json', path: `${T}.combine`, message: /declared more than once/ },
  { name: 'combine item fetch not a TERMS_URL', files: { 'Acme.json': tos({ combine: [{ fetch: 'not a url' }], select: 'main' }) }, file: 'declarations/Acme.json', path: `${T}.combine[0].fetch`, message: /uri/ },
  { name: 'history file unparsable', files: { 'Acme.json': tos(ok), 'Acme.history.json': '{ "Terms of Service": [ }' }, file: 'declarations/Acme.history.json', path: '', message: /Acme\.history.*malformed/ },
  { name: 'history value an object', files: { 'Acme.json': tos(ok), 'Acme.history.json': { 'Terms of Service': { ...ok, validUntil: '2024-01-01T00:00:00Z' } } }, file: 'declarations/Acme.history.json', path: '["Terms of Service"]', message: /expected an array but got an object/ },
  { name: 'history entry without validUntil', files: { 'Acme.json': tos(ok), 'Acme.history.json': { 'Terms of Service': [ok] } }, file: 'declarations/Acme.history.json', path: '["Terms of Service"][0]', message: /validUntil/ },
  { name: 'history validUntil a date only', files: { 'Acme.json': tos(ok), 'Acme.history.json': { 'Terms of Service': [{ ...ok, validUntil: '2023-12-31' }] } }, file: 'declarations/Acme.history.json', path: '["Terms of Service"][0].validUntil', message: /date-time/ },
  { name: 'combined history entry without validUntil', files: { 'Acme.json': tos(ok), 'Acme.history.json': { 'Terms of Service': [{ combine: [{ fetch: TERMS_URL }], select: 'main' }] } }, file: 'declarations/Acme.history.json', path: '["Terms of Service"][0]', message: /validUntil/ },
  { name: 'filters file exporting a built-in name', files: { 'Acme.json': tos({ ...ok, filter: ['removeQueryParams'] }), 'Acme.filters.js': 'export function removeQueryParams() {}\n' }, file: 'declarations/Acme.filters.js', path: '', message: /names used by built-in filters: "removeQueryParams"/ },
  { name: 'filters file that does not load', files: { 'Acme.json': tos({ ...ok, filter: ['clean'] }), 'Acme.filters.js': 'export function clean( {\n' }, file: 'declarations/Acme.filters.js', path: '', message: /./ },
];

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
  await mkdir(path.join(dir, 'declarations'));
});
afterEach(() => cleanup());

async function validate(files: Readonly<Record<string, unknown>>): Promise<Awaited<ReturnType<typeof validateCollection>>> {
  for (const [name, content] of Object.entries(files)) {
    await writeFile(path.join(dir, 'declarations', name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return validateCollection({
    declarationsDir: path.join(dir, 'declarations'),
    displayRoot: dir,
    schemaOnly: true,
    fetchOptions: DEFAULT_FETCH_OPTIONS,
    fetchDependencies: { getBrowser: () => Promise.reject(new Error('no browser in schema-only checks')) },
  });
}

describe('validate accepts what OTA accepts', () => {
  it('finds no error in 74 declarations taken from OTA collections', async () => {
    const declarationsDir = fileURLToPath(new URL('../../fixtures/ota-declarations', import.meta.url));
    const report = await validateCollection({
      declarationsDir,
      displayRoot: path.dirname(declarationsDir),
      schemaOnly: true,
      fetchOptions: DEFAULT_FETCH_OPTIONS,
      fetchDependencies: { getBrowser: () => Promise.reject(new Error('no browser in schema-only checks')) },
    });
    expect(report.services).toBe(74);
    expect(report.findings.filter(finding => finding.severity === 'error')).toEqual([]);
  });
});

describe('validate rejects broken declarations, naming the file and the JSON path', () => {
  it('has a battery of at least 30 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });

  it.each(CASES)('$name', async ({ files, file, path: jsonPath, message }) => {
    const report = await validate(files);
    const errors = report.findings.filter(finding => finding.severity === 'error');
    expect(report.errors).toBeGreaterThan(0);
    expect(errors).toContainEqual(expect.objectContaining({ file, path: jsonPath, message: expect.stringMatching(message) as unknown }));
  });

  it('accepts a valid declaration with history and filters, with no finding at all', async () => {
    const report = await validate({
      'Acme.json': service({
        'Terms of Service': { ...ok, remove: ['.ads', { startBefore: '#a', endAfter: '#b' }], filter: ['clean', { removeQueryParams: ['utm_source'] }] },
        'Privacy Policy': { combine: [{ fetch: `${TERMS_URL}/1` }, { fetch: `${TERMS_URL}/2`, select: 'article' }], select: 'main' },
        'Imprint': { fetch: 'https://example.com/imprint.pdf' },
      }),
      'Acme.history.json': { 'Terms of Service': [{ ...ok, validUntil: '2023-10-23T12:30:05Z' }] },
      'Acme.filters.js': 'export function clean(document) { document.querySelectorAll("br").forEach(node => node.remove()); }\n',
    });
    expect(report.findings).toEqual([]);
    expect(report.errors).toBe(0);
  });

  it('warns about what works but is likely a mistake', async () => {
    const report = await validate({
      'Acme.json': tos({ ...ok, filter: ['doesNotExist'] }),
      'acme.json': service({ 'Terms Of Service': ok }),
      'Ünïcode: Service.json': tos(ok),
      'DALL·E.json': tos(ok),
    });
    const warnings = report.findings.filter(finding => finding.severity === 'warning').map(finding => `${finding.file} › ${finding.path}: ${finding.message}`);
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/Acme\.json › terms\["Terms of Service"\]\.filter: unknown filter "doesNotExist"/),
        expect.stringMatching(/acme\.json › terms\["Terms Of Service"\]: "Terms Of Service" is not a known terms type/),
        expect.stringMatching(/acme\.json › : the service ID differs from "Acme" only by case/),
        expect.stringMatching(/Ünïcode: Service\.json › : the service ID "Ünïcode: Service" is not ASCII; OTA's rule would name the file "Unicode- Service\.json"/),
        expect.stringMatching(/DALL·E\.json › : the service ID "DALL·E" is not ASCII; OTA's rule asks for an ASCII transliteration/),
      ]),
    );
    expect(report.errors).toBe(0);
  });
});
