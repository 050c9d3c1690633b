// A real-shaped versions history for the benchmarks, from the conformance corpus's real terms (OTA's Markdown of 105
// real pages, from 0.5 KB to 590 KB): each case is a terms, and the versions are spread over them, most terms
// changing a few times and a few changing often, as in genai-contrib. The changes are drawn as real histories hold
// them: a sentence reworded or a date changed (most), a paragraph added or removed, edits scattered through the text,
// a technical upgrade touching most lines (escaping, as an engine change does), a return to an earlier text, and the
// whole text replaced. The same seed gives the same history.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { openVersions } from '../record/index.js';

const environment = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
const START = Date.UTC(2023, 0, 1);
const SNAPSHOT_ID = '0123456789abcdef0123456789abcdef01234567';

export interface HistoryOptions {
  readonly directory: string;
  readonly corpus: string;
  readonly versions: number;
  readonly seed: number;
  /** One terms cut to this many lines that gets about `versions` of the versions (never replaced whole), for blame. */
  readonly focus?: { readonly lines: number; readonly versions: number };
  /** Versions apart: one hour by default. */
  readonly stepMs?: number;
}

export interface GeneratedHistory {
  readonly kinds: Record<string, number>;
  readonly bytes: number;
  readonly terms: readonly { readonly serviceId: string; readonly type: string }[];
  readonly focus?: { readonly serviceId: string; readonly type: string; readonly versions: number; readonly lines: number };
}

/** A small deterministic generator (mulberry32), so that two runs build the same history. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
let next = random(1);
const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;

interface Terms {
  readonly serviceId: string;
  readonly type: string;
  readonly texts: string[];
}

export function loadTerms(corpus: string): Terms[] {
  const terms = new Map<string, Terms>();
  for (const name of readdirSync(corpus).sort()) {
    let meta: { service: string; termsType: string };
    let text: string;
    try {
      meta = JSON.parse(readFileSync(path.join(corpus, name, 'meta.json'), 'utf8')) as { service: string; termsType: string };
      text = readFileSync(path.join(corpus, name, 'expected.md'), 'utf8');
    } catch {
      continue; // not a case folder
    }
    const key = `${meta.service}\u0000${meta.termsType}`;
    if (!terms.has(key)) terms.set(key, { serviceId: meta.service, type: meta.termsType, texts: [text] });
  }
  return [...terms.values()];
}

const WORDS = ['data', 'services', 'account', 'content', 'third parties', 'information', 'users', 'law', 'agreement', 'rights'];
const MONTHS = ['January', 'March', 'June', 'September', 'November'];

/** Paragraphs: the text split on blank lines. */
const paragraphsOf = (text: string): string[] => text.split('\n\n');

function reword(text: string): string {
  const paragraphs = paragraphsOf(text);
  const at = Math.floor(next() * paragraphs.length);
  const words = (paragraphs[at] ?? '').split(' ');
  words.splice(Math.floor(next() * words.length), 1, pick(WORDS));
  paragraphs[at] = words.join(' ');
  return paragraphs.join('\n\n');
}

function redate(text: string): string {
  const date = `${pick(MONTHS)} ${String(1 + Math.floor(next() * 28))}, ${String(2023 + Math.floor(next() * 4))}`;
  const paragraphs = paragraphsOf(text);
  paragraphs[Math.min(1, paragraphs.length - 1)] = `Last updated: ${date}`;
  return paragraphs.join('\n\n');
}

function addOrRemoveParagraph(text: string): string {
  const paragraphs = paragraphsOf(text);
  const at = Math.floor(next() * paragraphs.length);
  if (next() < 0.5 && paragraphs.length > 3) paragraphs.splice(at, 1);
  else paragraphs.splice(at, 0, `We may share ${pick(WORDS)} with ${pick(WORDS)} where the ${pick(WORDS)} requires it, as described in this section.`);
  return paragraphs.join('\n\n');
}

function scattered(text: string): string {
  let result = text;
  const edits = 5 + Math.floor(next() * 15);
  for (let edit = 0; edit < edits; edit++) result = reword(result);
  return result;
}

