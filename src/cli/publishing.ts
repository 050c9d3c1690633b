// After each tracking pass: the history index catches up on the new versions (each change described once, there),
// and the webhooks are told of the versions this run recorded. Neither can fail a run: problems are logged.
import { HistoryIndex, WebhookSender } from '../publish/index.js';
import type { VersionRepository } from '../record/index.js';
import type { Archivist } from '../track/index.js';
import type { Config } from './config.js';
import type { CliContext } from './setup.js';

export interface Publishing {
  afterPass(): Promise<void>;
  close(): Promise<void>;
}

export function attachPublishing(archivist: Archivist, config: Config, versions: VersionRepository, context: CliContext): Publishing {
  const recorded = new Set<string>();
  archivist.attach(
    {
      onFirstVersionRecorded: (version: { id?: string }) => version.id && recorded.add(version.id),
      onVersionRecorded: (version: { id?: string }) => version.id && recorded.add(version.id),
    },
    'publishing',
  );
  const webhooks = new WebhookSender({
    urls: config.webhooks,
    onFailure: (url, version, reason) => {
      context.err(`Webhook ${url} was not told of ${version.serviceId} ${version.termsType} (${version.id}): ${reason}`);
    },
  });
  let index: HistoryIndex | undefined;
  return {
    afterPass: async () => {
      try {
        index ??= HistoryIndex.open(versions);
        await index.catchUp(version => {
          if (recorded.delete(version.id)) webhooks.notify(version);
        });
      } catch (error) {
        context.err(`The history index could not catch up (feeds and the API may lag; run "terms-archive index"): ${error instanceof Error ? error.message : String(error)}`);
      }
    },
    close: async () => {
      await webhooks.drain();
      index?.close();
    },
  };
}
