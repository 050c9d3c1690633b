import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { loadDeclarations, TERMS_TYPES } from '../../../src/declarations/index.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

let dir: string;
let cleanup: () => Promise<void>;
let declarations: string;

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
  declarations = path.join(dir, 'declarations');
  await mkdir(declarations);
});
afterEach(() => cleanup());

const write = (name: string, content: unknown): Promise<void> =>
  writeFile(path.join(declarations, name), typeof content === 'string' ? content : JSON.stringify(content));

describe('loadDeclarations', () => {
  it('finds one service per declaration, its history and filters beside it, IDs verbatim', async () => {
    await write('Service B!.json', { name: 'B', terms: { 'Privacy Policy': { fetch: 'https://b.example/p', select: 'main' } } });
    await write('service·A.json', { name: 'A', terms: { 'Terms of Service': { fetch: 'https://a.example/t', select: 'main', filter: ['clean'] } } });
    await write('service·A.history.json', { 'Terms of Service': [{ fetch: 'https://a.example/old', select: 'main', validUntil: '2023-01-01T00:00:00Z' }] });
    await write('service·A.filters.js', 'export function clean(document) { document.title = "x"; }\n');
    const { services, errors, warnings } = await loadDeclarations(declarations);
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
    expect(services.map(service => service.id)).toEqual(['Service B!', 'service·A']);
    const terms = services[1]?.getTerms('Terms of Service');
    expect(terms?.sourceDocuments[0]?.filters.map(filter => [filter.name, typeof filter.run])).toEqual([['clean', 'function']]);
    expect(services[1]?.getTerms('Terms of Service', new Date('2022-06-01T00:00:00Z')).sourceDocuments[0]?.location).toBe('https://a.example/old');
  });

  it('reports a broken declaration with its file and path, and still loads the others', async () => {
    await write('Good.json', { name: 'Good', terms: { 'Terms of Service': { fetch: 'https://g.example/t', select: 'main' } } });
    await write('Broken.json', { name: 'Broken', terms: { 'Terms of Service': { fetch: 'https://b.example/t', select: 'main', remove: 3 } } });
    await write('Malformed.json', '{ "name": ');
    const { services, errors } = await loadDeclarations(declarations);
    expect(services.map(service => service.id)).toEqual(['Good']);
    expect(errors.map(error => error.message)).toEqual([
      'declarations/Broken.json › terms["Terms of Service"].remove: must be a CSS selector, a range selector, or an array of them',
      expect.stringMatching(/^declarations\/Malformed\.json: The "Malformed" service declaration is malformed and cannot be parsed in declarations\/Malformed\.json: /),
    ]);
  });

  it('reports a history value that is an object, with OTA\'s message, and still loads the current declaration', async () => {
    await write('Acme.json', { name: 'Acme', terms: { 'Terms of Service': { fetch: 'https://a.example/t', select: 'main' } } });
    await write('Acme.history.json', { 'Terms of Service': {} });
    const { services, errors, historyErrors } = await loadDeclarations(declarations);
    expect(errors).toEqual([]);
    expect(historyErrors.map(error => error.message)).toEqual([
      'declarations/Acme.history.json › ["Terms of Service"]: History file for "Terms of Service" is not properly formatted: expected an array but got an object. Please use [] instead of {}.',
    ]);
    expect(services.map(service => service.id)).toEqual(['Acme']);
  });

  it('leaves out a broken history entry (a misspelt validUntil) and keeps the others and the current declaration', async () => {
    await write('Acme.json', { name: 'Acme', terms: { 'Terms of Service': { fetch: 'https://a.example/now', select: 'main' } } });
    await write('Acme.history.json', {
      'Terms of Service': [
        { fetch: 'https://a.example/old', select: 'main', validUntil: '2024-01-01T00:00:00Z' },
        { fetch: 'https://a.example/broken', select: 'main', ValidUntil: '2025-01-01T00:00:00Z' },
      ],
    });
    const { services, errors, historyErrors } = await loadDeclarations(declarations);
    expect(errors).toEqual([]);
    expect(historyErrors.map(error => error.message)).toEqual([
      'declarations/Acme.history.json › ["Terms of Service"][1]: the required key "validUntil" is missing (this history entry is left out: the current declaration is still tracked)',
      'declarations/Acme.history.json › ["Terms of Service"][1]: unknown key "ValidUntil" (this history entry is left out: the current declaration is still tracked)',
    ]);
    const [service] = services;
    expect(service?.getTerms('Terms of Service', new Date('2023-06-01')).sourceDocuments[0]?.location).toBe('https://a.example/old');
    expect(service?.getTerms('Terms of Service', new Date('2024-06-01')).sourceDocuments[0]?.location).toBe('https://a.example/now');
  });

  it('says to install the collection\'s dependencies when the filters import a package its package.json lists', async () => {
    await writeFile(path.join(dir, 'package.json'), JSON.stringify({ dependencies: { 'terms-archive-absent-package': '^1.0.0' } }));
    await write('Acme.json', { name: 'Acme', terms: { 'Terms of Service': { fetch: 'https://a.example/t', select: 'main', filter: ['clean'] } } });
    await write('Acme.filters.js', "import 'terms-archive-absent-package';\nexport function clean() {}\n");
    const { errors } = await loadDeclarations(declarations);
    expect(errors.map(error => error.message)).toEqual([
      expect.stringMatching(
        new RegExp(`^declarations/Acme\\.filters\\.js: cannot be loaded: Error.*Cannot find package 'terms-archive-absent-package'.* \\(the package "terms-archive-absent-package" is a dependency of the collection's ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/package\\.json: install the collection's dependencies, "npm install" in .+\\)$`),
      ),
    ]);
  });

  it('rejects filters named like built-ins and the same URL twice in a combine', async () => {
    await write('Acme.json', { name: 'Acme', terms: { 'Terms of Service': { fetch: 'https://a.example/t', select: 'main' } } });
    await write('Acme.filters.js', 'export function removeQueryParams() {}\nexport function normalizeWhitespace() {}\n');
    await write('Twice.json', {
      name: 'Twice',
      terms: { 'Terms of Service': { combine: [{ fetch: 'https://t.example/a' }, { fetch: 'https://t.example/a' }], select: 'main' } },
    });
    const { errors } = await loadDeclarations(declarations);
    expect(errors.map(error => error.message)).toEqual([
      'declarations/Acme.filters.js: Service filter file "Acme.filters.js" declares filters with names used by built-in filters: "removeQueryParams", "normalizeWhitespace". Rename these filters to avoid a collision.',
      'declarations/Twice.json › terms["Terms of Service"].combine: The same source document is declared more than once within the "Terms of Service" combine: https://t.example/a',
    ]);
  });

  it('warns about unknown filters, unknown terms types, colliding document IDs and items without select', async () => {
    await write('Acme.json', {
      name: 'Acme',
      terms: {
        'Terms of Servise': { fetch: 'https://a.example/t', select: 'main', filter: ['missing'] },
        'Privacy Policy': { combine: [{ fetch: 'https://a.example/p', select: 'main' }, { fetch: 'https://b.example/p' }] },
      },
    });
    const { services, warnings } = await loadDeclarations(declarations, { termsTypes: TERMS_TYPES });
    expect(services).toHaveLength(1);
    expect(warnings.map(warning => `${warning.path}: ${warning.message}`)).toEqual([
      'terms["Terms of Servise"]: "Terms of Servise" is not a known terms type',
      'terms["Terms of Servise"].filter: unknown filter "missing": it will be skipped',
      'terms["Privacy Policy"].combine[1]: document ID "p" is shared with another item: their snapshots would overwrite each other',
      'terms["Privacy Policy"].combine[1]: no "select" here nor at the root: only a PDF can be extracted without one',
    ]);
  });

  it('applies combine inheritance: item values win, an item false stays false, one item has no document ID', async () => {
    await write('Acme.json', {
      name: 'Acme',
      terms: {
        'Terms of Service': {
          combine: [{ fetch: 'https://a.example/legal/terms', executeClientScripts: false }, { fetch: 'https://a.example/legal/extra', select: '#extra' }],
          select: 'main',
          remove: '.ad',
          executeClientScripts: true,
        },
        'Privacy Policy': { combine: [{ fetch: 'https://a.example/privacy' }], select: 'main' },
      },
    });
    const { services } = await loadDeclarations(declarations);
    const [first, second] = services[0]?.getTerms('Terms of Service').sourceDocuments ?? [];
    expect(first).toMatchObject({ id: 'legal-terms', contentSelectors: 'main', insignificantContentSelectors: '.ad', executeClientScripts: false });
    expect(second).toMatchObject({ id: 'legal-extra', contentSelectors: '#extra', executeClientScripts: true });
    const privacy = services[0]?.getTerms('Privacy Policy');
    expect(privacy?.isCombined).toBe(false);
    expect(privacy?.sourceDocuments[0]?.id).toBe('');
  });
});
