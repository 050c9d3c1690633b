// After each tracking pass: both repositories are pushed to their remotes (snapshots first: versions name them),
// the history index catches up on the new versions (each change described once, there), and the webhooks are told
// of the versions this run recorded. None of them stops a run: problems are logged, and a failed push makes the
// exit code 1. A remote that moved (someone else pushed) stops the pushes of that repository until a person looks.
import { type AlertSender, HistoryIndex } from '../publish/index.js';
import { type PushCredentials, pushRepository, redactRemote, RemoteMovedError, type VersionRepository } from '../record/index.js';
import type { Archivist } from '../track/index.js';
import type { Config } from './config.js';
import type { CliContext } from './setup.js';

export interface Publishing {
  afterPass(): Promise<void>;
  /** Whether a push failed in this run. */
  readonly hasFailed: boolean;
  /** The last push of each repository that has a remote. */
  readonly state: Readonly<Record<string, { isPublished: boolean; at: string; message?: string }>>;
  close(): Promise<void>;
}

/** Push credentials, from the environment only (never from the config file). */
export function pushCredentialsOf(env: Readonly<Record<string, string | undefined>>): PushCredentials {
  return { sshKey: env.TERMS_ARCHIVE_SSH_KEY || undefined, token: env.TERMS_ARCHIVE_GIT_TOKEN || undefined, username: env.TERMS_ARCHIVE_GIT_USERNAME || undefined };
}

export function attachPublishing(archivist: Archivist, config: Config, versions: VersionRepository, context: CliContext, alerts: AlertSender): Publishing {
  const recorded = new Set<string>();
  archivist.attach(
    {
      onFirstVersionRecorded: (version: { id?: string }) => version.id && recorded.add(version.id),
      onVersionRecorded: (version: { id?: string }) => version.id && recorded.add(version.id),
    },
    'publishing',
  );
  let index: HistoryIndex | undefined;
  let hasFailed = false;
  const state: Record<string, { isPublished: boolean; at: string; message?: string }> = {};
  const remotes = [
    { name: 'snapshots', directory: config.snapshotsDir, remote: config.snapshotsRemote, isStopped: false },
    { name: 'versions', directory: config.versionsDir, remote: config.versionsRemote, isStopped: false },
  ];
  const push = async (): Promise<void> => {
    for (const target of remotes) {
      if (target.remote === undefined || target.isStopped) continue;
      try {
        const result = await pushRepository({ directory: target.directory, remote: target.remote, credentials: pushCredentialsOf(context.env), environment: context.env, attempts: config.pushAttempts, backoffMs: config.pushBackoffMs });
        if (result.isUpdated) context.err(`Pushed the ${target.name} to ${redactRemote(target.remote)} (${result.branch})`);
        state[target.name] = { isPublished: true, at: new Date().toISOString() };
      } catch (error) {
        hasFailed = true;
        if (error instanceof RemoteMovedError) target.isStopped = true;
        const message = error instanceof Error ? error.message : String(error);
        state[target.name] = { isPublished: false, at: new Date().toISOString(), message };
        context.err(`The ${target.name} were not published: ${message}`);
        // versions name snapshots: they are not published ahead of them
        if (target.name === 'snapshots') return;
      }
    }
  };
  return {
    get hasFailed() {
      return hasFailed;
    },
    state,
    afterPass: async () => {
      await push();
      try {
        index ??= HistoryIndex.open(versions);
        await index.catchUp(version => {
          if (recorded.delete(version.id)) alerts.notify(version);
        });
        await alerts.sendDueDigests();
      } catch (error) {
        context.err(`The history index could not catch up (feeds and the API may lag; run "terms-archive index"): ${error instanceof Error ? error.message : String(error)}`);
      }
    },
    close: async () => {
      await alerts.drain();
      index?.close();
    },
  };
}
