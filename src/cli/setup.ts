// Builds a ready Archivist from the configuration: declarations loaded and reported, repositories opened,
// the console logger attached. Shared by `track` and `apply-technical-upgrades`.
import path from 'node:path';

import { formatWarning, loadDeclarations, TERMS_TYPES } from '../declarations/index.js';
import { connectBrowserSession, findChromium, launchBrowserSession } from '../fetch/index.js';
import { GitSnapshotRepository, GitVersionRepository } from '../record/index.js';
import { Archivist, openFileExtractionCache } from '../track/index.js';
import type { Config } from './config.js';
import { createConsoleLogger, type ConsoleOutput } from './logger.js';
import { ENGINE_VERSION } from './version.js';

export interface CliContext extends ConsoleOutput {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Aborted on SIGINT or SIGTERM: runs finish the terms in progress and return. */
  readonly stopSignal: AbortSignal;
}

export interface PreparedRun {
  readonly archivist: Archivist;
  /** Number of declarations that could not be loaded (each already reported). */
  readonly brokenDeclarations: number;
}

export async function prepareArchivist(config: Config, context: CliContext, serviceIds?: readonly string[]): Promise<PreparedRun> {
  const collection = await loadDeclarations(config.declarationsDir, {
    displayRoot: config.collectionDir,
    termsTypes: TERMS_TYPES,
    ...(serviceIds && { serviceIds }),
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
    fetchOptions: {
      navigationTimeoutMs: config.navigationTimeoutMs,
      waitForElementsTimeoutMs: config.waitForElementsTimeoutMs,
      languages: config.languages,
      userAgent: config.userAgent,
    },
    engineVersion: ENGINE_VERSION,
    concurrency: config.concurrency,
    perHostConcurrency: config.perHostConcurrency,
    hostDelayMs: config.hostDelayMs,
    browserPages: config.browserPages,
    // kept inside the versions repository's .git folder: never committed, gone with the repository
    extractionCache: await openFileExtractionCache(path.join(config.versionsDir, '.git', 'terms-archive', 'extraction-cache.json')),
    openBrowser: async () => {
      if (config.browserEndpoints.length > 0) return connectBrowserSession({ endpoints: config.browserEndpoints });
      const executablePath = await findChromium({ explicitPath: config.chromiumPath });
      if (!executablePath) {
        throw new Error('no Chromium found: install one (apt-get install chromium-headless-shell) or set CHROMIUM_PATH');
      }
      return launchBrowserSession({ executablePath });
    },
  });
  archivist.attach(createConsoleLogger(context), 'console');
  await archivist.initialize();
  return { archivist, brokenDeclarations: collection.errors.length };
}
