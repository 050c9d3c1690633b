// The history index: one row per version, with its kind and its change computed once, in an SQLite side file of
// the versions repository (never recorded). The repository stays the source of truth: the index catches up on the
// versions it has not seen, and can be rebuilt from scratch at any time.
import Database from 'better-sqlite3';

import type { RecordChange, VersionRepository } from '../record/index.js';
import { echo, parseIsoDate } from './dates.js';
import type { RenderedChange } from './change.js';
import { type ExportRow, type IndexedVersion, type Row, toVersion, type VersionKind, type VersionQuery, whereOf } from './history-rows.js';
import { computeChange } from './indexed-change.js';
import type { LabelledChange } from './labels.js';
import { PassageReader } from './passage-queries.js';
import { Statements } from './statements.js';
import { CLEAR_PASSAGES, PASSAGE_TABLE_NAMES, PASSAGE_TABLES, PassageWriter } from './passages.js';

export type { ExportRow, IndexedVersion, VersionKind, VersionQuery } from './history-rows.js';

const INDEX_FILE = 'history.sqlite';


function rowOf(record: RecordChange, change: RenderedChange, labelled: LabelledChange): Row {
  return {
    id: record.id,
    service: record.serviceId,
    type: record.termsType,
    date: record.date.toISOString(),
    kind: record.isFirstRecord ? 'first' : record.isTechnicalUpgrade ? 'upgrade' : 'change',
    subject: record.subject,
    lines_added: change.linesAdded,
    lines_removed: change.linesRemoved,
    words_added: change.wordsAdded,
    words_removed: change.wordsRemoved,
    sections: JSON.stringify(change.sections),
    summary: change.summary,
    diff_html: change.html,
    snapshot_ids: JSON.stringify(record.snapshotIds),
    label: labelled.label,
    label_reason: labelled.reason,
  };
}

/**
 * Bumped when the rows change meaning; an index of another version is rebuilt. 3: paths read unquoted (-z). 4: the
 * words of long rewritten passages counted without a word diff (docs/commands.md#index). 5: passages and their spans
 * (search, trace, blame).
 */
const SCHEMA_VERSION = '5';

export class HistoryIndex {
  private readonly db: Database.Database;
  private readonly statements: Statements;

  /** The index's file; undefined when it is kept in memory. */
  readonly file: string | undefined;

  private constructor(private readonly repository: VersionRepository) {
    this.file = repository.sideFiles.pathOf(INDEX_FILE);
    this.db = new Database(this.file ?? ':memory:');
    this.db.pragma('journal_mode = WAL');
    this.statements = new Statements(this.db);
    this.createTables();
    if (this.meta('schema') !== SCHEMA_VERSION) {
      // an index of an older layout is rebuilt from git: it is only an index
      this.db.exec(`DROP TABLE versions; ${PASSAGE_TABLE_NAMES.map(name => `DROP TABLE IF EXISTS ${name};`).join(' ')} DELETE FROM meta;`);
      this.createTables();
      this.setMeta('schema', SCHEMA_VERSION);
    }
  }

