// One pass over a collection (OTA-FORMAT §8): the terms in order, each fetched and recorded, failures
// reported as inaccessible content, transient ones retried once at the end. One terms never stops another.
import type { Service, Terms } from '../declarations/index.js';
import { createIsolatedExtractor, type ExtractInput } from '../extract/index.js';
import { type BrowserSession, fetchDocumentIfChanged, type FetchOptions, type LazyBrowser, lazyBrowser } from '../fetch/index.js';
import { MemoryQuarantine, type Quarantine, RecordsNotSavedError, type SnapshotRepository, type VersionRepository } from '../record/index.js';
import { type ArchivistListener, EventHub, type RunSummary } from './events.js';
import { type ExtractionCache, NO_EXTRACTION_CACHE } from './extraction-cache.js';
import { HostLimiter } from './host-limiter.js';
import { HeldVersionError, InaccessibleContentError, PassStoppedError } from './inaccessible-content-error.js';
import { endPass } from './pass-end.js';
import { runPool } from './pool.js';
import { NO_VALIDATORS_CACHE, type ValidatorsCache } from './validators-cache.js';
import { DEFAULT_SUSPECT_RULES, type SuspectRules } from './suspect/suspect-content.js';
import type { ConfirmationOptions } from './track-context.js';
import { type Candidate, confirmTerms, type DocumentFetcher, type TrackContext, trackTerms, upgradeTerms } from './track-terms.js';

export interface ArchivistOptions {
  readonly services: readonly Service[];
  readonly snapshots: SnapshotRepository;
  readonly versions: VersionRepository;
  readonly fetchOptions: FetchOptions;
  /** Written in the X-engine-version trailer. */
  readonly engineVersion: string;
  /** Starts a browser; called at most once per pass, on first need. The archivist closes what it opened. */
  readonly openBrowser: () => Promise<BrowserSession>;
  /** @default () => new Date() */
  readonly now?: () => Date;
  /** Terms tracked at the same time. @default 16 */
  readonly concurrency?: number;
  /** Requests in flight to one host. @default 1 (never more than OTA, which fetches one page at a time) */
  readonly perHostConcurrency?: number;
  /** Pause between two requests to one host, in ms. @default 0 */
  readonly hostDelayMs?: number;
  /** Browser pages open at the same time. @default 2 */
  readonly browserPages?: number;
  /** Lets runs skip extractions whose inputs are unchanged. @default none: every version is extracted */
  readonly extractionCache?: ExtractionCache;
  /** Lets runs send conditional requests (ETag, Last-Modified). @default none: every page is downloaded */
  readonly validatorsCache?: ValidatorsCache;
  /** How long extracting a document may take when its service's own filters run. @default 60000 */
  readonly filterTimeoutMs?: number;
  /**
   * Extracts a snapshot. @default services' own filters in worker threads under filterTimeoutMs, the rest in this
   * thread (createIsolatedExtractor); unit tests give `extract` itself.
   */
  readonly extractDocument?: (input: ExtractInput) => Promise<string>;
  /**
   * How a change is confirmed: fetches at most to get two that agree, and the least time between two fetches of a
   * terms that looks changed. `fetches: 1` records every change as first seen (OTA's behaviour). @default 3, 1000 ms
   */
  readonly confirmation?: Partial<ConfirmationOptions>;
  /** Where confirmed changes that look like something other than the terms are held. @default in memory (lost) */
  readonly quarantine?: Quarantine;
  /** Which rules hold a confirmed change instead of recording it. @default DEFAULT_SUSPECT_RULES, all on */
  readonly suspectRules?: Partial<SuspectRules>;
  /**
   * Fetches a source document. @default plain HTTP or the pass's browser, as the declaration says (fetchDocumentIfChanged);
   * tests give a scripted one, whose pages and delays they control.
   */
  readonly fetchDocument?: DocumentFetcher;
}

export interface PassRequest {
  /** Only these services; unknown IDs are warned about and ignored. @default all */
  readonly serviceIds?: readonly string[] | undefined;
  /** Only these terms types. @default all */
  readonly termsTypes?: readonly string[] | undefined;
  /** Re-extract stored snapshots instead of fetching (the technical-upgrade pass). */
  readonly technicalUpgradeOnly: boolean;
}

/** Terms tracked at the same time by default: enough to keep 16 slow hosts busy on 2 cores. */
export const DEFAULT_CONCURRENCY = 16;
/** Browser pages open at the same time by default (each is a Chromium renderer process, ~110 MB). */
export const DEFAULT_BROWSER_PAGES = 2;

function needsBrowser(terms: Terms): boolean {
  return terms.sourceDocuments.some(document => document.executeClientScripts === true);
}

interface Tally {
  snapshotsRecorded: number;
  versionsRecorded: number;
  /** Changes seen once and not again (not recorded). */
  unconfirmed: number;
  /** Confirmed changes held in quarantine. */
  held: number;
  inaccessible: number;
  /** Terms left for the next pass because this one was stopped. */
  notStarted: number;
  /** Why records could not be saved (the pass then stops). */
  recordsNotSaved?: string | undefined;
}

