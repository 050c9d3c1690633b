// The end of a pass: the records made durable, then the caches saved. Records that cannot be saved are a failure of
// the pass, said as such (never reported as recorded); caches are only caches, so failing to save one is a warning.
import type { SnapshotRepository, VersionRepository } from '../record/index.js';
import type { EventHub } from './events.js';
import type { ExtractionCache } from './extraction-cache.js';
import type { ValidatorsCache } from './validators-cache.js';

export interface PassStores {
  readonly snapshots: SnapshotRepository;
  readonly versions: VersionRepository;
  readonly extractionCache: ExtractionCache;
  readonly validators: ValidatorsCache;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Saves the pass; returns why records could not be saved, if they could not. */
export async function endPass(stores: PassStores, events: EventHub): Promise<string | undefined> {
  let failure: string | undefined;
  // versions first: they save the snapshots they name before themselves, and drop themselves if those cannot be saved
  for (const repository of [stores.versions, stores.snapshots]) {
    try {
      await repository.flush();
    } catch (error) {
      failure ??= messageOf(error);
    }
  }
  if (failure !== undefined) events.emit('error', { message: `Records of this pass were not saved: ${failure}` });
  for (const [cache, what] of [[stores.extractionCache, 'extraction cache'], [stores.validators, 'HTTP validators']] as const) {
    await cache.save().catch((error: unknown) => {
      events.emit('warn', { message: `The ${what} could not be saved: ${messageOf(error)}` });
    });
  }
  return failure;
}
