// The watchers' commands: `index` (the history index), `serve` (the API and feeds), `feeds` (static feeds and pages).
import os from 'node:os';
import path from 'node:path';

import type { Command } from 'commander';

import { HistoryIndex, loadMetadata, readHealth, startApiServer, writeStaticFeeds } from '../../publish/index.js';
import type { VersionRepository } from '../../record/index.js';
import { UsageError } from '../errors.js';
import { plural } from '../format.js';
import { serveRefresh } from '../serve-refresh.js';
import { type CliContext, loadServices, openVersionsToRead } from '../setup.js';
import { ENGINE_VERSION } from '../version.js';
import { configOf } from './global-options.js';
import { helpPage } from './help.js';
import { wholeNumberOption } from './whole-number-option.js';

async function caughtUpIndex(versions: VersionRepository, context: CliContext, rebuild = false): Promise<HistoryIndex> {
  const index = HistoryIndex.open(versions);
  const started = performance.now();
  const added = rebuild ? await index.rebuild(context.stopSignal) : await index.catchUp(undefined, context.stopSignal);
  const stopped = context.stopSignal.aborted ? ' (stopped: run "terms-archive index" again to go on)' : '';
  if (added > 0 || stopped) context.err(`History index: ${plural(added, 'version')} indexed in ${((performance.now() - started) / 1000).toFixed(1)} s${stopped}`);
  return index;
}

/** Where the API is mounted: an absolute path, without a trailing slash. */
function mountPath(value: string): string {
  if (!/^\/[\w\-./~]*$/.test(value)) throw new UsageError(`--mount: "${value}" is not a path starting with / (for example /api/v1)`);
  return value.replace(/\/+$/, '') || '/';
}

/** Node's reasons for not listening, as one line that says what to do. */
function listenProblem(error: unknown, host: string, port: number): UsageError | undefined {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return new UsageError(`serve: port ${port} on ${host} is in use: give another with --port (0 picks a free one)`);
  if (code === 'EACCES') return new UsageError(`serve: not allowed to listen on port ${port} (ports below 1024 need privileges): give another with --port`);
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new UsageError(`serve: --host ${host} is not an address of this machine`);
  return undefined;
}

