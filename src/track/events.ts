// The events of a tracking run (OTA-FORMAT §8). Listeners are objects with `on<EventName>` methods; a
// listener that throws is reported as `pluginError` and never stops the run.
import type { Terms } from '../declarations/index.js';
import type { RecordId, SnapshotToRecord, VersionToRecord } from '../record/index.js';
import type { InaccessibleContentError } from './inaccessible-content-error.js';

/** How a record went: its id when it was recorded, none when the content was unchanged. */
export interface RecordOutcome {
  readonly id?: RecordId;
  readonly isFirstRecord: boolean;
}

/** A snapshot as it was recorded (or found unchanged: no `id`). */
export type SnapshotEvent = SnapshotToRecord & RecordOutcome;

/** A version as it was recorded (or found unchanged: no `id`). */
export type VersionEvent = VersionToRecord & RecordOutcome & { readonly mimeType: 'text/markdown' };

export interface LogEvent {
  readonly message: string;
  readonly serviceId?: string;
  readonly termsType?: string;
}

export interface RunSummary {
  readonly technicalUpgradeOnly: boolean;
  readonly services: number;
  readonly terms: number;
  readonly snapshotsRecorded: number;
  readonly versionsRecorded: number;
  readonly inaccessible: number;
  /** Changes seen on one fetch and not on the next: not recorded (transient pages). */
  readonly unconfirmed: number;
  /** Confirmed changes held in quarantine: they look like something other than the terms. */
  readonly held: number;
  /** Terms left for the next pass because this one was stopped (Ctrl-C, SIGTERM). */
  readonly notStarted: number;
  /** Why records of the pass could not be saved (the counts are then what the repositories kept). */
  readonly recordsNotSaved?: string;
  readonly durationMs: number;
}

export interface ArchivistEvents {
  trackingStarted: [services: number, terms: number, technicalUpgradeOnly: boolean];
  trackingCompleted: [services: number, terms: number, technicalUpgradeOnly: boolean, summary: RunSummary];
  firstSnapshotRecorded: [snapshot: SnapshotEvent];
  snapshotRecorded: [snapshot: SnapshotEvent];
  snapshotNotChanged: [snapshot: SnapshotEvent];
  firstVersionRecorded: [version: VersionEvent];
  versionRecorded: [version: VersionEvent];
  versionNotChanged: [version: VersionEvent];
  inaccessibleContent: [error: InaccessibleContentError, terms: Terms];
  /** A terms is done for this pass (tracked, unchanged or inaccessible); not emitted when it waits for a retry. */
  termsProcessed: [terms: Terms, isAccessible: boolean];
  info: [event: LogEvent];
  warn: [event: LogEvent];
  error: [event: LogEvent & { readonly error?: unknown }];
  pluginError: [error: unknown, listenerName: string];
}

export type EventName = keyof ArchivistEvents;

// A record of every event name: the compiler refuses it when an event is added above and not here.
const EVERY_EVENT: Record<EventName, true> = {
  trackingStarted: true,
  trackingCompleted: true,
  firstSnapshotRecorded: true,
  snapshotRecorded: true,
  snapshotNotChanged: true,
  firstVersionRecorded: true,
  versionRecorded: true,
  versionNotChanged: true,
  inaccessibleContent: true,
  termsProcessed: true,
  info: true,
  warn: true,
  error: true,
  pluginError: true,
};

/** Every event (for listeners that take them all). */
export const EVENT_NAMES = Object.keys(EVERY_EVENT) as readonly EventName[];

type ListenerMethodName<E extends string> = `on${Capitalize<E>}`;

/** An object with any of `onTrackingStarted`, `onSnapshotRecorded`, … */
export type ArchivistListener = {
  [E in EventName as ListenerMethodName<E>]?: (...args: ArchivistEvents[E]) => unknown;
};

export class EventHub {
  private readonly listeners: { listener: ArchivistListener; name: string }[] = [];

  attach(listener: ArchivistListener, name = listener.constructor.name): void {
    this.listeners.push({ listener, name });
  }

  emit<E extends EventName>(event: E, ...args: ArchivistEvents[E]): void {
    const method = `on${event.charAt(0).toUpperCase()}${event.slice(1)}` as keyof ArchivistListener;
    for (const { listener, name } of this.listeners) {
      const handler = listener[method] as ((...handlerArgs: ArchivistEvents[E]) => unknown) | undefined;
      if (!handler) continue;
      try {
        const result = handler.apply(listener, args);
        if (result instanceof Promise) result.catch((error: unknown) => { this.reportPluginError(event, error, name); });
      } catch (error) {
        this.reportPluginError(event, error, name);
      }
    }
  }

  private reportPluginError(event: EventName, error: unknown, name: string): void {
    if (event === 'pluginError') return; // never loop on a failing error handler
    this.emit('pluginError', error, name);
  }
}
