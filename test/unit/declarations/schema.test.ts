import { describe, expect, it } from 'vitest';

import { createValidators, toJsonPath, validateAgainst } from '../../../src/declarations/schema.js';

const validators = createValidators();
const check = (declaration: unknown): { path: string; message: string }[] => validateAgainst(validators.declaration, declaration);
const checkHistory = (history: unknown): { path: string; message: string }[] => validateAgainst(validators.history, history);
const withTerms = (terms: unknown): unknown => ({ name: 'Acme', terms: { 'Terms of Service': terms } });

describe('declaration schema', () => {
  it('accepts a single source document, a combined one and a PDF', () => {
    expect(check(withTerms({ fetch: 'https://acme.example/tos', select: 'main', remove: ['.ad'], filter: ['x', { y: 1 }], executeClientScripts: true }))).toEqual([]);
    expect(check(withTerms({ combine: [{ fetch: 'https://acme.example/a' }, { fetch: 'https://acme.example/b', select: '#b' }], select: 'main' }))).toEqual([]);
    expect(check(withTerms({ fetch: 'https://acme.example/tos.pdf' }))).toEqual([]);
    expect(check(withTerms({ fetch: 'https://acme.example/tos', select: { startBefore: 'h1', endAfter: 'footer' } }))).toEqual([]);
    expect(check({ name: 'Acme', importedFrom: 'https://tosback.example/rule', terms: {} })).toEqual([]);
  });

  it('accepts skip rules on a document and a combine, and names the field of a bad one', () => {
    const skip = { skipSelectors: ['#challenge-form'], skipMissingSelectors: 'main h2', skipContent: { 'main h1': 'Access denied' } };
    expect(check(withTerms({ fetch: 'https://acme.example/tos', select: 'main', ...skip }))).toEqual([]);
    expect(check(withTerms({ combine: [{ fetch: 'https://acme.example/a', skipSelectors: '.wall' }], select: 'main', ...skip }))).toEqual([]);
    expect(check(withTerms({ fetch: 'https://acme.example/tos', select: 'main', skipContent: { 'main h1': '' } }))).toEqual([
      { path: 'terms["Terms of Service"].skipContent["main h1"]', message: 'the text that marks a page as not the terms must be a non-empty string' },
    ]);
    expect(check(withTerms({ fetch: 'https://acme.example/tos', select: 'main', skipSelectors: [] }))).toEqual([
      { path: 'terms["Terms of Service"].skipSelectors', message: 'must be a CSS selector or an array of them' },
    ]);
    expect(check(withTerms({ fetch: 'https://acme.example/tos', select: 'main', skipContent: 'Access denied' }))).toEqual([
      { path: 'terms["Terms of Service"].skipContent', message: 'must be an object of CSS selector → text: { "<selector>": "<text>" }' },
    ]);
  });

  it('accepts the URLs OTA tracks: spaces and brackets in a PDF path', () => {
    expect(check(withTerms({ fetch: 'https://sf16-va.tiktokcdn.com/obj/eden-va2/DSA [EN] report 2024.pdf' }))).toEqual([]);
    expect(check(withTerms({ fetch: 'https://glovo.example/p2b terms.pdf?v=2' }))).toEqual([]);
    expect(check(withTerms({ fetch: 'https://exa mple.com/terms', select: 'main' }))).toEqual([
      { path: 'terms["Terms of Service"].fetch', message: 'must be a valid uri, got "https://exa mple.com/terms"' },
    ]);
  });

  it('names the field of a missing select on a web page', () => {
    expect(check(withTerms({ fetch: 'https://acme.example/tos' }))).toEqual([
      {
        path: 'terms["Terms of Service"].fetch',
        message: 'terms without "select" must fetch a PDF (a URL ending in .pdf); add a "select" for a web page',
      },
    ]);
  });

  it('rejects a range with two starts, with one message at the range', () => {
    const issues = check(withTerms({ fetch: 'https://acme.example/tos', select: [{ startBefore: 'h1', startAfter: 'h2', endBefore: 'p' }] }));
    expect(issues).toEqual([
      {
        path: 'terms["Terms of Service"].select[0]',
        message: 'a range selector needs exactly one of "startBefore"/"startAfter" and exactly one of "endBefore"/"endAfter"',
      },
    ]);
  });

  it('rejects a filter object with two keys', () => {
    const issues = check(withTerms({ fetch: 'https://acme.example/tos', select: 'main', filter: [{ a: 1, b: 2 }] }));
    expect(issues).toEqual([
      { path: 'terms["Terms of Service"].filter[0]', message: 'a filter is a name, or an object with exactly one key: { "<name>": params }' },
    ]);
  });

  it('rejects unknown keys, empty selectors and wrong types, each at its path', () => {
    expect(check(withTerms({ fetch: 'https://acme.example/tos', select: 'main', extra: 1 }))).toEqual([
      { path: 'terms["Terms of Service"]', message: 'unknown key "extra"' },
    ]);
    expect(check(withTerms({ fetch: 'https://acme.example/tos', select: '' }))).toEqual([
      { path: 'terms["Terms of Service"].select', message: 'a CSS selector must be a non-empty string on one line' },
    ]);
    expect(check(withTerms({ fetch: 'https://acme.example/tos', select: 'main', executeClientScripts: 'yes' }))).toEqual([
      { path: 'terms["Terms of Service"].executeClientScripts', message: 'must be a boolean (true or false), got "yes"' },
    ]);
    expect(check({ terms: {} })).toEqual([{ path: '', message: 'the required key "name" is missing' }]);
    expect(check(withTerms({ fetch: 'not a url', select: 'main' }))).toEqual([
      { path: 'terms["Terms of Service"].fetch', message: 'must be a valid uri, got "not a url"' },
    ]);
  });

  it('requires validUntil as a date-time in history entries, combined ones included', () => {
    expect(checkHistory({ 'Terms of Service': [{ fetch: 'https://acme.example/tos', select: 'main', validUntil: '2023-10-23T12:30:05Z' }] })).toEqual([]);
    expect(checkHistory({ 'Terms of Service': [{ fetch: 'https://acme.example/tos', select: 'main', validUntil: '2023-12-31' }] })).toEqual([
      {
        path: '["Terms of Service"][0].validUntil',
        message: 'must be a valid date-time, got "2023-12-31" (for example "2023-10-23T12:30:05Z")',
      },
    ]);
    expect(checkHistory({ 'Terms of Service': [{ combine: [{ fetch: 'https://acme.example/a', select: 'main' }] }] })).toEqual([
      { path: '["Terms of Service"][0]', message: 'the required key "validUntil" is missing' },
    ]);
  });

  it('writes JSON pointers as readable JSON paths', () => {
    expect(toJsonPath('')).toBe('');
    expect(toJsonPath('/terms/Terms of Service/combine/1/select')).toBe('terms["Terms of Service"].combine[1].select');
    expect(toJsonPath('/terms/a~1b')).toBe('terms["a/b"]');
  });
});
