// Questions asked of the passages (passages.ts): which terms hold a text at a date or held it over a period
// (search), in which periods a terms held a passage (trace), and which version brought each paragraph of a version
// (blame). FTS5 finds the paragraphs; their spans say where and when they were.
import type Database from 'better-sqlite3';

import type { VersionKind } from './history-rows.js';
import type { ChangeLabel } from './labels.js';
import { hashOf } from './passages.js';
import { paragraphsOf } from './paragraphs.js';

/** A version as results name it. */
export interface VersionRef {
  readonly id: string;
  readonly fetchDate: string;
  readonly label: ChangeLabel;
  readonly kind: VersionKind;
}

export interface SearchQuery {
  /** FTS5 query: words, "phrases", prefix*, AND, OR, NOT, NEAR(…), parentheses; all within one paragraph. */
  readonly text: string;
  readonly serviceIds?: readonly string[] | undefined;
  readonly termsTypes?: readonly string[] | undefined;
  /** The versions in force at this date (default: the latest). */
  readonly at?: Date | undefined;
  /** Over the whole history instead, or the part of it between these dates. */
  readonly history?: { readonly from?: Date | undefined; readonly to?: Date | undefined } | undefined;
}

export interface SearchHit {
  readonly serviceId: string;
  readonly termsType: string;
  /** The version in force at the date; over history, the first of the period in which the terms matched. */
  readonly version: VersionRef;
  /** Over history: the version that ended the period (null while the latest still matches). */
  readonly until?: VersionRef | null;
  /** How many paragraphs match (in the version; over history, in the period). */
  readonly matches: number;
  /** A matching paragraph cut around the match; `highlights` are [start, end) offsets of the matched words in it. */
  readonly snippet: string;
  readonly highlights: readonly (readonly [number, number])[];
}

/** A period in which a terms held a passage: from the version that brought it to the one that removed it. */
export interface Period {
  readonly from: VersionRef;
  /** null while the latest version holds it. */
  readonly until: VersionRef | null;
}

export interface BlamedParagraph {
  readonly text: string;
  /** The version that brought the paragraph (technical upgrades skipped); undefined if the index lacks it. */
  readonly since: VersionRef | undefined;
}

/** A query FTS5 refuses; its message says why. */
export class SearchSyntaxError extends RangeError {}

interface SpanRow {
  terms: number;
  passage: number;
  from_seq: number;
  to_seq: number | null;
  service: string;
  type: string;
}

interface Interval {
  from: number;
  to: number | null;
  passages: Set<number>;
}

const START_MARK = '\u0002';
const END_MARK = '\u0003';

/** Merges the spans of one terms into the periods they cover (touching spans join). */
function merge(spans: readonly { from: number; to: number | null; passage: number }[]): Interval[] {
  const sorted = [...spans].sort((a, b) => a.from - b.from);
  const merged: Interval[] = [];
  for (const span of sorted) {
    const last = merged.at(-1);
    if (last && (last.to === null || span.from <= last.to)) {
      if (last.to !== null && (span.to === null || span.to > last.to)) last.to = span.to;
      last.passages.add(span.passage);
    } else {
      merged.push({ from: span.from, to: span.to, passages: new Set([span.passage]) });
    }
  }
  return merged;
}

/** The periods covered by both lists. */
function intersect(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const result: Interval[] = [];
  for (const x of a) {
    for (const y of b) {
      const from = Math.max(x.from, y.from);
      const to = x.to === null ? y.to : y.to === null ? x.to : Math.min(x.to, y.to);
      if (to === null || from < to) result.push({ from, to, passages: new Set([...x.passages, ...y.passages]) });
    }
  }
  return result;
}

/** An FTS5 phrase of a text's words: case, accents and punctuation do not count. */
export function phraseOf(text: string): string | undefined {
  const words = text.match(/[\p{L}\p{N}]+/gu);
  return words ? `"${words.join(' ')}"` : undefined;
}

export class PassageReader {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** Runs an FTS5 query, turning its syntax errors into SearchSyntaxError. */
  private match<T>(sql: string, parameters: readonly unknown[]): T[] {
    try {
      return this.statement(sql).all(...parameters) as T[];
    } catch (error) {
      const message = (error as Error).message;
      if (/fts5|no such column|unterminated|syntax error/i.test(message)) throw new SearchSyntaxError(`the query cannot be read: ${message.replace(/^fts5: /, '')}`);
      throw error;
    }
  }