export function registerPublishCommands(program: Command, context: CliContext, setExitCode: (code: number) => void): void {
  const index = program
    .command('index')
    .description('bring the history index (versions, kinds, changes) up to date with the versions repository')
    .option('--rebuild', 'forget the index and build it again from the whole history')
    .action(async (options: { rebuild?: boolean }, command: Command) => {
      const versions = await openVersionsToRead(await configOf(command, context), context);
      try {
        const history = await caughtUpIndex(versions, context, options.rebuild === true);
        const state = context.stopSignal.aborted ? 'History index stopped' : 'History index up to date';
        context.out(`${state}: ${plural(history.count({ includeTechnicalUpgrades: true }), 'version')}, head ${history.indexedHead ?? '(none)'}`);
        history.close();
      } finally {
        await versions.close();
      }
    });
  helpPage(index, 'commands.md#index');

  const serve = program
    .command('serve')
    .description('serve the collection API, its Atom feeds and the web viewer over HTTP (read-only)')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port (0 for any free one)', wholeNumberOption({ minimum: 0, maximum: 65535 }), 3000)
    .option('--mount <path>', 'where the API is mounted', mountPath, '/api/v1')
    .option('--trust-proxy', 'take feed links from X-Forwarded-Proto and X-Forwarded-Host (only behind a proxy that sets them)')
    .option('--refresh <seconds>', 'how often new versions, declarations and metadata.yml are taken in', wholeNumberOption({ minimum: 1 }), 30)
    .option('--no-access-log', 'do not print a line for each request')
    .option('--search-workers <count>', 'worker threads answering /search beside the server (0: on its thread)', wholeNumberOption({ minimum: 0, maximum: 16 }), Math.min(2, os.availableParallelism()))
    .action(async (options: { host: string; port: number; mount: string; trustProxy?: boolean; refresh: number; accessLog: boolean; searchWorkers: number }, command: Command) => {
      const config = await configOf(command, context);
      // a few cat-file processes, so that concurrent requests do not queue behind one
      const versions = await openVersionsToRead(config, context, 4);
      const history = await caughtUpIndex(versions, context);
      try {
        const server = await startApiServer({
          index: history,
          versions,
          services: (await loadServices(config, context, { areFiltersRun: false })).services,
          metadata: await loadMetadata(config.collectionDir),
          engineVersion: ENGINE_VERSION,
          mountPath: options.mount,
          trustProxy: options.trustProxy === true,
          versionUrlTemplate: config.feedVersionUrlTemplate,
          snapshotUrlTemplate: config.snapshotIdentifierTemplate,
          corsOrigins: config.corsOrigins,
          searchWorkers: options.searchWorkers,
          // no client address: the log of a public instance keeps nothing that names a reader
          ...(options.accessLog && { onRequest: entry => { context.out(`${new Date().toISOString()} ${entry.method} ${entry.url} ${String(entry.status)} ${String(entry.bytes)} B ${String(entry.ms)} ms`); } }),
          health: () => readHealth(config.statusFile, { now: new Date(), staleAfterMs: config.healthStaleHours * 3_600_000 }),
          host: options.host,
          port: options.port,
        }).catch((error: unknown) => {
          throw listenProblem(error, options.host, options.port) ?? error;
        });
        context.out(`Serving the API on ${server.url} (feeds at ${server.url}/feed, the viewer at ${new URL('/', server.url).href}); stop with Ctrl-C`);
        // new versions (from a tracking run beside this server), declarations and metadata are taken in at each tick
        const refresh = await serveRefresh(config, context, history, versions, server);
        let ticking: Promise<void> | undefined;
        const timer = setInterval(() => {
          ticking ??= refresh.tick().finally(() => { ticking = undefined; });
        }, options.refresh * 1000);
        await new Promise<void>(resolve => {
          if (context.stopSignal.aborted) resolve();
          else context.stopSignal.addEventListener('abort', () => { resolve(); }, { once: true });
        });
        clearInterval(timer);
        await ticking;
        await server.close();
        setExitCode(0);
      } finally {
        history.close();
        await versions.close();
      }
    });
  helpPage(serve, 'commands.md#serve');

  const feeds = program
    .command('feeds')
    .description('write the Atom feeds (collection, each service, each terms), a page per change and the versions as JSON, as static files')
    .requiredOption('--out <dir>', 'folder to write feed.xml, feed/, changes/ and versions/ into')
    .requiredOption('--base-url <url>', 'the absolute URL the folder will be served from, for the links')
    .option('--limit <n>', 'entries per feed', wholeNumberOption({ minimum: 1 }), 100)
    .action(async (options: { out: string; baseUrl: string; limit: number }, command: Command) => {
      const config = await configOf(command, context);
      if (!/^https?:\/\/[^/]/.test(options.baseUrl)) throw new UsageError(`--base-url: "${options.baseUrl}" is not an absolute http(s) URL`);
      const versions = await openVersionsToRead(config, context);
      const history = await caughtUpIndex(versions, context);
      try {
        const out = path.resolve(context.cwd, options.out);
        const written = await writeStaticFeeds({
          index: history,
          versions,
          metadata: await loadMetadata(config.collectionDir),
          services: (await loadServices(config, context, { areFiltersRun: false })).services,
          out,
          base: options.baseUrl,
          limit: options.limit,
          versionUrlTemplate: config.feedVersionUrlTemplate,
        });
        context.out(`${plural(written.feeds, 'feed')} and ${plural(written.pages, 'change page')} written to ${out}`);
      } finally {
        history.close();
        await versions.close();
      }
    });
  helpPage(feeds, 'commands.md#feeds');
}