  private createTables(): void {
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS versions (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, service TEXT NOT NULL, type TEXT NOT NULL,
        date TEXT NOT NULL, kind TEXT NOT NULL, subject TEXT NOT NULL, lines_added INTEGER NOT NULL,
        lines_removed INTEGER NOT NULL, words_added INTEGER NOT NULL, words_removed INTEGER NOT NULL,
        sections TEXT NOT NULL, summary TEXT NOT NULL, diff_html TEXT NOT NULL, snapshot_ids TEXT NOT NULL,
        label TEXT NOT NULL, label_reason TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS versions_terms ON versions (service, type, date);
      CREATE INDEX IF NOT EXISTS versions_date ON versions (date);
      CREATE INDEX IF NOT EXISTS versions_terms_order ON versions (service, type, seq);
      ${PASSAGE_TABLES}
    `);
  }

  /** Opens (or creates) the index of a versions repository, kept as one of its side files (in memory for memory). */
  static open(repository: VersionRepository): HistoryIndex {
    return new HistoryIndex(repository);
  }

  close(): void {
    this.db.close();
  }

  private reader: PassageReader | undefined;

  /** Search, trace and blame: the paragraphs of every version and when each terms held them. */
  get passages(): PassageReader {
    this.reader ??= new PassageReader(this.db);
    return this.reader;
  }

  /** Prepares each SQL text once: preparing costs more than running these small queries. */
  private statement(sql: string): Database.Statement {
    return this.statements.get(sql);
  }

  private meta(key: string): string | undefined {
    return (this.statement('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  }

  private setMeta(key: string, value: string): void {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** The last commit indexed. */
  get indexedHead(): string | undefined {
    return this.meta('head');
  }

  /** Changes each time the index is rebuilt: what a reader caches from it is stale once it changed. */
  get generation(): string | undefined {
    return this.meta('generation');
  }

  /** Forgets everything and indexes the whole history again. */
  async rebuild(signal?: AbortSignal): Promise<number> {
    this.db.exec(`DELETE FROM versions; DELETE FROM meta; ${CLEAR_PASSAGES}`);
    this.setMeta('schema', SCHEMA_VERSION);
    this.setMeta('generation', new Date().toISOString());
    return this.catchUp(undefined, signal);
  }

  /**
   * Indexes the commits made since the last call (all of them the first time) and returns how many versions were
   * added. When the history was rewritten (the indexed head is no longer an ancestor), it starts over. Once `signal`
   * is aborted (SIGINT, SIGTERM), it stops after the version in hand and keeps what it indexed: the next call goes on.
   */
  async catchUp(onVersion?: (version: IndexedVersion) => void, signal?: AbortSignal): Promise<number> {
    let since = this.indexedHead;
    if (since && !(await this.repository.contains(since))) {
      this.db.exec(`DELETE FROM versions; ${CLEAR_PASSAGES}`);
      since = undefined;
    }
    const insert = this.db.prepare(`INSERT OR REPLACE INTO versions (id, service, type, date, kind, subject, lines_added, lines_removed,
      words_added, words_removed, sections, summary, diff_html, snapshot_ids, label, label_reason) VALUES (@id, @service, @type, @date, @kind,
      @subject, @lines_added, @lines_removed, @words_added, @words_removed, @sections, @summary, @diff_html, @snapshot_ids, @label, @label_reason)`);
    const passages = new PassageWriter(this.db);
    let count = 0;
    let pending = 0;
    let head: string | undefined;
    // one transaction per thousand versions: a version's row and its passages are written together
    this.db.exec('BEGIN');
    try {
      for await (const record of this.repository.changesSince(since)) {
        if (signal?.aborted) break;
        head = record.id;
        if (!record.subject || (record.bytes === undefined && record.content === undefined)) continue;
        const kind: VersionKind = record.isFirstRecord ? 'first' : record.isTechnicalUpgrade ? 'upgrade' : 'change';
        // compared as bytes: only the lines that changed are decoded and diffed
        const bytes = record.bytes ?? { content: Buffer.from(record.content), previous: Buffer.from(record.previous) };
        const { change, labelled } = computeChange({ kind, previous: bytes.previous, content: bytes.content });
        const row = rowOf(record, change, labelled);
        const seq = Number(insert.run(row).lastInsertRowid);
        passages.apply({ seq, serviceId: record.serviceId, termsType: record.termsType, kind, previous: bytes.previous, content: bytes.content });
        count++;
        onVersion?.(toVersion(row));
        if (++pending >= 1000) {
          this.setMeta('head', head);
          passages.flush();
          this.db.exec('COMMIT; BEGIN');
          pending = 0;
        }
      }
      if (head) this.setMeta('head', head);
      passages.flush();
      this.db.exec('COMMIT');
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
    return count;
  }

  versions(query: VersionQuery): IndexedVersion[] {
    const { where, parameters } = whereOf(query);
    const sql = `SELECT * FROM versions ${where} ORDER BY date DESC, seq DESC LIMIT ? OFFSET ?`;
    return (this.statement(sql).all(...parameters, query.limit, query.offset ?? 0) as Row[]).map(toVersion);
  }

  count(query: Omit<VersionQuery, 'limit' | 'offset'>): number {
    const { where, parameters } = whereOf(query);
    return (this.statement(`SELECT count(*) AS n FROM versions ${where}`).get(...parameters) as { n: number }).n;
  }

  /**
   * The version in force at a date, as OTA and `git log -1 --before=<date>` answer it: of the versions dated at or
   * before it, the one committed last (technical upgrades included: they are what the archive held then). A
   * back-dated upgrade committed after records with later dates is therefore the answer for those later dates too,
   * as it is the file the repository holds (docs/decisions/2026-12-01-latest-in-commit-order.md).
   */
  versionAt(serviceId: string, termsType: string, date: Date): IndexedVersion | undefined {
    const row = this.statement('SELECT * FROM versions WHERE service = ? AND type = ? AND date <= ? ORDER BY seq DESC LIMIT 1').get(serviceId, termsType, date.toISOString()) as Row | undefined;
    return row && toVersion(row);
  }

  /** When the collection began: the date of its oldest version; undefined before the first. */
  firstDate(): Date | undefined {
    const row = this.statement('SELECT min(date) AS date FROM versions').get() as { date: string | null };
    return row.date === null ? undefined : new Date(row.date);
  }

  /** The latest version of a terms: the one committed last, whose content is the repository's current file. */
  latest(serviceId: string, termsType: string): IndexedVersion | undefined {
    const row = this.statement('SELECT * FROM versions WHERE service = ? AND type = ? ORDER BY seq DESC LIMIT 1').get(serviceId, termsType) as Row | undefined;
    return row && toVersion(row);
  }

  /**
   * A version of a terms named by commit id (or a prefix of at least 7 characters) or by ISO 8601 date (the
   * version in force then). Undefined when none matches; throws a RangeError for a reference that is neither.
   */
  resolve(serviceId: string, termsType: string, reference: string): IndexedVersion | undefined {
    if (/^[0-9a-f]{7,40}$/.test(reference)) {
      const row = this.statement("SELECT * FROM versions WHERE service = ? AND type = ? AND id LIKE ? || '%' ORDER BY seq DESC LIMIT 1").get(serviceId, termsType, reference) as Row | undefined;
      if (row) return toVersion(row);
    }
    const date = parseIsoDate(reference);
    if (date === undefined) {
      throw new RangeError(`"${echo(reference)}" is neither a version id nor an ISO 8601 date that exists (e.g. 2024-01-31 or 2024-01-31T12:00:00Z)`);
    }
    return this.versionAt(serviceId, termsType, date);
  }

  /** The version committed just before this one for the same terms: the text its change is computed against. */
  previous(version: IndexedVersion): IndexedVersion | undefined {
    const row = this.statement('SELECT * FROM versions WHERE service = ? AND type = ? AND seq < (SELECT seq FROM versions WHERE id = ?) ORDER BY seq DESC LIMIT 1').get(version.serviceId, version.termsType, version.id) as Row | undefined;
    return row && toVersion(row);
  }

  /** Every version, oldest first (commit order within a date), without its diff: what a dataset exports. Streamed. */
  *exportRows(includeTechnicalUpgrades: boolean): Generator<ExportRow> {
    const sql = `SELECT id, service, type, date, kind, label, lines_added, lines_removed, words_added, words_removed, snapshot_ids
      FROM versions ${includeTechnicalUpgrades ? '' : "WHERE kind != 'upgrade'"} ORDER BY date, seq`;
    for (const row of this.statement(sql).iterate() as IterableIterator<Omit<Row, 'subject' | 'sections' | 'summary' | 'diff_html' | 'label_reason'>>) {
      yield {
        id: row.id,
        serviceId: row.service,
        termsType: row.type,
        fetchDate: row.date,
        kind: row.kind,
        label: row.label,
        linesAdded: row.lines_added,
        linesRemoved: row.lines_removed,
        wordsAdded: row.words_added,
        wordsRemoved: row.words_removed,
        snapshotIds: JSON.parse(row.snapshot_ids) as string[],
      };
    }
  }

  find(id: string): IndexedVersion | undefined {
    const row = this.statement('SELECT * FROM versions WHERE id = ?').get(id) as Row | undefined;
    return row && toVersion(row);
  }
}
