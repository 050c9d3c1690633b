// Searches in worker threads (search-worker.ts), each with its own read-only connection to the history index:
// SQLite's WAL lets them read while `serve` catches the index up. A search goes to the least busy worker.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

import { SearchSyntaxError } from './passage-queries.js';
import type { SearchRequest } from './search.js';

type Reply = { id: number; result: string } | { id: number; error: { message: string; isSyntax: boolean; isRange: boolean } };

interface Slot {
  readonly worker: Worker;
  readonly pending: Map<number, { resolve: (answer: string) => void; reject: (error: Error) => void }>;
}

/** The compiled worker script (tests run this module from its source: they use the build, as `npm test` builds first). */
function workerScript(): string {
  const here = fileURLToPath(import.meta.url);
  return here.endsWith('.ts') ? path.resolve(path.dirname(here), '../../dist/publish/search-worker.js') : path.join(path.dirname(here), 'search-worker.js');
}

export class SearchPool {
  private readonly slots: Slot[] = [];
  private nextId = 0;

  /** `size` workers reading the index file at `databasePath`. */
  constructor(databasePath: string, size: number) {
    for (let index = 0; index < size; index++) {
      const worker = new Worker(workerScript(), { workerData: { path: databasePath } });
      worker.unref();
      const slot: Slot = { worker, pending: new Map() };
      worker.on('message', (reply: Reply | { ready: true }) => {
        if (!('id' in reply)) return;
        const waiting = slot.pending.get(reply.id);
        slot.pending.delete(reply.id);
        if (!waiting) return;
        if ('result' in reply) waiting.resolve(reply.result);
        else waiting.reject(reply.error.isSyntax ? new SearchSyntaxError(reply.error.message) : reply.error.isRange ? new RangeError(reply.error.message) : new Error(reply.error.message));
      });
      worker.on('error', error => {
        for (const waiting of slot.pending.values()) waiting.reject(error);
        slot.pending.clear();
      });
      this.slots.push(slot);
    }
  }

  /** The API's answer to a search, as JSON text (searchAnswer). */
  search(request: SearchRequest): Promise<string> {
    const slot = this.slots.reduce((best, candidate) => (candidate.pending.size < best.pending.size ? candidate : best));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ id, request });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map(slot => slot.worker.terminate()));
  }
}
