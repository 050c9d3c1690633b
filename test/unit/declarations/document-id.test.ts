import { describe, expect, it } from 'vitest';

import { documentIdOf } from '../../../src/declarations/index.js';

describe('documentIdOf', () => {
  it.each([
    ['https://example.com/legal/terms', 'legal-terms'],
    ['https://mbasic.facebook.com/privacy/policy/printable/', 'privacy-policy-printable'],
    ['https://example.com/en.html', 'en'],
    ['https://example.com/terms.backup.html', 'terms.backup'],
    ['https://example.com/terms.of.service', 'terms.of.service'],
    ['https://example.com/terms%20of%20service', 'terms of service'],
    ['https://example.com/terms%3Aof%3Aservice', 'terms_of_service'],
    ['https://example.com/', ''],
    ['https://example.com/legal/terms.aspx?lang=en', 'legal-terms.aspx'],
    ['https://example.com/docs/cgu.pdf', 'docs-cgu'],
  ])('gives %s the ID "%s"', (url, id) => {
    expect(documentIdOf(url)).toBe(id);
  });
});
