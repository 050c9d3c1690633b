import { describe, expect, it } from 'vitest';

import { filterAt, rawTermsAt, type ServiceSources, termsAt } from '../../../src/declarations/history.js';

const current = () => 'current';
const old = () => 'old';

const sources: ServiceSources = {
  id: 'Acme',
  declarationFile: 'declarations/Acme.json',
  filtersDigest: '',
  declaration: { name: 'Acme', terms: { 'Terms of Service': { fetch: 'https://acme.example/v3', select: 'main', filter: ['clean'] } } },
  history: {
    'Terms of Service': [
      // deliberately out of order: resolution sorts by validUntil
      { fetch: 'https://acme.example/v2', select: 'main', validUntil: '2026-01-15T00:30:15Z' },
      { fetch: 'https://acme.example/v1', select: 'main', validUntil: '2023-10-23T12:30:05Z' },
    ],
  },
  filters: { clean: current },
  filtersHistory: { clean: [{ validUntil: '2024-06-01T00:00:00Z', filter: old }] },
};

const locationAt = (date: string | undefined): string | undefined =>
  rawTermsAt(sources, 'Terms of Service', date === undefined ? undefined : new Date(date))?.fetch;

describe('history resolution', () => {
  it('uses the old declaration at exactly validUntil, and the next one a second later', () => {
    expect(locationAt('2023-10-23T12:30:05Z')).toBe('https://acme.example/v1');
    expect(locationAt('2023-10-23T12:30:06Z')).toBe('https://acme.example/v2');
  });

  it('follows the documented example', () => {
    expect(locationAt('2024-01-01T00:00:00Z')).toBe('https://acme.example/v2');
    expect(locationAt('2026-02-01T00:00:00Z')).toBe('https://acme.example/v3');
    expect(locationAt(undefined)).toBe('https://acme.example/v3');
  });

  it('resolves filter functions at the date, independently of the declaration', () => {
    expect(filterAt(sources, 'clean', new Date('2024-06-01T00:00:00Z'))?.run).toBe(old);
    expect(filterAt(sources, 'clean', new Date('2024-06-01T00:00:01Z'))?.run).toBe(current);
    const terms = termsAt(sources, 'Terms of Service', new Date('2022-01-01T00:00:00Z'));
    expect(terms?.sourceDocuments[0]?.location).toBe('https://acme.example/v1');
    // v1 declares no filter: the chain is empty even though a past "clean" existed
    expect(terms?.sourceDocuments[0]?.filters).toEqual([]);
    expect(termsAt(sources, 'Terms of Service', new Date('2025-01-01T00:00:00Z'))?.sourceDocuments[0]?.filters).toEqual([]);
  });

  it('gives the current terms the current filter', () => {
    expect(termsAt(sources, 'Terms of Service', undefined)?.sourceDocuments[0]?.filters[0]?.run).toBe(current);
  });
});
