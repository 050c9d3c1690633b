// `npm run bench:index`: the history index on a real-shaped history, a ratio measured in one run.
// 1. Generates a versions repository from the conformance corpus's real terms (OTA's Markdown of 105 real pages, from
//    0.5 KB to 590 KB): each case is a terms, and --versions versions are spread over them, most terms changing a few
//    times and a few changing often, as in genai-contrib. The changes are drawn as real histories hold them: a
//    sentence reworded or a date changed (most), a paragraph added or removed, edits scattered through the text, a
//    technical upgrade touching most lines (escaping, as an engine change does), a return to an earlier text, and the
//    whole text replaced.
// 2. Times reading the history (the repository's changesSince, what the index reads: each version and the one
//    before it) as the baseline, then the history index catching up on it from nothing, and prints both rates.
//
//   node dist/bench/index-history.js [--corpus ../shared/conformance] [--versions 4000] [--seed 1]
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { HistoryIndex } from '../publish/index.js';
import { openVersions } from '../record/index.js';

const { values } = parseArgs({
  options: {
    corpus: { type: 'string', default: '../shared/conformance' },
    versions: { type: 'string', default: '4000' },
    seed: { type: 'string', default: '1' },
  },
});
const VERSIONS = Number(values.versions);
const environment = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
const START = Date.UTC(2023, 0, 1);
const SNAPSHOT_ID = '0123456789abcdef0123456789abcdef01234567';

/** A small deterministic generator (mulberry32), so that two runs build the same history. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const next = random(Number(values.seed));
const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;

interface Terms {
  readonly serviceId: string;
  readonly type: string;
  readonly texts: string[];
}

function loadTerms(corpus: string): Terms[] {
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

async function generate(directory: string, terms: Terms[]): Promise<{ kinds: Record<string, number>; bytes: number }> {
  const repository = await openVersions({ directory, environment, authorName: 'Bench', authorEmail: 'bench@example.invalid' });
  const kinds: Record<string, number> = {};
  let bytes = 0;
  // a few terms change often, most a few times (weights 1/rank)
  const weights = terms.map((_, rank) => 1 / (rank + 1));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const choose = (): Terms => {
    let draw = next() * total;
    for (const [index, weight] of weights.entries()) {
      draw -= weight;
      if (draw <= 0) return terms[index] as Terms;
    }
    return terms.at(-1) as Terms;
  };
  for (let version = 0; version < VERSIONS; version++) {
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
    else [kind, text] = ['whole text replaced', pick(terms).texts[0] ?? latest];
    if (text === latest) [kind, text] = ['sentence reworded', reword(`${latest}\n\nEffective ${String(version)}.`)];
    current.texts.push(text);
    // the first text and the last three are all that is drawn from: the others are let go
    if (current.texts.length > 4) current.texts.splice(1, 1);
    kinds[kind] = (kinds[kind] ?? 0) + 1;
    bytes += Buffer.byteLength(text);
    await repository.record({
      serviceId: current.serviceId,
      termsType: current.type,
      fetchDate: new Date(START + version * 3_600_000),
      content: text,
      snapshotIds: [SNAPSHOT_ID],
      isTechnicalUpgrade: kind === 'technical upgrade',
      metadata: { 'x-engine-version': 'bench' },
    });
  }
  await repository.close();
  return { kinds, bytes };
}

async function main(): Promise<void> {
  const terms = loadTerms(path.resolve(values.corpus));
  if (terms.length === 0) throw new Error(`no conformance case in ${path.resolve(values.corpus)} (--corpus)`);
  const directory = mkdtempSync(path.join(os.tmpdir(), 'bench-index-'));
  try {
    let started = performance.now();
    const { kinds, bytes } = await generate(directory, terms);
    console.log(`generated ${VERSIONS.toLocaleString('en')} versions of ${String(terms.length)} real terms (${(bytes / VERSIONS / 1024).toFixed(1)} KB a version on average) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    for (const [kind, count] of Object.entries(kinds).sort((a, b) => b[1] - a[1])) console.log(`  ${kind}: ${String(count)}`);

    const repository = await openVersions({ directory, environment, authorName: 'Bench', authorEmail: 'bench@example.invalid', isReadOnly: true });
    try {
      started = performance.now();
      let read = 0;
      for await (const change of repository.changesSince(undefined)) if (change.content !== undefined) read++;
      const readSeconds = (performance.now() - started) / 1000;
      console.log(`baseline, reading each version and the one before it: ${String(read)} versions in ${readSeconds.toFixed(2)} s (${Math.round(read / readSeconds).toLocaleString('en')} versions/s)`);

      const index = HistoryIndex.open(repository);
      try {
        started = performance.now();
        // the time each version took, from the one before it (the first one carries the start: left out)
        const times: number[] = [];
        let last = performance.now();
        const indexed = await index.catchUp(() => {
          const now = performance.now();
          times.push(now - last);
          last = now;
        });
        const seconds = (performance.now() - started) / 1000;
        const sorted = times.slice(1).sort((a, b) => a - b);
        const at = (share: number): string => (sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? 0).toFixed(2);
        console.log(`history index, from nothing: ${String(indexed)} versions in ${seconds.toFixed(2)} s (${Math.round(indexed / seconds).toLocaleString('en')} versions/s, ${(seconds / readSeconds).toFixed(2)}× the baseline)`);
        console.log(`  per version: p50 ${at(0.5)} ms, p90 ${at(0.9)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms`);
      } finally {
        index.close();
      }
    } finally {
      await repository.close();
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

await main();
