// The worker thread that extracts documents whose filters are contributors' code: it loads each filter again from
// its file, then runs the same extraction as the main thread. Its owner (isolated.ts) stops it when it runs too long.
import { parentPort } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';

import type { FilterFunction, FilterStep, SourceDocument } from '../declarations/index.js';
import { extract } from './extract.js';
import type { WorkerReply, WorkerRequest } from './isolated.js';

async function loadFilter(step: FilterStep): Promise<FilterFunction | undefined> {
  if (!step.origin) return undefined;
  const module = (await import(pathToFileURL(step.origin.file).href)) as Record<string, unknown>;
  const exported = module[step.origin.exportName];
  if (step.origin.validUntil === undefined) return typeof exported === 'function' ? (exported as FilterFunction) : undefined;
  const entry = Array.isArray(exported) ? (exported as { validUntil?: unknown; filter?: unknown }[]).find(item => item.validUntil === step.origin?.validUntil) : undefined;
  return typeof entry?.filter === 'function' ? (entry.filter as FilterFunction) : undefined;
}

async function handle(request: WorkerRequest): Promise<WorkerReply> {
  try {
    const filters = await Promise.all(
      request.sourceDocument.filters.map(async (step): Promise<FilterStep> => {
        const run = await loadFilter(step);
        return run ? { ...step, run } : step;
      }),
    );
    const sourceDocument: SourceDocument = { ...request.sourceDocument, filters };
    return { id: request.id, markdown: await extract({ content: request.content, mimeType: request.mimeType, sourceDocument }) };
  } catch (error) {
    return { id: request.id, error: { name: error instanceof Error ? error.name : 'Error', message: error instanceof Error ? error.message : String(error) } };
  }
}

parentPort?.on('message', (request: WorkerRequest) => {
  void handle(request).then(reply => parentPort?.postMessage(reply));
});
// loaded: the time limit of an extraction counts from here, not from the thread's start
parentPort?.postMessage({ ready: true });
