// What tracking one terms needs from its pass: the repositories, the fetcher, the caches, the limits.
import type { SourceDocument } from '../declarations/index.js';
import type { ExtractInput } from '../extract/index.js';
import type { FetchedDocument, FetchOptions, HttpValidators, NOT_MODIFIED } from '../fetch/index.js';
import type { Quarantine, SnapshotRepository, VersionRepository } from '../record/index.js';
import type { EventHub } from './events.js';
import type { ExtractionCache } from './extraction-cache.js';
import type { HostLimiter } from './host-limiter.js';
import type { SuspectRules } from './suspect/suspect-content.js';
import type { ValidatorsCache } from './validators-cache.js';

/** Fetches a source document, conditionally when validators are given. */
export type DocumentFetcher = (document: SourceDocument, since: HttpValidators | undefined) => Promise<FetchedDocument | typeof NOT_MODIFIED>;

export interface TrackContext {
  readonly snapshots: SnapshotRepository;
  readonly versions: VersionRepository;
  /** The options fetches run with (their languages are part of the validators' key). */
  readonly fetchOptions: FetchOptions;
  readonly engineVersion: string;
  readonly fetch: DocumentFetcher;
  readonly events: EventHub;
  readonly now: () => Date;
  /** Keeps requests to one host few and spaced, however many terms run in parallel. */
  readonly hosts: HostLimiter;
  readonly extractionCache: ExtractionCache;
  /** Validators of the pages' latest responses, for conditional requests. */
  readonly validators: ValidatorsCache;
  /** True once the pass is asked to stop: a terms that has not fetched anything yet does not start. */
  readonly isStopping: () => boolean;
  /** Extracts a snapshot (filters of the service's own under a time limit). */
  readonly extract: (input: ExtractInput) => Promise<string>;
  /** How a change is confirmed before it is recorded. */
  readonly confirmation: ConfirmationOptions;
  /** Where confirmed changes that look like something other than the terms are held. */
  readonly quarantine: Quarantine;
  /** Which rules hold a confirmed change. */
  readonly suspectRules: SuspectRules;
}

export interface ConfirmationOptions {
  /** Fetches at most, the first included, to get two consecutive ones that agree. @default 3 */
  readonly fetches: number;
  /** The least time between two fetches of a terms that looks changed, in ms. @default 1000 */
  readonly delayMs: number;
}
