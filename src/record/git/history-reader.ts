// Reads a repository's records in commit order, with each file's content before and after, for indexes built
// beside the repository (the history index of feeds and the API). Two git processes whatever the number of
// commits: one `git log` for the list, one `git cat-file --batch` for the contents, asked for ahead.
import type { RecordChange } from '../model.js';
import { BlobReader } from './blob-reader.js';
import { decodeMessage } from './commit-message.js';
import { parsePath } from './file-paths.js';
import type { Git } from './git.js';

const START = '\u0001';
const FIELD = '\u001f';
const END = '\u001e';
/** Records whose contents are asked for ahead of the one in hand. */
const READ_AHEAD = 64;

/**
 * The record commits after `since` (all when undefined), oldest first, with the content of their file before and
 * after. Commits that are not records (other subjects, several files) are skipped.
 */
export async function* readRecordChanges(git: Git, since: string | undefined): AsyncGenerator<RecordChange> {
  // a repository without commits yet (every page of the first run failed) has no history to read
  if ((await git.head()) === '') return;
  const range = since ? `${since}..HEAD` : 'HEAD';
  // -z: file names end with NUL, never quoted, whatever they hold
  const log = await git.raw(['log', '-z', '--reverse', '--no-renames', '--name-only', `--format=${START}%H${FIELD}%aI${FIELD}%s${FIELD}%b${END}`, range]);
  const records: { id: string; date: string; subject: string; body: string; file: string; serviceId: string; termsType: string }[] = [];
  for (const entry of log.split(START)) {
    const end = entry.indexOf(END);
    if (end === -1) continue;
    const [id = '', date = '', subject = '', body = ''] = entry.slice(0, end).split(FIELD);
    const files = entry.slice(end + 1).split(/[\0\n]/).filter(name => name !== '');
    const [file] = files;
    const parsed = file === undefined ? undefined : parsePath(file);
    if (files.length === 1 && file !== undefined && parsed) records.push({ id, date, subject, body, file, serviceId: parsed.serviceId, termsType: parsed.termsType });
  }
  const reader = new BlobReader(git.directory, git.environment);
  // contents are asked for ahead of the record in hand, so that git reads while the caller works on it
  const requested = new Map<number, Promise<[Buffer | undefined, Buffer | undefined]>>();
  const known = new Set<string>();
  const request = (index: number): void => {
    const record = records[index];
    if (!record || requested.has(index)) return;
    // a file's content before a record is the content of its previous record, once one was read
    const before = known.has(record.file) ? Promise.resolve(undefined) : reader.read(`${record.id}^`, record.file);
    known.add(record.file);
    const both = Promise.all([reader.read(record.id, record.file), before]);
    // read ahead, it may never be awaited (the caller stopped): its failure is the caller's only once awaited
    both.catch(() => undefined);
    requested.set(index, both);
  };
  const latest = new Map<string, Buffer>();
  try {
    for (const [index, record] of records.entries()) {
      // asked for in batches (one write to git each), well before they are needed
      if (index % (READ_AHEAD / 2) === 0) for (let ahead = index; ahead < Math.min(records.length, index + READ_AHEAD); ahead++) request(ahead);
      // a turn of the event loop, so that what git wrote is read and git goes on writing while the caller works
      await new Promise(resolve => setImmediate(resolve));
      const [bytes, before] = await (requested.get(index) as Promise<[Buffer | undefined, Buffer | undefined]>);
      requested.delete(index);
      const decoded = decodeMessage(record.subject, record.body);
      const contentBytes = bytes ?? Buffer.alloc(0);
      const previousBytes = latest.get(record.file) ?? before ?? Buffer.alloc(0);
      latest.set(record.file, contentBytes);
      // decoded only when read: the history index compares the bytes and decodes what changed
      let content: string | undefined;
      let previous: string | undefined;
      yield {
        id: record.id,
        date: new Date(record.date),
        subject: record.subject,
        serviceId: record.serviceId,
        termsType: record.termsType,
        isFirstRecord: decoded.isFirstRecord,
        isTechnicalUpgrade: decoded.isTechnicalUpgrade,
        snapshotIds: decoded.snapshotIds,
        metadata: decoded.metadata,
        get content() {
          return (content ??= contentBytes.toString('utf8'));
        },
        get previous() {
          return (previous ??= previousBytes.toString('utf8'));
        },
        bytes: { content: contentBytes, previous: previousBytes },
      };
    }
  } finally {
    reader.close();
  }
}
