// The tracking status file and what `GET /health` makes of it. A tracking process writes the file after each pass
// (cli/status-file.ts); `serve` reads it on each request, so that a load balancer, an uptime checker or a person sees
// whether the instance tracks and publishes, without reading logs.
import { readFile } from 'node:fs/promises';

/** What the status file holds (version 1). */
export interface TrackingStatus {
  readonly version: 1;
  /** When the file was written: the end of the last pass. */
  readonly updatedAt: string;
  readonly pid: number;
  /** The cron expression of a scheduled process, null for a single run. */
  readonly schedule: string | null;
  readonly lastPass: {
    readonly kind: 'tracking' | 'technical-upgrade';
    /** When the pass began (ISO 8601); `updatedAt` is after its pushes and reports. */
    readonly startedAt: string;
    readonly durationMs: number;
    readonly services: number;
    readonly terms: number;
    readonly snapshotsRecorded: number;
    readonly versionsRecorded: number;
    readonly inaccessible: number;
    readonly unconfirmed: number;
    readonly held: number;
    /** The inaccessible terms, at most 100, each with its reason. */
    readonly failures: readonly { readonly serviceId: string; readonly termsType: string; readonly reason: string }[];
  };
  /** The last push of each repository with a remote. */
  readonly publishing: Readonly<Record<string, { readonly isPublished: boolean; readonly at: string; readonly message?: string }>>;
  /** What needs a person: empty when all is well. */
  readonly problems: readonly string[];
}

export interface Health {
  readonly status: 200 | 503;
  readonly body: Readonly<Record<string, unknown>>;
}

/**
 * 200 when the last pass found nothing that needs a person and ended less than `staleAfterMs` ago; 503 otherwise,
 * with the reasons. Without a status file (a server that no tracking process writes beside), 200: serving is fine.
 */
export async function readHealth(file: string, options: { readonly now: Date; readonly staleAfterMs: number }): Promise<Health> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return { status: 200, body: { status: 'ok', tracking: null, note: 'no status file: no tracking process writes beside this server' } };
  }
  let tracking: TrackingStatus;
  try {
    tracking = JSON.parse(text) as TrackingStatus;
  } catch {
    return { status: 503, body: { status: 'unhealthy', problems: [`the status file ${file} is not valid JSON`] } };
  }
  const problems: string[] = Array.isArray(tracking.problems) ? tracking.problems.filter((problem): problem is string => typeof problem === 'string') : [];
  const age = options.now.getTime() - Date.parse(tracking.updatedAt);
  if (!(age <= options.staleAfterMs)) problems.push(`no pass ended since ${tracking.updatedAt} (more than ${String(Math.round(options.staleAfterMs / 3_600_000))} h ago)`);
  return { status: problems.length === 0 ? 200 : 503, body: { status: problems.length === 0 ? 'ok' : 'unhealthy', problems, tracking } };
}