interface QueueItem {
  readonly service: Service;
  readonly terms: Terms;
  readonly isRetry: boolean;
  /** A change seen once, to confirm with another fetch. */
  readonly candidate?: Candidate;
}

export class Archivist {
  readonly events = new EventHub();
  private readonly options: ArchivistOptions;
  private isStopping = false;
  private readonly now: () => Date;

  constructor(options: ArchivistOptions) {
    this.options = options;
    this.now = options.now ?? (() => new Date());
  }

  attach(listener: ArchivistListener, name?: string): void {
    this.events.attach(listener, name);
  }

  /** Starts no new terms; those in progress finish, commits included, and the pass returns. */
  stop(): void {
    this.isStopping = true;
  }

  /** Whether stop() was called: the command then runs no further pass. */
  get isStopped(): boolean {
    return this.isStopping;
  }

  async runPass(request: PassRequest): Promise<RunSummary> {
    const startedAt = Date.now();
    const services = this.selectServices(request.serviceIds);
    const queue: QueueItem[] = services.flatMap(service =>
      service.termsTypes
        .filter(type => !request.termsTypes || request.termsTypes.includes(type))
        .map(type => ({ service, terms: service.getTerms(type), isRetry: false })),
    );
    const termsCount = queue.length;
    this.events.emit('trackingStarted', services.length, termsCount, request.technicalUpgradeOnly);
    const browser = lazyBrowser(this.options.openBrowser, { maxPages: this.options.browserPages ?? DEFAULT_BROWSER_PAGES });
    const extractor = createIsolatedExtractor({ ...(this.options.filterTimeoutMs !== undefined && { timeoutMs: this.options.filterTimeoutMs }) });
    const context: TrackContext = {
      snapshots: this.options.snapshots,
      versions: this.options.versions,
      fetchOptions: this.options.fetchOptions,
      engineVersion: this.options.engineVersion,
      fetch: this.options.fetchDocument ?? ((document, since) => fetchDocumentIfChanged(document, { getBrowser: () => browser.get() }, this.options.fetchOptions, since)),
      events: this.events,
      now: this.now,
      hosts: new HostLimiter({ perHost: this.options.perHostConcurrency ?? 1, delayMs: this.options.hostDelayMs ?? 0 }),
      extractionCache: this.options.extractionCache ?? NO_EXTRACTION_CACHE,
      validators: this.options.validatorsCache ?? NO_VALIDATORS_CACHE,
      isStopping: () => this.isStopping,
      extract: this.options.extractDocument ?? (input => extractor.extract(input)),
      confirmation: { fetches: this.options.confirmation?.fetches ?? 3, delayMs: this.options.confirmation?.delayMs ?? 1000 },
      quarantine: this.options.quarantine ?? new MemoryQuarantine(),
      suspectRules: { ...DEFAULT_SUSPECT_RULES, ...this.options.suspectRules },
    };
    const tally: Tally = { snapshotsRecorded: 0, versionsRecorded: 0, unconfirmed: 0, held: 0, inaccessible: 0, notStarted: 0 };
    // what the repositories hold before, to say what they really kept if records cannot be saved
    const before = { snapshots: await this.options.snapshots.count(), versions: await this.options.versions.count() };
    /** Transient failures to retry, taken up once the queue is done (OTA-FORMAT §5.8). */
    const later: QueueItem[] = [];
    // Browser pages are the scarcest resource and the slowest fetches: the terms that need them start first.
    if (!request.technicalUpgradeOnly) queue.sort((a, b) => Number(needsBrowser(b.terms)) - Number(needsBrowser(a.terms)));
    const pool = {
      concurrency: this.options.concurrency ?? DEFAULT_CONCURRENCY,
      task: (item: QueueItem, enqueue: (item: QueueItem) => void): Promise<void> => this.handleTerms(item, request, context, tally, { enqueue, later }),
      shouldGoOn: (): boolean => !this.isStopping && tally.recordsNotSaved === undefined,
      // Upgrades read stored snapshots: nothing to wait for. A change to confirm waits for its delay: the other terms
      // are tracked meanwhile.
      isReady: request.technicalUpgradeOnly
        ? undefined
        : (item: QueueItem): boolean =>
            (!item.candidate || item.candidate.capture.date.getTime() + context.confirmation.delayMs <= context.now().getTime()) && this.canStart(item.terms, context.hosts, browser),
    };
    try {
      // (read the count after the pool: `tally.notStarted += await …` would add to the value before it ran)
      let left = await runPool(queue, pool);
      // Then the transient failures (one more try), until none is left: a retry may show a change to confirm, which
      // the same pool takes up.
      while (later.length > 0) left += await runPool(later.splice(0), pool);
      tally.notStarted += left;
    } finally {
      await browser.close();
      await extractor.close();
      // always saved, even when a failure already stopped the pass (`??= await` would skip the call)
      const saveFailure = await endPass(context, this.events);
      tally.recordsNotSaved ??= saveFailure;
    }
    if (tally.recordsNotSaved !== undefined) {
      // some records were dropped: what was kept is what the repositories hold now
      tally.snapshotsRecorded = (await this.options.snapshots.count()) - before.snapshots;
      tally.versionsRecorded = (await this.options.versions.count()) - before.versions;
    }
    const { recordsNotSaved, ...counts } = tally;
    const summary: RunSummary = {
      technicalUpgradeOnly: request.technicalUpgradeOnly,
      services: services.length,
      terms: termsCount,
      ...counts,
      ...(recordsNotSaved !== undefined && { recordsNotSaved }),
      durationMs: Date.now() - startedAt,
    };
    this.events.emit('trackingCompleted', services.length, termsCount, request.technicalUpgradeOnly, summary);
    return summary;
  }

