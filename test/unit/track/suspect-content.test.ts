// The rules that hold a confirmed change: what each catches, and the real texts each must let through.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import type { StoredVersion } from '../../../src/record/index.js';
import { DEFAULT_SUSPECT_RULES, findSuspicions, type SuspectRules } from '../../../src/track/index.js';
import { languageOf } from '../../../src/track/suspect/suspect-content.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const DAY = 86_400_000;

const version = (content: string, daysAgo = 1, id = `v${String(daysAgo)}`): StoredVersion => ({
  id,
  serviceId: 'Acme',
  termsType: 'Terms of Service',
  fetchDate: new Date(NOW.getTime() - daysAgo * DAY),
  content,
});

const POLICY = Array.from({ length: 12 }, (_, index) => `Clause ${String(index + 1)}. We keep the data you give us for as long as your account exists, and delete it within thirty days of its closing.`).join('\n\n');

async function rulesFor(markdown: string, history: StoredVersion[], rules: Partial<SuspectRules> = {}): Promise<string[]> {
  const reasons = await findSuspicions({ markdown, latest: history[0], versions: limit => Promise.resolve(history.slice(0, limit)), now: NOW }, { ...DEFAULT_SUSPECT_RULES, ...rules });
  return reasons.map(reason => reason.rule);
}

describe('walls', () => {
  it('holds short texts that read like a wall, a login page, an error page or a placeholder', async () => {
    expect(await rulesFor('Please verify you are a human to continue.', [])).toEqual(['wall']);
    expect(await rulesFor('Sign in to continue', [])).toEqual(['wall']);
    expect(await rulesFor('# 503 Service Unavailable', [])).toEqual(['wall']);
    expect(await rulesFor('We are down for maintenance. Back soon!', [])).toEqual(['wall']);
    expect(await rulesFor('Loading…', [])).toEqual(['wall']);
  });

  it('lets through long texts that speak of cookies and captchas, and wording the latest version has too', async () => {
    const privacy = `${POLICY}\n\nWe use a captcha to keep bots out, and you may accept cookies to continue using some features.`;
    expect(await rulesFor(privacy, [])).toEqual([]);
    const short = 'Our service may be temporarily unavailable during updates; we say so in advance.';
    expect(await rulesFor(`${short} Updated.`, [version(short)])).toEqual([]);
    expect(await rulesFor('Loading…', [], { walls: false })).toEqual([]);
  });
});

describe('shrink', () => {
  it('holds a text below the share of the latest version, not above, and not when the latest is a few words', async () => {
    expect(await rulesFor(POLICY.slice(0, Math.floor(POLICY.length * 0.45)), [version(POLICY)])).toEqual(['shrink']);
    expect(await rulesFor(POLICY.slice(0, Math.floor(POLICY.length * 0.6)), [version(POLICY)])).toEqual([]);
    expect(await rulesFor('Short.', [version('Terms: be nice to each other.')])).toEqual([]);
    expect(await rulesFor(POLICY.slice(0, 100), [version(POLICY)], { shrinkBelow: 0 })).toEqual([]);
  });
});

describe('language', () => {
  const french = Array.from({ length: 8 }, (_, index) => `Article ${String(index + 1)}. Nous conservons les données que vous nous confiez tant que votre compte existe, et les effaçons dans les trente jours suivant sa fermeture.`).join('\n\n');

  it('holds a switch from one language to another', async () => {
    expect(await rulesFor(french, [version(POLICY)])).toEqual(['language']);
    expect(await rulesFor(POLICY, [version(french)])).toEqual(['language']);
  });

  it('tells no language for a text in two (each half in its own), and holds nothing for it', async () => {
    const both = `${POLICY}\n\n${french}`;
    expect(languageOf(both)).toBeUndefined();
    expect(await rulesFor(both, [version(POLICY)])).toEqual([]);
  });

  it('tells one language for real terms (both halves agree)', async () => {
    const root = path.resolve(import.meta.dirname, '../../fixtures/pages');
    const languages: Record<string, string | undefined> = {};
    for (const name of await readdir(root)) languages[name.split('__')[0]!] = languageOf(await readFile(path.join(root, name, 'expected.md'), 'utf8'));
    expect(languages).toEqual({ libheros: 'fra', match: 'eng', wordtune: 'eng', x: 'eng' });
  });
});

describe('flapping', () => {
  const other = POLICY.replace('thirty days', 'ninety days');

  it('holds a text that the terms had within the window, other than the latest', async () => {
    expect(await rulesFor(POLICY, [version(other, 1), version(POLICY, 5)])).toEqual(['flapping']);
  });

  it('records a return to a text older than the window, and any text when the rule is off', async () => {
    expect(await rulesFor(POLICY, [version(other, 1), version(POLICY, 45)])).toEqual([]);
    expect(await rulesFor(POLICY, [version(other, 1), version(POLICY, 5)], { flappingDays: 0 })).toEqual([]);
  });
});