/** An engine change: Markdown-significant characters escaped (or no longer) on most lines. */
function upgrade(text: string): string {
  return text.includes('\\.') ? text.replace(/\\\./g, '.') : text.replace(/(\d)\. /g, '$1\\. ').replace(/\*\*/g, '__');
}

/** Cuts a text to its first `lines` lines, at a blank line. */
function cut(text: string, lines: number): string {
  const kept = text.split('\n').slice(0, lines).join('\n');
  const end = kept.lastIndexOf('\n\n');
  return end > 0 ? kept.slice(0, end) : kept;
}

export async function generateHistory(options: HistoryOptions): Promise<GeneratedHistory> {
  next = random(options.seed);
  const terms = loadTerms(path.resolve(options.corpus));
  if (terms.length === 0) throw new Error(`no conformance case in ${path.resolve(options.corpus)} (--corpus)`);
  let focus: Terms | undefined;
  if (options.focus) {
    const wanted = options.focus.lines;
    // the shortest terms at least that long, cut to it
    focus = [...terms].filter(candidate => (candidate.texts[0] ?? '').split('\n').length >= wanted).sort((a, b) => (a.texts[0] ?? '').length - (b.texts[0] ?? '').length)[0];
    if (focus) focus.texts[0] = cut(focus.texts[0] ?? '', wanted);
  }
  const repository = await openVersions({ directory: options.directory, environment, authorName: 'Bench', authorEmail: 'bench@example.invalid' });
  const kinds: Record<string, number> = {};
  let bytes = 0;
  let focusVersions = 0;
  // a few terms change often, most a few times (weights 1/rank)
  const weights = terms.map((_, rank) => 1 / (rank + 1));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const focusShare = focus && options.focus ? options.focus.versions / Math.max(1, options.versions - terms.length) : 0;
  const choose = (): Terms => {
    if (focus && next() < focusShare) return focus;
    let draw = next() * total;
    for (const [index, weight] of weights.entries()) {
      draw -= weight;
      if (draw <= 0) return terms[index] as Terms;
    }
    return terms.at(-1) as Terms;
  };
  for (let version = 0; version < options.versions; version++) {
    // every terms gets its first record, then the changes are drawn
    const current = version < terms.length ? (terms[version] as Terms) : choose();
    const latest = current.texts.at(-1) ?? '';
    const draw = next();
    let kind: string;
    let text: string;
    if (version < terms.length) [kind, text] = ['first record', latest];
    else if (draw < 0.45) [kind, text] = ['sentence reworded', reword(latest)];
    else if (draw < 0.65) [kind, text] = ['date changed', redate(latest)];
    else if (draw < 0.78) [kind, text] = ['paragraph added or removed', addOrRemoveParagraph(latest)];
    else if (draw < 0.88) [kind, text] = ['scattered edits', scattered(latest)];
    else if (draw < 0.93) [kind, text] = ['technical upgrade', upgrade(latest)];
    else if (draw < 0.97 && current.texts.length > 2) [kind, text] = ['back to an earlier text', current.texts.at(-3) ?? latest];
    else if (current === focus) [kind, text] = ['sentence reworded', reword(latest)];
    else [kind, text] = ['whole text replaced', pick(terms).texts[0] ?? latest];
    if (text === latest) [kind, text] = ['sentence reworded', reword(`${latest}\n\nEffective ${String(version)}.`)];
    current.texts.push(text);
    // the first text and the last three are all that is drawn from: the others are let go
    if (current.texts.length > 4) current.texts.splice(1, 1);
    kinds[kind] = (kinds[kind] ?? 0) + 1;
    bytes += Buffer.byteLength(text);
    if (current === focus) focusVersions++;
    await repository.record({
      serviceId: current.serviceId,
      termsType: current.type,
      fetchDate: new Date(START + version * (options.stepMs ?? 3_600_000)),
      content: text,
      snapshotIds: [SNAPSHOT_ID],
      isTechnicalUpgrade: kind === 'technical upgrade',
      metadata: { 'x-engine-version': 'bench' },
    });
  }
  await repository.close();
  return {
    kinds,
    bytes,
    terms: terms.map(({ serviceId, type }) => ({ serviceId, type })),
    ...(focus && { focus: { serviceId: focus.serviceId, type: focus.type, versions: focusVersions, lines: (focus.texts.at(-1) ?? '').split('\n').length } }),
  };
}