  /** Tracks (or upgrades) one terms; a failure is queued for a retry or reported, never thrown. */
  private async handleTerms(
    item: QueueItem,
    request: PassRequest,
    context: TrackContext,
    tally: Tally,
    queues: { readonly enqueue: (item: QueueItem) => void; readonly later: QueueItem[] },
  ): Promise<void> {
    try {
      const outcome = item.candidate
        ? await confirmTerms(item.service, item.terms, item.candidate, context)
        : request.technicalUpgradeOnly
          ? await upgradeTerms(item.service, item.terms, context)
          : await trackTerms(item.service, item.terms, context);
      if ('capture' in outcome) {
        // confirmed later in this pass, once its delay has passed: the other terms are tracked meanwhile
        queues.enqueue({ service: item.service, terms: item.terms, isRetry: item.isRetry, candidate: outcome });
        return;
      }
      tally.snapshotsRecorded += outcome.snapshotsRecorded;
      tally.versionsRecorded += outcome.versionsRecorded;
      tally.unconfirmed += outcome.unconfirmed;
      if (outcome.held) {
        // reported as inaccessible terms are: the operator decides (terms-archive quarantine)
        tally.held++;
        this.events.emit('inaccessibleContent', new InaccessibleContentError([new HeldVersionError(outcome.held.version, outcome.held.isNew, context.quarantine.location)]), item.terms);
        this.events.emit('termsProcessed', item.terms, false);
        return;
      }
      this.events.emit('termsProcessed', item.terms, true);
    } catch (error) {
      if (error instanceof PassStoppedError) {
        tally.notStarted++;
        return;
      }
      if (error instanceof RecordsNotSavedError) {
        // the storage failed, not the terms: the pass stops, and says so
        tally.recordsNotSaved ??= error.message;
        this.events.emit('error', { message: `Records of this pass were not saved: ${error.message}`, serviceId: item.terms.serviceId, termsType: item.terms.type });
        return;
      }
      const failure = this.toInaccessible(error, item.terms);
      if (failure.isTransient && !item.isRetry) {
        queues.later.push({ service: item.service, terms: item.terms, isRetry: true });
        this.events.emit('info', {
          message: `The documents cannot be accessed due to the following likely transient errors:\n${failure.reasons
            .map(reason => `- ${reason}`)
            .join('\n')}\nA new attempt will be made once the current tracking is complete`,
          serviceId: item.terms.serviceId,
          termsType: item.terms.type,
        });
      } else {
        tally.inaccessible++;
        this.events.emit('inaccessibleContent', failure, item.terms);
        this.events.emit('termsProcessed', item.terms, false);
      }
    }
  }

  /** Whether the terms' first request could start now: its host is free and, if it needs one, a browser page. */
  private canStart(terms: Terms, hosts: HostLimiter, browser: LazyBrowser): boolean {
    const [first] = terms.sourceDocuments;
    if (!first) return true;
    if (needsBrowser(terms) && !browser.hasFreePage()) return false;
    return hosts.isFree(first.location);
  }

  private selectServices(serviceIds: readonly string[] | undefined): Service[] {
    const all = [...this.options.services].sort((a, b) => a.id.localeCompare(b.id));
    if (!serviceIds) return all;
    for (const id of serviceIds) {
      if (!all.some(service => service.id === id)) {
        this.events.emit('warn', {
          message: `Parameter "${id}" was interpreted as a service ID to update, but no matching declaration was found; it will be ignored`,
        });
      }
    }
    return all.filter(service => serviceIds.includes(service.id));
  }

  /** Any failure of a terms becomes inaccessible content; one we did not expect is also logged as an error. */
  private toInaccessible(error: unknown, terms: Terms): InaccessibleContentError {
    if (error instanceof InaccessibleContentError) return error;
    const cause = error instanceof Error ? error : new Error(String(error));
    this.events.emit('error', { message: `Unexpected error: ${cause.message}`, serviceId: terms.serviceId, termsType: terms.type, error });
    return new InaccessibleContentError([cause]);
  }
}
