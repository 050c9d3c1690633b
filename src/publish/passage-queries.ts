// Questions asked of the passages (passages.ts): which terms hold a text at a date or held it over a period
// (search), in which periods a terms held a passage (trace), and which version brought each paragraph of a version
// (blame). FTS5 finds the paragraphs; their spans say where and when they were.
import type Database from 'better-sqlite3';

import type { VersionKind } from './history-rows.js';
import type { ChangeLabel } from './labels.js';
import { hashOf, LIVE_TERMS_SHIFT } from './passages.js';
import { Statements } from './statements.js';
import { paragraphsOf } from './paragraphs.js';
import { type QueryTerm, queryTerms, type Snippet, snippetOf } from './snippet.js';

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

/** A search result before its versions and snippet are read: `seq`s are the index's numbers of versions. */
export interface SearchMatch {
  readonly serviceId: string;
  readonly termsType: string;
  readonly seq: number;
  /** Over history: the version that ended the period (null: still present). */
  readonly untilSeq?: number | null;
  readonly matches: number;
  /** A matching paragraph, for the snippet. */
  readonly passage: number;
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


/** Binary order, as SQLite sorts (and much cheaper than localeCompare). */
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

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
  private readonly statements: Statements;

  constructor(db: Database.Database) {
    this.statements = new Statements(db);
  }

  private statement(sql: string): Database.Statement {
    return this.statements.get(sql);
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

  /** A passage's snippet around the words the query looks for. */
  snippet(terms: readonly QueryTerm[], passage: number): Snippet {
    const paragraph = this.statement('SELECT text FROM passages_text WHERE rowid = CAST(? AS INTEGER)').pluck().get(passage) as string | undefined;
    return snippetOf(paragraph ?? '', terms);
  }

  /**
   * The terms that match, sorted by service and terms type (over history, then by date), without their snippets and
   * versions: what counts need, and what a page of hits is cut from.
   */
  find(query: SearchQuery): SearchMatch[] {
    const { sql: filter, parameters } = this.filters(query);
    if (query.history) return this.findInHistory(query, filter, parameters);
    let rows: { service: string; type: string; matches: number; passage: number; seq: number }[];
    if (query.at === undefined) {
      // the versions in force now: the open spans' own full-text index, grouped by the terms in their rowids
      rows = this.match(`SELECT t.service, t.type, g.matches, g.passage, t.latest_seq AS seq
        FROM (SELECT rowid / ${LIVE_TERMS_SHIFT} AS terms, count(*) AS matches, min(rowid % ${LIVE_TERMS_SHIFT}) AS passage FROM live_spans WHERE live_spans MATCH ? GROUP BY 1) g
        JOIN terms t ON t.id = g.terms WHERE 1${filter} ORDER BY t.service, t.type`, [query.text, ...parameters]);
    } else {
      rows = this.match(`WITH at AS MATERIALIZED (SELECT t.id AS terms, (SELECT v.seq FROM versions v WHERE v.service = t.service AND v.type = t.type AND v.date <= ? ORDER BY v.seq DESC LIMIT 1) AS seq FROM terms t WHERE 1${filter})
        SELECT t.service, t.type, count(*) AS matches, min(s.passage) AS passage, max(at.seq) AS seq FROM passages_text p JOIN spans s ON s.passage = p.rowid JOIN terms t ON t.id = s.terms
        JOIN at ON at.terms = s.terms WHERE passages_text MATCH ? AND s.from_seq <= at.seq AND (s.to_seq IS NULL OR s.to_seq > at.seq) GROUP BY s.terms ORDER BY t.service, t.type`, [query.at.toISOString(), ...parameters, query.text]);
    }
    // a terms holds a paragraph in one span at a time: its rows are its distinct matching paragraphs
    return rows.map(row => ({ serviceId: row.service, termsType: row.type, seq: row.seq, matches: row.matches, passage: row.passage }));
  }

  /** Matches with their versions and snippets, the versions read in one query. */
  hits(terms: readonly QueryTerm[], matches: readonly SearchMatch[]): SearchHit[] {
    const seqs = [...new Set(matches.flatMap(match => (typeof match.untilSeq === 'number' ? [match.seq, match.untilSeq] : [match.seq])))];
    const versions = new Map<number, VersionRef>();
    for (let at = 0; at < seqs.length; at += 500) {
      const chunk = seqs.slice(at, at + 500);
      const rows = this.statement(`SELECT seq, id, date, label, kind FROM versions WHERE seq IN (${chunk.map(() => '?').join(', ')})`).all(...chunk) as { seq: number; id: string; date: string; label: ChangeLabel; kind: VersionKind }[];
      for (const row of rows) versions.set(row.seq, { id: row.id, fetchDate: row.date, label: row.label, kind: row.kind });
    }
    const version = (seq: number): VersionRef => versions.get(seq) ?? this.versionBySeq(seq);
    return matches.map(match => ({
      serviceId: match.serviceId,
      termsType: match.termsType,
      version: version(match.seq),
      ...(match.untilSeq !== undefined && { until: match.untilSeq === null ? null : version(match.untilSeq) }),
      matches: match.matches,
      ...this.snippet(terms, match.passage),
    }));
  }

  /** Every hit, snippets included. */
  search(query: SearchQuery): SearchHit[] {
    return this.hits(queryTerms(query.text), this.find(query));
  }

  private findInHistory(query: SearchQuery, filter: string, parameters: readonly string[]): SearchMatch[] {
    const rows = this.match<SpanRow>(`SELECT s.terms, s.passage, s.from_seq, s.to_seq, t.service, t.type FROM passages_text p JOIN spans s ON s.passage = p.rowid
      JOIN terms t ON t.id = s.terms WHERE passages_text MATCH ?${filter}`, [query.text, ...parameters]);
    const byTerms = new Map<number, SpanRow[]>();
    for (const row of rows) {
      const spans = byTerms.get(row.terms);
      if (spans) spans.push(row);
      else byTerms.set(row.terms, [row]);
    }
    const from = query.history?.from?.toISOString();
    const to = query.history?.to?.toISOString();
    const matches: (SearchMatch & { date: string })[] = [];
    for (const spans of byTerms.values()) {
      const first = spans[0] as SpanRow;
      for (const period of merge(spans.map(span => ({ from: span.from_seq, to: span.to_seq, passage: span.passage })))) {
        const date = this.versionBySeq(period.from).fetchDate;
        if (to !== undefined && date > to) continue;
        if (from !== undefined && period.to !== null && this.versionBySeq(period.to).fetchDate <= from) continue;
        matches.push({ serviceId: first.service, termsType: first.type, seq: period.from, untilSeq: period.to, matches: period.passages.size, passage: Math.min(...period.passages), date });
      }
    }
    return matches.sort((a, b) => compare(a.serviceId, b.serviceId) || compare(a.termsType, b.termsType) || compare(a.date, b.date));
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
