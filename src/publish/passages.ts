// The passages of the history index: each distinct paragraph of any version, stored once and indexed for full-text
// search (SQLite FTS5), and the spans in which a terms held it: from the version that brought it to the one that
// took it away (open while the latest holds it). Search, trace and blame are queries on these two tables; they are
// filled as the index catches up, from the paragraphs where each version differs from the one before.
import { createHash } from 'node:crypto';

import type Database from 'better-sqlite3';
import { diffArrays } from 'diff';

import { paragraphsOf, paragraphWindow } from './paragraphs.js';
import type { VersionKind } from './history-rows.js';

export const PASSAGE_TABLES = `
  CREATE TABLE IF NOT EXISTS terms (id INTEGER PRIMARY KEY, service TEXT NOT NULL, type TEXT NOT NULL, latest_seq INTEGER, UNIQUE (service, type));
  CREATE TABLE IF NOT EXISTS passages (id INTEGER PRIMARY KEY, hash BLOB NOT NULL UNIQUE);
  CREATE VIRTUAL TABLE IF NOT EXISTS passages_text USING fts5(text, tokenize = 'unicode61 remove_diacritics 2');
  CREATE VIRTUAL TABLE IF NOT EXISTS live_spans USING fts5(text, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2');
  CREATE TABLE IF NOT EXISTS spans (
    id INTEGER PRIMARY KEY, terms INTEGER NOT NULL, passage INTEGER NOT NULL, from_seq INTEGER NOT NULL,
    to_seq INTEGER, origin_seq INTEGER NOT NULL, occurrences INTEGER NOT NULL);
  CREATE INDEX IF NOT EXISTS spans_passage ON spans (passage, terms, from_seq, to_seq);
  CREATE UNIQUE INDEX IF NOT EXISTS spans_open ON spans (terms, passage) WHERE to_seq IS NULL;
`;

export const CLEAR_PASSAGES = 'DELETE FROM spans; DELETE FROM passages; DELETE FROM live_spans; DELETE FROM passages_text; DELETE FROM terms;';

/** Dropped when the index's layout changes. */
export const PASSAGE_TABLE_NAMES = ['spans', 'passages', 'live_spans', 'passages_text', 'terms'];

/**
 * The rowid of an open span in live_spans: its terms and its passage in one integer, so that a search of the
 * versions in force groups its matches by terms without a join (terms up to 2^21, passages up to 2^32).
 */
export const LIVE_TERMS_SHIFT = 2 ** 32;
export const liveRowid = (terms: number, passage: number): number => terms * LIVE_TERMS_SHIFT + passage;

export interface PassageChange {
  readonly seq: number;
  readonly serviceId: string;
  readonly termsType: string;
  readonly kind: VersionKind;
  /** UTF-8; empty for a first record. */
  readonly previous: Buffer;
  readonly content: Buffer;
}

const hashOf = (paragraph: string): Buffer => createHash('sha256').update(paragraph).digest();

interface OpenSpan {
  id: number;
  origin_seq: number;
  occurrences: number;
}

/** Writes the passages and spans of each version, in commit order, inside the index's transaction. */
export class PassageWriter {
  private readonly termsId: Database.Statement;
  private readonly insertTerms: Database.Statement;
  private readonly setLatest: Database.Statement;
  private readonly passageId: Database.Statement;
  private readonly insertPassage: Database.Statement;
  private readonly insertText: Database.Statement;
  private readonly openSpan: Database.Statement;
  private readonly openSpans: Database.Statement;
  private readonly insertSpan: Database.Statement;
  private readonly setOccurrences: Database.Statement;
  private readonly closeSpan: Database.Statement;
  private readonly liveInsert: Database.Statement;
  private readonly liveDelete: Database.Statement;

  constructor(db: Database.Database) {
    this.termsId = db.prepare('SELECT id FROM terms WHERE service = ? AND type = ?').pluck();
    this.insertTerms = db.prepare('INSERT INTO terms (service, type) VALUES (?, ?)');
    this.setLatest = db.prepare('UPDATE terms SET latest_seq = ? WHERE id = ?');
    this.passageId = db.prepare('SELECT id FROM passages WHERE hash = ?').pluck();
    this.insertPassage = db.prepare('INSERT INTO passages (hash) VALUES (?)');
    this.insertText = db.prepare('INSERT INTO passages_text (rowid, text) VALUES (?, ?)');
    this.openSpan = db.prepare('SELECT id, origin_seq, occurrences FROM spans WHERE terms = ? AND passage = ? AND to_seq IS NULL');
    this.openSpans = db.prepare('SELECT id FROM spans WHERE terms = ? AND to_seq IS NULL').pluck();
    this.insertSpan = db.prepare('INSERT INTO spans (terms, passage, from_seq, to_seq, origin_seq, occurrences) VALUES (?, ?, ?, NULL, ?, ?)');
    this.setOccurrences = db.prepare('UPDATE spans SET occurrences = ? WHERE id = ?');
    this.closeSpan = db.prepare('UPDATE spans SET to_seq = ? WHERE id = ? RETURNING terms, passage');
    this.liveInsert = db.prepare('INSERT INTO live_spans (rowid, text) VALUES (CAST(? AS INTEGER), ?)');
    this.liveDelete = db.prepare('DELETE FROM live_spans WHERE rowid = CAST(? AS INTEGER)');
  }

