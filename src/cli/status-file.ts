// The status file a tracking process writes after each pass (publish/health.ts describes it; `serve` answers
// `GET /health` from it). Written whole to a temporary file, then renamed: a reader never sees half of it.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

import type { TrackingStatus } from '../publish/index.js';
import type { Archivist, RunSummary } from '../track/index.js';

const MAX_FAILURES = 100;

export interface StatusFile {
  /** Writes the status of the pass that just ended, and returns it. */
  write(summary: RunSummary, publishing: TrackingStatus['publishing']): Promise<TrackingStatus>;
}

export function attachStatusFile(archivist: Archivist, file: string, schedule: string | undefined, onError: (message: string) => void): StatusFile {
  let failures: { serviceId: string; termsType: string; reason: string }[] = [];
  let startedAt = new Date();
  archivist.attach(
    {
      onTrackingStarted: () => {
        startedAt = new Date();
      },
      onInaccessibleContent: (error: Error, terms: { serviceId: string; type: string }) => {
        if (failures.length < MAX_FAILURES) failures.push({ serviceId: terms.serviceId, termsType: terms.type, reason: error.message });
      },
    },
    'status-file',
  );
  return {
    write: async (summary, publishing) => {
      const problems = [
        ...(summary.terms > 0 && summary.inaccessible + summary.held === summary.terms ? [`the last pass reached none of its ${String(summary.terms)} terms`] : []),
        ...(summary.recordsNotSaved !== undefined ? [`records not saved: ${summary.recordsNotSaved}`] : []),
        ...Object.entries(publishing).filter(([, state]) => !state.isPublished).map(([name, state]) => `the ${name} were not published: ${state.message ?? ''}`),
      ];
      const status: TrackingStatus = {
        version: 1,
        updatedAt: new Date().toISOString(),
        pid: process.pid,
        schedule: schedule ?? null,
        lastPass: {
          kind: summary.technicalUpgradeOnly ? 'technical-upgrade' : 'tracking',
          startedAt: startedAt.toISOString(),
          durationMs: summary.durationMs,
          services: summary.services,
          terms: summary.terms,
          snapshotsRecorded: summary.snapshotsRecorded,
          versionsRecorded: summary.versionsRecorded,
          inaccessible: summary.inaccessible,
          unconfirmed: summary.unconfirmed,
          held: summary.held,
          failures,
        },
        publishing,
        problems,
      };
      failures = [];
      try {
        await mkdir(path.dirname(file), { recursive: true });
        await writeFile(`${file}.tmp`, `${JSON.stringify(status, null, 2)}\n`);
        await rename(`${file}.tmp`, file);
      } catch (error) {
        onError(`The status file ${file} could not be written: ${error instanceof Error ? error.message : String(error)}`);
      }
      return status;
    },
  };
}
