// What keeps `serve` in step with its collection while it runs: at each tick, the history index catches up on the
// versions a tracking process recorded (and the git readers are renewed when it moved, so that none keeps packs a gc
// replaced), and the declarations and metadata.yml are read again when a file of theirs changed. A reload that fails
// is one line on standard error; the server goes on with what it had.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

import { type ApiHandler, type HistoryIndex, loadMetadata } from '../publish/index.js';
import type { VersionRepository } from '../record/index.js';
import type { Config } from './config.js';
import { type CliContext, loadServices } from './setup.js';

/** Names, sizes and modification times of the declarations and metadata.yml: what changes when a file does. */
async function signatureOf(config: Config): Promise<string> {
  const files = await readdir(config.declarationsDir).catch(() => [] as string[]);
  const paths = [...files.sort().map(file => path.join(config.declarationsDir, file)), path.join(config.collectionDir, 'metadata.yml')];
  const parts = await Promise.all(paths.map(async file => stat(file).then(found => `${file}:${String(found.size)}:${String(found.mtimeMs)}`, () => `${file}:-`)));
  return parts.join('\n');
}

export interface ServeRefresh {
  /** One tick: what changed is taken in. */
  tick(): Promise<void>;
}

export async function serveRefresh(config: Config, context: CliContext, history: HistoryIndex, versions: VersionRepository, server: Pick<ApiHandler, 'update'>): Promise<ServeRefresh> {
  let signature = await signatureOf(config);
  return {
    tick: async () => {
      try {
        const head = history.indexedHead;
        await history.catchUp();
        if (history.indexedHead !== head) await versions.flush();
      } catch (error) {
        context.err(`History index: ${error instanceof Error ? error.message : String(error)}`);
      }
      const now = await signatureOf(config);
      if (now === signature) return;
      signature = now;
      try {
        const { services } = await loadServices(config, context, { areFiltersRun: false });
        server.update({ services, metadata: await loadMetadata(config.collectionDir) });
        context.out(`Collection reloaded: ${String(services.length)} services`);
      } catch (error) {
        context.err(`The collection could not be reloaded (serving the one loaded before): ${error instanceof Error ? error.message : String(error)}`);
      }
    },
  };
}
