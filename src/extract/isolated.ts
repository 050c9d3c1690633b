// Extraction with contributors' filters, under a time limit. A filter is code from a pull request: `while (true) {}`
// or a promise that never settles would otherwise freeze the whole run (no timer fires, no signal is heard). Such
// extractions run in worker threads, each stopped when it takes longer than the limit; the terms is then reported
// inaccessible and the run goes on. Extractions without service filters stay in the calling thread.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

import type { FilterStep, SourceDocument } from '../declarations/index.js';
import { ExtractError } from './errors.js';
import { extract, type ExtractInput } from './extract.js';
import { hasServiceFilters } from './filters.js';

export interface WorkerRequest {
  readonly id: number;
  readonly content: string | Uint8Array;
  readonly mimeType: string;
  /** The source document, its filters without their functions (the worker loads them from their origin). */
  readonly sourceDocument: Omit<SourceDocument, 'filters'> & { readonly filters: readonly Omit<FilterStep, 'run'>[] };
}

export type WorkerReply = { readonly id: number; readonly markdown: string } | { readonly id: number; readonly error: { readonly name: string; readonly message: string } };

export interface IsolatedExtractorOptions {
  /** Worker threads at most (each holds a jsdom, ~100 MB). @default 2 */
  readonly workers?: number;
  /** How long an extraction with service filters may take. @default 60000 */
  readonly timeoutMs?: number;
}

export interface IsolatedExtractor {
  extract(input: ExtractInput): Promise<string>;
  /** Stops the workers; pending extractions fail. */
  close(): Promise<void>;
}

/**
 * The compiled worker script. Tests run this module from its TypeScript source, where no compiled sibling exists:
 * they use the build (`npm test` builds first).
 */
function workerScript(): string {
  const here = fileURLToPath(import.meta.url);
  const compiled = here.endsWith('.ts') ? path.resolve(path.dirname(here), '../../dist/extract/extraction-worker.js') : path.join(path.dirname(here), 'extraction-worker.js');
  return compiled;
}

/** A filter step as it crosses to a worker: functions cannot, their origin can. */
function withoutFunction(step: FilterStep): Omit<FilterStep, 'run'> {
  return { name: step.name, params: step.params, isBuiltIn: step.isBuiltIn, ...(step.origin && { origin: step.origin }) };
}

interface Slot {
  readonly worker: Worker;
  /** Resolves once the worker has loaded the extraction code. */
  readonly ready: Promise<void>;
  busy: boolean;
}

export function createIsolatedExtractor(options: IsolatedExtractorOptions = {}): IsolatedExtractor {
  const size = Math.max(1, options.workers ?? 2);
  const timeoutMs = options.timeoutMs ?? 60_000;
  const slots: Slot[] = [];
  const waiting: ((slot: Slot) => void)[] = [];
  let nextId = 0;
  let isClosed = false;

  const spawnSlot = (): Slot => {
    const worker = new Worker(workerScript());
    worker.unref();
    const ready = new Promise<void>((resolve, reject) => {
      const onMessage = (message: unknown): void => {
        if ((message as { ready?: boolean }).ready !== true) return;
        worker.off('message', onMessage);
        worker.off('error', reject);
        resolve();
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
    ready.catch(() => undefined);
    const slot: Slot = { worker, ready, busy: true };
    slots.push(slot);
    return slot;
  };
  const acquire = (): Promise<Slot> => {
    const idle = slots.find(slot => !slot.busy);
    if (idle) {
      idle.busy = true;
      return Promise.resolve(idle);
    }
    if (slots.length < size) return Promise.resolve(spawnSlot());
    return new Promise(resolve => waiting.push(resolve));
  };
  const release = (slot: Slot): void => {
    const next = waiting.shift();
    if (next) next(slot);
    else slot.busy = false;
  };
  const replace = (slot: Slot): void => {
    slots.splice(slots.indexOf(slot), 1);
    void slot.worker.terminate();
    const next = waiting.shift();
    if (next) next(spawnSlot());
  };

  const runIsolated = async (input: ExtractInput): Promise<string> => {
    if (isClosed) throw new ExtractError('the extraction workers are closed');
    const slot = await acquire();
    try {
      await slot.ready;
    } catch (error) {
      replace(slot);
      throw new ExtractError(`The extraction worker did not start: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const id = nextId++;
    const request: WorkerRequest = {
      id,
      content: input.content,
      mimeType: input.mimeType,
      sourceDocument: { ...input.sourceDocument, filters: input.sourceDocument.filters.map(withoutFunction) },
    };
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        replace(slot);
        const names = input.sourceDocument.filters.filter(step => !step.isBuiltIn).map(step => `"${step.name}"`).join(', ');
        reject(new ExtractError(`The filters ${names} did not finish within ${String(timeoutMs / 1000)} s on the page at '${input.sourceDocument.location}': they were stopped`));
      }, timeoutMs);
      const onMessage = (reply: WorkerReply): void => {
        if (reply.id !== id) return;
        cleanup();
        release(slot);
        if ('markdown' in reply) resolve(reply.markdown);
        else reject(new ExtractError(reply.error.message.replace(/^Extract failed: /, '')));
      };
      const onError = (error: Error): void => {
        cleanup();
        replace(slot);
        reject(new ExtractError(`The extraction worker stopped: ${error.message}`, { cause: error }));
      };
      const cleanup = (): void => {
        clearTimeout(timer);
        slot.worker.off('message', onMessage);
        slot.worker.off('error', onError);
      };
      slot.worker.on('message', onMessage);
      slot.worker.on('error', onError);
      slot.worker.postMessage(request);
    });
  };

  return {
    extract: input =>
      // a filter loaded from a file can be loaded again in a worker; one given as a bare function (in tests) runs here
      hasServiceFilters(input.sourceDocument) && input.sourceDocument.filters.every(step => step.isBuiltIn || !step.run || step.origin)
        ? runIsolated(input)
        : extract(input),
    close: async () => {
      isClosed = true;
      await Promise.all(slots.splice(0).map(slot => slot.worker.terminate()));
    },
  };
}
