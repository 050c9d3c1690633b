// The rules that hold a confirmed change instead of recording it: what a service serves in place of its terms
// often looks the same on two fetches (a bot wall that lasts a minute, a maintenance page, a layout being tested).
// Each rule is documented in docs/trust.md; each can be turned off.
import { franc } from 'franc-min';

import type { HoldReason, StoredVersion } from '../../record/index.js';
import { findWall } from './wall-patterns.js';

export interface SuspectRules {
  /** Hold a text shorter than this share of the latest version's (0 turns the rule off). @default 0.5 */
  readonly shrinkBelow: number;
  /** Hold a text equal to a version recorded within this many days, other than the latest (0: off). @default 30 */
  readonly flappingDays: number;
  /** Hold a text in another language than the latest version's. @default true */
  readonly languageSwitch: boolean;
  /** Hold a short text that reads like a bot, login or cookie wall, an error or maintenance page. @default true */
  readonly walls: boolean;
}

export const DEFAULT_SUSPECT_RULES: SuspectRules = { shrinkBelow: 0.5, flappingDays: 30, languageSwitch: true, walls: true };

/** Latest versions shorter than this are not compared in size: a few words may halve for real. */
const SHRINK_MIN_CHARACTERS = 200;
/** Texts shorter than this are too short to tell their language. */
const LANGUAGE_MIN_CHARACTERS = 250;
/** Texts that share more of their lines than this are not taken for a switch of language. */
const LANGUAGE_SWITCH_MAX_SHARED = 0.5;
/** The language is told from the start of each half of the text: enough trigrams, bounded time on huge documents. */
const LANGUAGE_SAMPLE_CHARACTERS = 20_000;
/** Versions read back to find a flip to an earlier text. */
const FLAPPING_LOOKBACK = 20;

export interface SuspectInput {
  /** The confirmed text. */
  readonly markdown: string;
  readonly latest: StoredVersion | undefined;
  /** The terms' versions, newest first, at most `limit` (read only when a rule needs them). */
  readonly versions: (limit: number) => Promise<StoredVersion[]>;
  readonly now: Date;
}

/** Why the text should be held; empty when it may be recorded. */
export async function findSuspicions(input: SuspectInput, rules: SuspectRules): Promise<HoldReason[]> {
  const reasons: HoldReason[] = [];
  const { markdown, latest } = input;
  const wall = rules.walls ? findWall(markdown, latest?.content) : undefined;
  if (wall) reasons.push({ rule: 'wall', message: `the text reads like a ${wall.kind} ("${wall.pattern.exec(markdown)?.[0] ?? ''}" in ${String(markdown.length)} characters)` });
  if (!latest) return reasons;
  const [size, sizeBefore] = [significantLength(markdown), significantLength(latest.content)];
  if (rules.shrinkBelow > 0 && sizeBefore >= SHRINK_MIN_CHARACTERS && size < sizeBefore * rules.shrinkBelow) {
    reasons.push({
      rule: 'shrink',
      message: `the text shrank to ${percent(size / sizeBefore)} of the latest version (${String(size)} of ${String(sizeBefore)} characters; held below ${percent(rules.shrinkBelow)})`,
    });
  }
  if (rules.languageSwitch) {
    const [language, languageBefore] = [languageOf(markdown), languageOf(latest.content)];
    // a switch only when each text is in one language and they share few lines (a real switch rewrites them all)
    if (language && languageBefore && language !== languageBefore && sharedLines(markdown, latest.content) < LANGUAGE_SWITCH_MAX_SHARED) {
      reasons.push({ rule: 'language', message: `the text is in ${languageName(language)}, the latest version in ${languageName(languageBefore)}` });
    }
  }
  if (rules.flappingDays > 0) {
    const since = input.now.getTime() - rules.flappingDays * 86_400_000;
    const earlier = (await input.versions(FLAPPING_LOOKBACK)).filter(version => version.id !== latest.id && version.fetchDate.getTime() >= since);
    const same = earlier.find(version => version.content === markdown);
    if (same) {
      reasons.push({
        rule: 'flapping',
        message: `the text is the one of version ${same.id} of ${same.fetchDate.toISOString()}, replaced since: the page flips between two texts (held within ${String(rules.flappingDays)} days)`,
      });
    }
  }
  return reasons;
}

/** Characters that are not white space nor Markdown link targets: what a reader reads. */
function significantLength(markdown: string): number {
  return markdown.replace(/\]\([^)]*\)/g, ']').replace(/\s+/g, '').length;
}

/**
 * The ISO 639-3 code of the text's language; undefined when too short to tell, or when its two halves seem to be
 * in different languages (a text in two languages has no one language to switch from).
 */
export function languageOf(markdown: string): string | undefined {
  const text = markdown.replace(/\]\([^)]*\)/g, ']').replace(/https?:\/\/\S+/g, ' ');
  if (text.length < LANGUAGE_MIN_CHARACTERS) return undefined;
  const middle = Math.floor(text.length / 2);
  const samples = middle >= LANGUAGE_MIN_CHARACTERS ? [text.slice(0, middle), text.slice(middle)] : [text];
  const codes = new Set(samples.map(sample => franc(sample.slice(0, LANGUAGE_SAMPLE_CHARACTERS), { minLength: LANGUAGE_MIN_CHARACTERS })));
  const [code] = codes;
  return codes.size === 1 && code !== undefined && code !== 'und' ? code : undefined;
}

/** The share of the text's non-empty lines that the other text holds too. */
function sharedLines(text: string, other: string): number {
  const lines = text.split('\n').filter(line => line.trim() !== '');
  if (lines.length === 0) return 0;
  const others = new Set(other.split('\n'));
  return lines.filter(line => others.has(line)).length / lines.length;
}

function languageName(code: string): string {
  try {
    return `${new Intl.DisplayNames('en', { type: 'language' }).of(code) ?? code} (${code})`;
  } catch {
    return code;
  }
}

function percent(share: number): string {
  return `${String(Math.round(share * 100))} %`;
}
