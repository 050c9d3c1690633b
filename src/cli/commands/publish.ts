// The watchers' commands: `index` (the history index), `serve` (the API and feeds), `feeds` (static Atom files).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import type { Command } from 'commander';

import { loadDeclarations, type Service } from '../../declarations/index.js';
import { HistoryIndex, loadMetadata, renderFeed, startApiServer } from '../../publish/index.js';
import { BlobReader } from '../../record/index.js';
import type { Config } from '../config.js';
import { UsageError } from '../errors.js';
import { gitEnvironment } from '../publishing.js';
import type { CliContext } from '../setup.js';
import { ENGINE_VERSION } from '../version.js';
import { configOf } from './global-options.js';
import { wholeNumber } from './track.js';

async function servicesOf(config: Config, context: CliContext): Promise<readonly Service[]> {
  const loaded = await loadDeclarations(config.declarationsDir, { displayRoot: config.collectionDir });
  for (const error of loaded.errors) context.err(`Declaration error: ${error.message}`);
  return loaded.services;
}

async function caughtUpIndex(config: Config, context: CliContext, rebuild = false): Promise<HistoryIndex> {
  const index = HistoryIndex.open(config.versionsDir, gitEnvironment(context));
  const started = performance.now();
  const added = rebuild ? await index.rebuild() : await index.catchUp();
  if (added > 0) context.err(`History index: ${added} version(s) indexed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return index;
}

export function registerPublishCommands(program: Command, context: CliContext, setExitCode: (code: number) => void): void {
  program
    .command('index')
    .description('bring the history index (versions, kinds, changes) up to date with the versions repository')
    .option('--rebuild', 'forget the index and build it again from the whole history')
    .action(async (options: { rebuild?: boolean }, command: Command) => {
      const config = await configOf(command, context);
      const index = await caughtUpIndex(config, context, options.rebuild === true);
      context.out(`History index up to date: ${index.count({ includeTechnicalUpgrades: true })} version(s), head ${index.indexedHead ?? '(none)'}`);
      index.close();
    });

  program
    .command('serve')
    .description('serve the collection API and its Atom feeds over HTTP (read-only)')
    .option('--host <host>', 'address to listen on (default 127.0.0.1)', '127.0.0.1')
    .option('--port <port>', 'port (default 3000; 0 for any free one)', wholeNumber(0), 3000)
    .option('--mount <path>', 'where the API is mounted (default /api/v1)', '/api/v1')
    .action(async (options: { host: string; port: number; mount: string }, command: Command) => {
      const config = await configOf(command, context);
      const index = await caughtUpIndex(config, context);
      // a few cat-file processes, so that concurrent requests do not queue behind one
      const blobs = Array.from({ length: 4 }, () => new BlobReader(config.versionsDir, gitEnvironment(context)));
      const server = await startApiServer({
        index,
        blobs,
        services: await servicesOf(config, context),
        metadata: await loadMetadata(config.collectionDir),
        engineVersion: ENGINE_VERSION,
        mountPath: options.mount,
        versionUrlTemplate: config.feedVersionUrlTemplate,
        snapshotUrlTemplate: config.snapshotIdentifierTemplate,
        host: options.host,
        port: options.port,
      });
      context.out(`Serving the API on ${server.url} (feeds at ${server.url}/feed, the viewer at ${new URL('/', server.url).href}); stop with Ctrl-C`);
      // new commits (from a tracking run beside this server) are indexed every 30 s
      const timer = setInterval(() => {
        index.catchUp().catch((error: unknown) => { context.err(`History index: ${String(error)}`); });
      }, 30_000);
      await new Promise<void>(resolve => {
        if (context.stopSignal.aborted) resolve();
        else context.stopSignal.addEventListener('abort', () => { resolve(); }, { once: true });
      });
      clearInterval(timer);
      await server.close();
      for (const reader of blobs) reader.close();
      index.close();
      setExitCode(0);
    });

  program
    .command('feeds')
    .description('write the Atom feeds (collection, each service, each terms) as static files')
    .requiredOption('--out <dir>', 'folder to write feed.xml and feed/<service>[/<terms type>].xml into')
    .option('--base-url <url>', 'absolute URL the API (or the files) will be served from, for the links', 'http://127.0.0.1:3000/api/v1')
    .option('--limit <n>', 'entries per feed (default 100)', wholeNumber(1), 100)
    .action(async (options: { out: string; baseUrl: string; limit: number }, command: Command) => {
      const config = await configOf(command, context);
      if (!/^https?:\/\//.test(options.baseUrl)) throw new UsageError(`--base-url: "${options.baseUrl}" is not an absolute http(s) URL`);
      const index = await caughtUpIndex(config, context);
      const metadata = await loadMetadata(config.collectionDir);
      const out = path.resolve(context.cwd, options.out);
      const feedOptions = { base: options.baseUrl.replace(/\/+$/, ''), versionUrlTemplate: config.feedVersionUrlTemplate };
      let files = 0;
      const write = async (relative: string, scope: { serviceId?: string; termsType?: string }): Promise<void> => {
        const file = path.join(out, relative);
        await mkdir(path.dirname(file), { recursive: true });
        await writeFile(file, renderFeed(metadata, scope, index.versions({ ...scope, limit: options.limit }), feedOptions));
        files++;
      };
      await write('feed.xml', {});
      for (const service of await servicesOf(config, context)) {
        await write(path.join('feed', `${service.id}.xml`), { serviceId: service.id });
        for (const type of service.termsTypes) await write(path.join('feed', service.id, `${type}.xml`), { serviceId: service.id, termsType: type });
      }
      index.close();
      context.out(`${files} feed(s) written to ${out}`);
    });
}