  /**
   * live_spans is the full-text index of the open spans, one row for each paragraph each latest version holds: what
   * a search of the versions in force now reads. A span enters it when it opens and leaves it when it closes, at the
   * next flush: a span opened and closed between two flushes (a terms that changes often) never touches it.
   */
  private readonly pendingLive = new Map<number, { readonly wasLive: boolean; text: string | undefined }>();

  private closed(seq: number, span: number): void {
    const { terms, passage } = this.closeSpan.get(seq, span) as { terms: number; passage: number };
    const rowid = liveRowid(terms, passage);
    const pending = this.pendingLive.get(rowid);
    if (pending) pending.text = undefined;
    else this.pendingLive.set(rowid, { wasLive: true, text: undefined });
  }

  private opened(terms: number, passage: number, text: string): void {
    const rowid = liveRowid(terms, passage);
    const pending = this.pendingLive.get(rowid);
    if (pending) pending.text = text;
    else this.pendingLive.set(rowid, { wasLive: false, text });
  }

  /** Brings live_spans up to the open spans: before each commit. */
  flush(): void {
    for (const [rowid, { wasLive, text }] of this.pendingLive) {
      if (wasLive && text === undefined) this.liveDelete.run(rowid);
      else if (!wasLive && text !== undefined) this.liveInsert.run(rowid, text);
    }
    this.pendingLive.clear();
  }

  private terms(serviceId: string, termsType: string): number {
    const id = this.termsId.get(serviceId, termsType) as number | undefined;
    return id ?? Number(this.insertTerms.run(serviceId, termsType).lastInsertRowid);
  }

  private passage(paragraph: string): number {
    const hash = hashOf(paragraph);
    const id = this.passageId.get(hash) as number | undefined;
    if (id !== undefined) return id;
    const created = Number(this.insertPassage.run(hash).lastInsertRowid);
    this.insertText.run(created, paragraph);
    return created;
  }

  apply(change: PassageChange): void {
    const terms = this.terms(change.serviceId, change.termsType);
    this.setLatest.run(change.seq, terms);
    let before: string[];
    let after: string[];
    if (change.kind === 'first' || change.previous.length === 0) {
      // the whole text: whatever the terms held before (a terms recorded again after its file was deleted) ends here
      for (const id of this.openSpans.all(terms) as number[]) this.closed(change.seq, id);
      before = [];
      after = paragraphsOf(change.content.toString('utf8'));
    } else {
      ({ before, after } = paragraphWindow(change.previous, change.content));
    }
    const delta = new Map<string, number>();
    for (const paragraph of before) delta.set(paragraph, (delta.get(paragraph) ?? 0) - 1);
    for (const paragraph of after) delta.set(paragraph, (delta.get(paragraph) ?? 0) + 1);
    const origins = change.kind === 'upgrade' ? this.upgradeOrigins(terms, before, after) : new Map<string, number>();
    for (const [paragraph, difference] of delta) {
      if (difference === 0) continue;
      const passage = this.passage(paragraph);
      const open = this.openSpan.get(terms, passage) as OpenSpan | undefined;
      const occurrences = (open?.occurrences ?? 0) + difference;
      if (open && occurrences > 0) this.setOccurrences.run(occurrences, open.id);
      else if (open) this.closed(change.seq, open.id);
      else if (occurrences > 0) {
        this.insertSpan.run(terms, passage, change.seq, origins.get(paragraph) ?? change.seq, occurrences);
        this.opened(terms, passage, paragraph);
      }
    }
  }

  /**
   * What a technical upgrade's new paragraphs inherit: the version that introduced the paragraph each one replaced
   * (aligned by a diff of the paragraphs), so that blame skips the upgrade as it skips a reformatting.
   */
  private upgradeOrigins(terms: number, before: readonly string[], after: readonly string[]): Map<string, number> {
    const origins = new Map<string, number>();
    let removed: string[] = [];
    for (const part of diffArrays([...before], [...after])) {
      if (part.removed) {
        removed = part.value;
        continue;
      }
      if (part.added) {
        part.value.forEach((paragraph: string, at: number) => {
          const replaced = removed[at];
          if (replaced === undefined) return;
          const hash = hashOf(replaced);
          const passage = this.passageId.get(hash) as number | undefined;
          const open = passage === undefined ? undefined : (this.openSpan.get(terms, passage) as OpenSpan | undefined);
          if (open) origins.set(paragraph, open.origin_seq);
        });
      }
      removed = [];
    }
    return origins;
  }
}

export { hashOf };
