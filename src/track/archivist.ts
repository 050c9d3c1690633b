// One pass over a collection (OTA-FORMAT §8): the terms in order, each fetched and recorded, failures
// reported as inaccessible content, transient ones retried once at the end. One terms never stops another.
import type { Service, Terms } from '../declarations/index.js';
import type { BrowserSession, FetchOptions } from '../fetch/index.js';
import type { SnapshotRepository, VersionRepository } from '../record/index.js';
import { type ArchivistListener, EventHub, type RunSummary } from './events.js';
import { InaccessibleContentError } from './inaccessible-content-error.js';
import { type TrackContext, trackTerms, upgradeTerms } from './track-terms.js';

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
}

export interface PassRequest {
  /** Only these services; unknown IDs are warned about and ignored. @default all */
  readonly serviceIds?: readonly string[] | undefined;
  /** Only these terms types. @default all */
  readonly termsTypes?: readonly string[] | undefined;
  /** Re-extract stored snapshots instead of fetching (the technical-upgrade pass). */
  readonly technicalUpgradeOnly: boolean;
}

interface QueueItem {
  readonly service: Service;
  readonly terms: Terms;
  readonly isRetry: boolean;
}

export class Archivist {
  readonly events = new EventHub();
  private readonly options: ArchivistOptions;
  private readonly now: () => Date;

  constructor(options: ArchivistOptions) {
    this.options = options;
    this.now = options.now ?? (() => new Date());
  }

  attach(listener: ArchivistListener, name?: string): void {
    this.events.attach(listener, name);
  }

  async initialize(): Promise<void> {
    await Promise.all([this.options.snapshots.initialize(), this.options.versions.initialize()]);
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
    let browser: Promise<BrowserSession> | undefined;
    const context: TrackContext = {
      snapshots: this.options.snapshots,
      versions: this.options.versions,
      fetchOptions: this.options.fetchOptions,
      engineVersion: this.options.engineVersion,
      getBrowser: () => (browser ??= this.options.openBrowser()),
      events: this.events,
      now: this.now,
    };
    let snapshotsRecorded = 0;
    let versionsRecorded = 0;
    let inaccessible = 0;
    try {
      for (let index = 0; index < queue.length; index++) {
        const item = queue[index];
        if (!item) continue;
        try {
          const outcome = request.technicalUpgradeOnly
            ? await upgradeTerms(item.service, item.terms, context)
            : await trackTerms(item.service, item.terms, context);
          snapshotsRecorded += outcome.snapshotsRecorded;
          versionsRecorded += outcome.versionsRecorded;
        } catch (error) {
          const failure = this.toInaccessible(error, item.terms);
          if (failure.isTransient && !item.isRetry) {
            queue.push({ ...item, isRetry: true });
            this.events.emit('info', {
              message: `The documents cannot be accessed due to the following likely transient errors:\n${failure.reasons
                .map(reason => `- ${reason}`)
                .join('\n')}\nA new attempt will be made once the current tracking is complete`,
              serviceId: item.terms.serviceId,
              termsType: item.terms.type,
            });
          } else {
            inaccessible++;
            this.events.emit('inaccessibleContent', failure, item.terms);
          }
        }
      }
    } finally {
      if (browser) await browser.then(session => session.close()).catch(() => undefined);
    }
    const summary: RunSummary = {
      technicalUpgradeOnly: request.technicalUpgradeOnly,
      services: services.length,
      terms: termsCount,
      snapshotsRecorded,
      versionsRecorded,
      inaccessible,
      durationMs: Date.now() - startedAt,
    };
    this.events.emit('trackingCompleted', services.length, termsCount, request.technicalUpgradeOnly, summary);
    return summary;
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