  /** Every terms the index holds, by service. */
  terms(): { serviceId: string; termsType: string }[] {
    return (this.statement('SELECT service, type FROM terms ORDER BY service, type').all() as { service: string; type: string }[]).map(row => ({ serviceId: row.service, termsType: row.type }));
  }

  versionBySeq(seq: number): VersionRef {
    const row = this.statement('SELECT id, date, label, kind FROM versions WHERE seq = ?').get(seq) as { id: string; date: string; label: ChangeLabel; kind: VersionKind } | undefined;
    if (!row) throw new Error(`the history index has no version ${seq}: rebuild it (terms-archive index --rebuild)`);
    return { id: row.id, fetchDate: row.date, label: row.label, kind: row.kind };
  }

  private filters(query: SearchQuery): { sql: string; parameters: string[] } {
    let sql = '';
    const parameters: string[] = [];
    for (const [column, values] of [['t.service', query.serviceIds], ['t.type', query.termsTypes]] as const) {
      if (!values || values.length === 0) continue;
      sql += ` AND ${column} IN (${values.map(() => '?').join(', ')})`;
      parameters.push(...values);
    }
    return { sql, parameters };
  }

  /** The snippet of a passage around the query's match. */
  snippet(text: string, passage: number): { snippet: string; highlights: [number, number][] } {
    const rows = this.match<{ s: string }>(`SELECT snippet(passages_text, 0, '${START_MARK}', '${END_MARK}', '…', 24) AS s FROM passages_text WHERE passages_text MATCH ? AND rowid = ?`, [text, passage]);
    const marked = rows[0]?.s ?? '';
    let snippet = '';
    const highlights: [number, number][] = [];
    let start = 0;
    for (const character of marked) {
      if (character === START_MARK) start = snippet.length;
      else if (character === END_MARK) highlights.push([start, snippet.length]);
      else snippet += character;
    }
    return { snippet, highlights };
  }

  search(query: SearchQuery): SearchHit[] {
    const { sql: filter, parameters } = this.filters(query);
    if (query.history) return this.searchHistory(query, filter, parameters);
    let rows: SpanRow[];
    const select = 'SELECT s.terms, s.passage, s.from_seq, s.to_seq, t.service, t.type FROM passages_text p JOIN spans s ON s.passage = p.rowid JOIN terms t ON t.id = s.terms';
    if (query.at === undefined) {
      rows = this.match(`${select} WHERE passages_text MATCH ? AND s.to_seq IS NULL${filter}`, [query.text, ...parameters]);
    } else {
      rows = this.match(`WITH at AS MATERIALIZED (SELECT t.id AS terms, (SELECT v.seq FROM versions v WHERE v.service = t.service AND v.type = t.type AND v.date <= ? ORDER BY v.seq DESC LIMIT 1) AS seq FROM terms t WHERE 1${filter})
        ${select} JOIN at ON at.terms = s.terms WHERE passages_text MATCH ? AND s.from_seq <= at.seq AND (s.to_seq IS NULL OR s.to_seq > at.seq)`, [query.at.toISOString(), ...parameters, query.text]);
    }
    const byTerms = new Map<number, { row: SpanRow; passages: Set<number> }>();
    for (const row of rows) {
      const entry = byTerms.get(row.terms) ?? { row, passages: new Set<number>() };
      entry.passages.add(row.passage);
      byTerms.set(row.terms, entry);
    }
    const hits: SearchHit[] = [];
    for (const { row, passages } of byTerms.values()) {
      const seq = query.at === undefined
        ? (this.statement('SELECT max(seq) FROM versions WHERE service = ? AND type = ?').pluck().get(row.service, row.type) as number)
        : (this.statement("SELECT seq FROM versions WHERE service = ? AND type = ? AND date <= ? ORDER BY seq DESC LIMIT 1").pluck().get(row.service, row.type, query.at.toISOString()) as number);
      hits.push({ serviceId: row.service, termsType: row.type, version: this.versionBySeq(seq), matches: passages.size, ...this.snippet(query.text, Math.min(...passages)) });
    }
    return hits.sort((a, b) => a.serviceId.localeCompare(b.serviceId) || a.termsType.localeCompare(b.termsType));
  }

