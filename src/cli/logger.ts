// The console listener of a run: one line per record or failure, prefixed with `<serviceId> — <termsType>`
// as OTA's logs are, and the summary line at the end of each pass.
import type { Terms } from '../declarations/index.js';
import { plural } from './format.js';
import type { ArchivistListener, InaccessibleContentError, LogEvent, RunSummary, SnapshotEvent, VersionEvent } from '../track/index.js';

export interface ConsoleOutput {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

function prefix(event: { serviceId?: string | undefined; termsType?: string | undefined }): string {
  return event.serviceId ? `${event.serviceId} — ${event.termsType ?? ''}  ` : '';
}

function documentOf(snapshot: SnapshotEvent): string {
  return snapshot.documentId ? ` #${snapshot.documentId}` : '';
}

export function formatSummary(summary: RunSummary): string {
  const what = summary.technicalUpgradeOnly ? 'Technical upgrade pass' : 'Tracking pass';
  const stopped = summary.notStarted > 0 ? `, ${summary.notStarted} left for the next pass (stopped)` : '';
  const unconfirmed = summary.unconfirmed > 0 ? `, ${plural(summary.unconfirmed, 'change')} seen once and not confirmed` : '';
  const held = summary.held > 0 ? `, ${summary.held} held in quarantine` : '';
  const unsaved = summary.recordsNotSaved === undefined ? '' : `; RECORDS NOT SAVED (${summary.recordsNotSaved})`;
  return `${what}: ${summary.terms} terms of ${plural(summary.services, 'service')}, ${plural(summary.snapshotsRecorded, 'snapshot')} and ${plural(
    summary.versionsRecorded,
    'version',
  )} recorded${unconfirmed}, ${summary.inaccessible} inaccessible${held}${stopped}, in ${(summary.durationMs / 1000).toFixed(1)} s${unsaved}`;
}

export function createConsoleLogger(output: ConsoleOutput): ArchivistListener {
  return {
    onTrackingStarted(services, terms, technicalUpgradeOnly) {
      output.out(`${technicalUpgradeOnly ? 'Applying technical upgrades to' : 'Tracking'} ${terms} terms of ${plural(services, 'service')}`);
    },
    onTrackingCompleted(_services, _terms, _technicalUpgradeOnly, summary) {
      output.out(formatSummary(summary));
    },
    onFirstSnapshotRecorded(snapshot: SnapshotEvent) {
      output.out(`${prefix(snapshot)}Recorded first snapshot${documentOf(snapshot)} with id ${snapshot.id ?? ''}`);
    },
    onSnapshotRecorded(snapshot: SnapshotEvent) {
      output.out(`${prefix(snapshot)}Recorded snapshot${documentOf(snapshot)} with id ${snapshot.id ?? ''}`);
    },
    onSnapshotNotChanged(snapshot: SnapshotEvent) {
      output.out(`${prefix(snapshot)}No changes${documentOf(snapshot)}, did not record snapshot`);
    },
    onFirstVersionRecorded(version: VersionEvent) {
      output.out(`${prefix(version)}Recorded first version with id ${version.id ?? ''}`);
    },
    onVersionRecorded(version: VersionEvent) {
      const kind = version.isTechnicalUpgrade ? 'technical upgrade' : 'version';
      output.out(`${prefix(version)}Recorded ${kind} with id ${version.id ?? ''}`);
    },
    onVersionNotChanged(version: VersionEvent) {
      if (!version.isTechnicalUpgrade) output.out(`${prefix(version)}No changes after filtering, did not record version`);
    },
    onInaccessibleContent(error: InaccessibleContentError, terms: Terms) {
      output.err(`${prefix({ serviceId: terms.serviceId, termsType: terms.type })}Inaccessible (${terms.declarationFile}): ${error.message}`);
    },
    onInfo(event: LogEvent) {
      output.out(`${prefix(event)}${event.message}`);
    },
    onWarn(event: LogEvent) {
      output.err(`${prefix(event)}Warning: ${event.message}`);
    },
    onError(event: LogEvent & { error?: unknown }) {
      const stack = event.error instanceof Error && event.error.stack ? `\n${event.error.stack}` : '';
      output.err(`${prefix(event)}Error: ${event.message}${stack}`);
    },
    onPluginError(error: unknown, listenerName: string) {
      output.err(`Error in listener ${listenerName}: ${String(error)}`);
    },
  };
}
