// Reads a repository's records in commit order, with each file's content before and after, for indexes built
// beside the repository (the history index of feeds and the API). Two git processes whatever the number of
// commits: one `git log` for the list, one `git cat-file --batch` for the contents.
import type { RecordChange } from '../model.js';
import { BlobReader } from './blob-reader.js';
import { decodeMessage } from './commit-message.js';
import { parsePath } from './file-paths.js';
import type { Git } from './git.js';

const START = '\u0001';
const FIELD = '\u001f';
const END = '\u001e';

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
  const reader = new BlobReader(git.directory, git.environment);
  const latest = new Map<string, string>();
  try {
    for (const entry of log.split(START)) {
      const end = entry.indexOf(END);
      if (end === -1) continue;
      const [id = '', date = '', subject = '', body = ''] = entry.slice(0, end).split(FIELD);
      const files = entry.slice(end + 1).split(/[\0\n]/).filter(name => name !== '');
      const [file] = files;
      const parsed = file === undefined ? undefined : parsePath(file);
      if (files.length !== 1 || file === undefined || !parsed) continue;
      const decoded = decodeMessage(subject, body);
      const content = ((await reader.read(id, file)) ?? Buffer.alloc(0)).toString('utf8');
      const previous = latest.get(file) ?? ((await reader.read(`${id}^`, file)) ?? Buffer.alloc(0)).toString('utf8');
      latest.set(file, content);
      yield {
        id,
        date: new Date(date),
        subject,
        serviceId: parsed.serviceId,
        termsType: parsed.termsType,
        isFirstRecord: decoded.isFirstRecord,
        isTechnicalUpgrade: decoded.isTechnicalUpgrade,
        snapshotIds: decoded.snapshotIds,
        metadata: decoded.metadata,
        content,
        previous,
      };
    }
  } finally {
    reader.close();
  }
}
