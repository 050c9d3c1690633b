// Builds a ready Archivist from the configuration: declarations loaded and reported, repositories opened,
// the console logger attached. Shared by `track` and `apply-technical-upgrades`.
import path from 'node:path';

import { formatWarning, loadDeclarations, TERMS_TYPES } from '../declarations/index.js';
import { type BrowserSession, connectBrowserSession, type FetchOptions, findChromium, launchBrowserSession } from '../fetch/index.js';
import { GitSnapshotRepository, GitVersionRepository } from '../record/index.js';
import { Archivist, NO_VALIDATORS_CACHE, openFileExtractionCache, openFileValidatorsCache } from '../track/index.js';
import type { Config } from './config.js';
import { createJsonLogger } from './json-logger.js';
import { createConsoleLogger, type ConsoleOutput } from './logger.js';
import { createProgress } from './progress.js';
import { ENGINE_VERSION } from './version.js';

export interface CliContext extends ConsoleOutput {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Aborted on SIGINT or SIGTERM: runs finish the terms in progress and return. */
  readonly stopSignal: AbortSignal;
  /** Redraws the progress line of a terminal ('' clears it); absent when the output is not a terminal. */
  readonly progress?: (line: string) => void;
  /** Standard output is a terminal: diffs may be coloured (NO_COLOR turns it off). */
  readonly isOutputTerminal?: boolean;
}

export interface PreparedRun {
  readonly archivist: Archivist;
  /** Number of declarations that could not be loaded (each already reported). */
  readonly brokenDeclarations: number;
}

export interface PrepareOptions {
  /** Events as JSON lines on standard output instead of log lines. */
  readonly isJson?: boolean;
}

export function fetchOptionsOf(config: Config): FetchOptions {
  return {
    navigationTimeoutMs: config.navigationTimeoutMs,
    waitForElementsTimeoutMs: config.waitForElementsTimeoutMs,
    languages: config.languages,
    userAgent: config.userAgent,
  };
}

/** A browser as configured: the remote endpoints if any, else a local Chromium. */
export async function openBrowser(config: Config): Promise<BrowserSession> {
  if (config.browserEndpoints.length > 0) return connectBrowserSession({ endpoints: config.browserEndpoints });
  const executablePath = await findChromium({ explicitPath: config.chromiumPath });
  if (!executablePath) {
    throw new Error('no Chromium found: install one (apt-get install chromium-headless-shell) or set CHROMIUM_PATH');
  }
  return launchBrowserSession({ executablePath });
}

/** A browser started on first use, for commands that may not need one; `close` only closes what was started. */
export function lazyBrowser(config: Config): { getBrowser: () => Promise<BrowserSession>; close: () => Promise<void> } {
  let session: Promise<BrowserSession> | undefined;
  return {
    getBrowser: () => (session ??= openBrowser(config)),
    close: async () => {
      if (session) await session.then(opened => opened.close()).catch(() => undefined);
    },
  };
}

export async function prepareArchivist(config: Config, context: CliContext, options: PrepareOptions = {}): Promise<PreparedRun> {
  const collection = await loadDeclarations(config.declarationsDir, {
    displayRoot: config.collectionDir,
    termsTypes: TERMS_TYPES,
  });
  for (const error of collection.errors) context.err(`Declaration error: ${error.message}`);
  for (const warning of collection.warnings) context.err(`Declaration warning: ${formatWarning(warning)}`);
  const repositoryOptions = {
    authorName: config.authorName,
    authorEmail: config.authorEmail,
    environment: context.env,
  };
  const archivist = new Archivist({
    services: collection.services,
    snapshots: new GitSnapshotRepository({ ...repositoryOptions, directory: config.snapshotsDir }),
    versions: new GitVersionRepository({
      ...repositoryOptions,
      directory: config.versionsDir,
      snapshotIdentifierTemplate: config.snapshotIdentifierTemplate,
    }),
    fetchOptions: fetchOptionsOf(config),
    engineVersion: ENGINE_VERSION,
    concurrency: config.concurrency,
    perHostConcurrency: config.perHostConcurrency,
    hostDelayMs: config.hostDelayMs,
    browserPages: config.browserPages,
    // kept inside the versions repository's .git folder: never committed, gone with the repository
    extractionCache: await openFileExtractionCache(path.join(config.versionsDir, '.git', 'terms-archive', 'extraction-cache.json')),
    validatorsCache: config.conditionalRequests
      ? await openFileValidatorsCache(path.join(config.snapshotsDir, '.git', 'terms-archive', 'http-validators.json'))
      : NO_VALIDATORS_CACHE,
    openBrowser: () => openBrowser(config),
  });
  if (options.isJson) archivist.attach(createJsonLogger(line => { context.out(line); }), 'json');
  else archivist.attach(createConsoleLogger(context), 'console');
  if (context.progress && !options.isJson) archivist.attach(createProgress(context.progress), 'progress');
  await archivist.initialize();
  return { archivist, brokenDeclarations: collection.errors.length };
}
