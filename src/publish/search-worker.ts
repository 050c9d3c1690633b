// A worker thread answering searches from its own read-only connection to the history index, so that a long
// search (over all history, a common word) never holds up the server's other requests, and searches run side by
// side on the machine's cores. Started by search-pool.ts.
import { parentPort, workerData } from 'node:worker_threads';

import Database from 'better-sqlite3';

import { PassageReader, SearchSyntaxError } from './passage-queries.js';
import { searchAnswer, type SearchRequest } from './search.js';

const db = new Database((workerData as { path: string }).path, { readonly: true, fileMustExist: true });
const passages = new PassageReader(db);
const source = {
  passages,
  firstDate: (): Date | undefined => {
    const date = db.prepare('SELECT min(date) FROM versions').pluck().get() as string | null;
    return date === null ? undefined : new Date(date);
  },
};

parentPort?.on('message', ({ id, request }: { id: number; request: SearchRequest }) => {
  try {
    parentPort?.postMessage({ id, result: searchAnswer(source, request) });
  } catch (error) {
    parentPort?.postMessage({ id, error: { name: (error as Error).name, message: (error as Error).message, isSyntax: error instanceof SearchSyntaxError, isRange: error instanceof RangeError } });
  }
});
parentPort?.postMessage({ ready: true });