  private searchHistory(query: SearchQuery, filter: string, parameters: readonly string[]): SearchHit[] {
    const rows = this.match<SpanRow>(`SELECT s.terms, s.passage, s.from_seq, s.to_seq, t.service, t.type FROM passages_text p JOIN spans s ON s.passage = p.rowid
      JOIN terms t ON t.id = s.terms WHERE passages_text MATCH ?${filter}`, [query.text, ...parameters]);
    const byTerms = new Map<number, SpanRow[]>();
    for (const row of rows) byTerms.set(row.terms, [...(byTerms.get(row.terms) ?? []), row]);
    const from = query.history?.from?.toISOString();
    const to = query.history?.to?.toISOString();
    const hits: SearchHit[] = [];
    for (const spans of byTerms.values()) {
      const first = spans[0] as SpanRow;
      for (const period of merge(spans.map(span => ({ from: span.from_seq, to: span.to_seq, passage: span.passage })))) {
        const version = this.versionBySeq(period.from);
        const until = period.to === null ? null : this.versionBySeq(period.to);
        if (to !== undefined && version.fetchDate > to) continue;
        if (from !== undefined && until !== null && until.fetchDate <= from) continue;
        hits.push({ serviceId: first.service, termsType: first.type, version, until, matches: period.passages.size, ...this.snippet(query.text, Math.min(...period.passages)) });
      }
    }
    return hits.sort((a, b) => a.serviceId.localeCompare(b.serviceId) || a.termsType.localeCompare(b.termsType) || a.version.fetchDate.localeCompare(b.version.fetchDate));
  }

  /**
   * The periods in which a terms held a passage: each of its paragraphs, as words in order (case, accents and
   * punctuation ignored), within one paragraph of the version. Undefined when the passage has no words.
   */
  trace(serviceId: string, termsType: string, text: string): Period[] | undefined {
    const phrases = paragraphsOf(text).map(phraseOf).filter(phrase => phrase !== undefined);
    if (phrases.length === 0) return undefined;
    let periods: Interval[] | undefined;
    for (const phrase of phrases) {
      const spans = this.match<{ passage: number; from_seq: number; to_seq: number | null }>(`SELECT s.passage, s.from_seq, s.to_seq FROM passages_text p JOIN spans s ON s.passage = p.rowid
        JOIN terms t ON t.id = s.terms WHERE passages_text MATCH ? AND t.service = ? AND t.type = ?`, [phrase, serviceId, termsType]);
      const merged = merge(spans.map(span => ({ from: span.from_seq, to: span.to_seq, passage: span.passage })));
      periods = periods === undefined ? merged : intersect(periods, merged);
    }
    return (periods ?? []).map(period => ({ from: this.versionBySeq(period.from), until: period.to === null ? null : this.versionBySeq(period.to) }));
  }

  /** Each paragraph of a version (its content given) with the version that brought it. */
  blame(serviceId: string, termsType: string, versionId: string, content: string): BlamedParagraph[] {
    const seq = this.statement('SELECT seq FROM versions WHERE id = ?').pluck().get(versionId) as number | undefined;
    const terms = this.statement('SELECT id FROM terms WHERE service = ? AND type = ?').pluck().get(serviceId, termsType) as number | undefined;
    const origin = this.statement('SELECT origin_seq FROM spans WHERE terms = ? AND passage = (SELECT id FROM passages WHERE hash = ?) AND from_seq <= ? AND (to_seq IS NULL OR to_seq > ?) ORDER BY from_seq DESC LIMIT 1').pluck();
    const versions = new Map<number, VersionRef>();
    return paragraphsOf(content).map(text => {
      const since = seq === undefined || terms === undefined ? undefined : (origin.get(terms, hashOf(text), seq, seq) as number | undefined);
      if (since === undefined) return { text, since: undefined };
      let version = versions.get(since);
      if (!version) {
        version = this.versionBySeq(since);
        versions.set(since, version);
      }
      return { text, since: version };
    });
  }
}
