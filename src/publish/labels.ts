// The label of a change, computed when the version is indexed, and the rule that set it. A label never hides a
// change: it says what kind it is, and every feed, list and diff still shows the change itself. The first rule
// that explains the whole change wins, in the order below.

import { DiffBudget } from './bounded-diff.js';
import { changedPassages, diffByLines, type LineDiff } from './line-diff.js';

export type ChangeLabel = 'first-record' | 'technical-upgrade' | 'formatting-only' | 'links-only' | 'dates-only' | 'substantive';

export interface LabelledChange {
  readonly label: ChangeLabel;
  /** The rule that set the label, in a sentence. */
  readonly reason: string;
}

export const LABEL_TITLES: Readonly<Record<ChangeLabel, string>> = {
  'first-record': 'First record',
  'technical-upgrade': 'Technical upgrade',
  'formatting-only': 'Formatting only',
  'links-only': 'Links only',
  'dates-only': 'Dates only',
  substantive: 'Substantive',
};

const LIST_MARKER = /^\s*(?:[-*+]|\d+[.)])\s+/;
const HEADING_MARKER = /^#{1,6}\s+/;
const UNDERLINE = /^(=+|-+)\s*$/;
const EMPHASIS = /(\*\*|__|\*|_|~~)(?=\S)|(?<=\S)(\*\*|__|\*|_|~~)/g;

/** The first character of a line that is not white space (as `\s` reads it), or NaN. */
function firstVisible(line: string): number {
  for (let at = 0; at < line.length; at++) {
    const code = line.charCodeAt(at);
    if (code > 32 && code < 128) return code;
    if (code >= 128 ? !/\s/.test(line.charAt(at)) : code !== 32 && (code < 9 || code > 13)) return code;
  }
  return Number.NaN;
}

/** A line without its list marker, heading marker, underline and emphasis; each pattern runs only where it can match. */
function lineWithoutFormatting(line: string): string {
  let result = line;
  const first = firstVisible(result);
  if (first === 45 || first === 42 || first === 43 || (first >= 48 && first <= 57)) result = result.replace(LIST_MARKER, ''); // - * + 1. 1)
  if (result.charCodeAt(0) === 35) result = result.replace(HEADING_MARKER, ''); // #
  const start = result.charCodeAt(0);
  if (start === 61 || start === 45) result = result.replace(UNDERLINE, ''); // = -
  if (result.includes('*') || result.includes('_') || result.includes('~')) result = result.replace(EMPHASIS, '');
  return result;
}

/** Whitespace, list markers and emphasis: what changes the look of the Markdown, not its words. */
export function withoutFormatting(markdown: string): string {
  return markdown.split('\n').map(lineWithoutFormatting).join(' ').replace(/\s+/g, ' ').trim();
}

/** Link targets dropped, link texts kept. */
export function withoutLinkTargets(text: string): string {
  return text.replace(/\]\((?:[^()\s]|\([^()\s]*\))*\)/g, ']()').replace(/<https?:\/\/[^>\s]+>/g, '<>');
}

const MONTHS = 'January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec';
const DATE_PATTERNS = [
  new RegExp(`\\b(?:${MONTHS})\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4}\\b`, 'gi'), // January 5, 2024
  new RegExp(`\\b\\d{1,2}(?:st|nd|rd|th)?\\s+(?:${MONTHS})\\.?,?\\s+\\d{4}\\b`, 'gi'), // 5 January 2024
  /\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?\b/g, // 2024-01-05
  /\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b/g, // 05/01/2024, 5.1.24
  new RegExp(`\\b(?:${MONTHS})\\s+\\d{4}\\b`, 'gi'), // January 2024
];

export function withoutDates(text: string): string {
  return DATE_PATTERNS.reduce((result, pattern) => result.replace(pattern, '‹date›'), text);
}

export function labelChange(kind: 'first' | 'change' | 'upgrade', before: string, after: string, diff?: LineDiff): LabelledChange {
  if (kind === 'first') return { label: 'first-record', reason: 'The first version recorded of this document.' };
  if (kind === 'upgrade') {
    return { label: 'technical-upgrade', reason: 'Recorded by a technical upgrade: the declaration or the extraction changed, not the document.' };
  }
  // the changed passages, with some context, tell what the whole texts would: elsewhere they are the same lines
  const passages = changedPassages(diff ?? diffByLines(before, after, new DiffBudget())).map(passage => ({
    passage,
    before: new Words(passage.before),
    after: new Words(passage.after),
  }));
  const all = (word: (token: string) => string | undefined): boolean => passages.every(words => sameWords(words.before, words.after, word));
  if (all(token => token)) {
    return { label: 'formatting-only', reason: 'The words are the same once whitespace, list markers, heading markers and emphasis are set aside.' };
  }
  if (all(withoutLinkTargets)) {
    return { label: 'links-only', reason: 'Only link targets changed: the text, link texts included, is the same.' };
  }
  // words with neither a digit nor a month name are never part of a date: they must be the same for the texts to be
  const isDatesOnly = (): boolean => passages.every(({ passage }) => withoutDates(withoutFormatting(passage.before)) === withoutDates(withoutFormatting(passage.after)));
  if (all(token => (MAY_BE_DATE.test(token) ? undefined : token)) && isDatesOnly()) {
    return { label: 'dates-only', reason: 'Only dates changed (such as a "last updated" line): the rest of the text is the same.' };
  }
  return { label: 'substantive', reason: 'The words changed beyond formatting, link targets and dates.' };
}

/** Words that may hold a date or a part of one: a digit, or the start of a month's name. */
const MAY_BE_DATE = /\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec/i;

/**
 * The words of a text without its formatting (those of `withoutFormatting`), made as they are read: two texts are
 * compared up to their first difference, not normalised whole, and the three comparisons of a label share them.
 */
class Words {
  private readonly lines: readonly string[];
  private line = 0;
  private readonly words: string[] = [];

  constructor(text: string) {
    this.lines = text.split('\n');
  }

  at(index: number): string | undefined {
    while (this.words.length <= index && this.line < this.lines.length) {
      for (const word of lineWithoutFormatting(this.lines[this.line++] ?? '').split(/\s+/)) if (word !== '') this.words.push(word);
    }
    return this.words[index];
  }
}

/**
 * Whether two texts have the same words, each changed by `word` (undefined leaves it out). Link targets never hold
 * white space, so dropping them word by word is dropping them from the whole text.
 */
function sameWords(left: Words, right: Words, word: (token: string) => string | undefined): boolean {
  for (let [at, other] = [0, 0]; ; at++, other++) {
    let [a, b] = [left.at(at), right.at(other)];
    while (a !== undefined && word(a) === undefined) a = left.at(++at);
    while (b !== undefined && word(b) === undefined) b = right.at(++other);
    if (a === undefined || b === undefined) return a === b;
    if (word(a) !== word(b)) return false;
  }
}
