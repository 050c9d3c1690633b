// Builds what commands run on from the configuration: the browser, the repositories, and a ready Archivist
// (declarations loaded and reported, caches opened, the console or JSON logger attached).
import { stat } from 'node:fs/promises';
import path from 'node:path';

import { formatWarning, listServiceIds, loadDeclarations, type Service, TERMS_TYPES } from '../declarations/index.js';
import { type BrowserSession, connectBrowserSession, type FetchOptions, findChromium, launchBrowserSession , type ProxySettings } from '../fetch/index.js';
import { FolderQuarantine, MissingRepositoryError, openSnapshots, openVersions, type SnapshotRepository, type VersionRepository } from '../record/index.js';
import { Archivist, NO_VALIDATORS_CACHE, openExtractionCache, openValidatorsCache, type SuspectRules } from '../track/index.js';
import type { Config } from './config.js';
import { UsageError } from './errors.js';
import { createJsonLogger } from './json-logger.js';
import { createConsoleLogger, type ConsoleOutput } from './logger.js';
import { createProgress } from './progress.js';
import { checkSelection } from './selection.js';
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

/** What commands print through: the console lines, and raw output (Markdown, JSON documents) written as is. */
export interface CliIo extends CliContext {
  readonly write: (text: string) => void;
}

export interface PreparedRun {
  readonly archivist: Archivist;
  /** The versions repository the archivist records into (the history index reads it after each pass). */
  readonly versions: VersionRepository;
  /** Number of declarations that could not be loaded (each already reported). */
  readonly brokenDeclarations: number;
  /** Saves what the repositories keep besides their records and lets go of them. */
  close(): Promise<void>;
}

export interface PrepareOptions {
  /** Events as JSON lines on standard output instead of log lines. */
  readonly isJson?: boolean;
  /** Only these services (each must be declared). */
  readonly serviceIds?: readonly string[] | undefined;
  /** Only these terms types (each must be declared by a selected service). */
  readonly termsTypes?: readonly string[] | undefined;
}

export function fetchOptionsOf(config: Config): FetchOptions {
  return {
    navigationTimeoutMs: config.navigationTimeoutMs,
    waitForElementsTimeoutMs: config.waitForElementsTimeoutMs,
    languages: config.languages,
    userAgent: config.userAgent,
    refusePrivateAddresses: config.refusePrivateAddresses,
    maxResponseBytes: config.maxResponseBytes,
    proxy: proxyOf(config),
  };
}

/** The outgoing proxy of the configuration, if any. */
export function proxyOf(config: Config): ProxySettings | undefined {
  if (config.httpProxy === undefined && config.httpsProxy === undefined) return undefined;
  return { http: config.httpProxy, https: config.httpsProxy, noProxy: config.noProxy };
}

export function suspectRulesOf(config: Config): SuspectRules {
  return {
    shrinkBelow: config.holdShrinkBelowPercent / 100,
    flappingDays: config.holdFlappingDays,
    languageSwitch: config.holdLanguageSwitch,
    walls: config.holdWalls,
  };
}

/** A browser as configured: the remote endpoints if any, else a local Chromium. */
export async function openBrowser(config: Config): Promise<BrowserSession> {
  if (config.browserEndpoints.length > 0) return connectBrowserSession({ endpoints: config.browserEndpoints });
  const executablePath = await findChromium({ explicitPath: config.chromiumPath });
  if (!executablePath) {
    throw new Error('no Chromium found: install one (apt-get install chromium-headless-shell) or set CHROMIUM_PATH');
  }
  return launchBrowserSession({ executablePath, proxy: proxyOf(config) });
}

/** The two repositories, opened to record (created when missing, brought back to their last commit). */
export async function openRepositories(config: Config, context: CliContext): Promise<{ snapshots: SnapshotRepository; versions: VersionRepository }> {
  const options = { authorName: config.authorName, authorEmail: config.authorEmail, environment: context.env };
  const snapshots = await openSnapshots({ ...options, directory: config.snapshotsDir });
  try {
    const versions = await openVersions({ ...options, directory: config.versionsDir, snapshotIdentifierTemplate: config.snapshotIdentifierTemplate, snapshots });
    return { snapshots, versions };
  } catch (error) {
    await snapshots.close();
    throw error;
  }
}

/** The versions repository, opened to read it (MissingRepositoryError when nothing was tracked into it yet). */
export async function openVersionsToRead(config: Config, context: CliContext, readers = 1): Promise<VersionRepository> {
  try {
    return await openVersions({ directory: config.versionsDir, environment: context.env, isReadOnly: true, readers });
  } catch (error) {
    if (error instanceof MissingRepositoryError && !(await isFolder(config.declarationsDir))) {
      throw new UsageError(
        `${config.collectionDir} is not a collection: it has no ${path.basename(config.versionsDir)}/ and no ${path.basename(config.declarationsDir)}/ (give -C <collection folder>, or create declarations/<Service ID>.json files and run "terms-archive track")`,
      );
    }
    throw error;
  }
}

async function isFolder(directory: string): Promise<boolean> {
  return stat(directory).then(stats => stats.isDirectory(), () => false);
}

export interface LoadedServices {
  readonly services: readonly Service[];
  /** Declared service IDs that could not be loaded (each reported). */
  readonly brokenIds: readonly string[];
  /** Errors reported. */
  readonly broken: number;
}

/**
 * The declared services, each broken declaration reported on standard error (and its warnings, if asked). Their
 * filters are run only for commands that extract (`areFiltersRun`); the others only read their names.
 */
export async function loadServices(config: Config, context: CliContext, options: { withWarnings?: boolean; areFiltersRun: boolean }): Promise<LoadedServices> {
  const collection = await loadDeclarations(config.declarationsDir, { displayRoot: config.collectionDir, termsTypes: TERMS_TYPES, areFiltersRun: options.areFiltersRun });
  for (const error of collection.errors) context.err(`Declaration error: ${error.message}`);
  // a broken history entry is left out: the service's current declaration is still tracked ("validate" fails on it)
  for (const error of collection.historyErrors) context.err(`Declaration warning: ${error.message}`);
  if (options.withWarnings) for (const warning of collection.warnings) context.err(`Declaration warning: ${formatWarning(warning)}`);
  const loaded = new Set(collection.services.map(service => service.id));
  const brokenIds = (await listServiceIds(config.declarationsDir)).filter(id => !loaded.has(id));
  return { services: collection.services, brokenIds, broken: collection.errors.length };
}

export async function prepareArchivist(config: Config, context: CliContext, options: PrepareOptions = {}): Promise<PreparedRun> {
  const { services, brokenIds, broken } = await loadServices(config, context, { withWarnings: true, areFiltersRun: true });
  checkSelection(services, options, brokenIds);
  const { snapshots, versions } = await openRepositories(config, context);
  const archivist = new Archivist({
    services,
    snapshots,
    versions,
    fetchOptions: fetchOptionsOf(config),
    engineVersion: ENGINE_VERSION,
    concurrency: config.concurrency,
    perHostConcurrency: config.perHostConcurrency,
    hostDelayMs: config.hostDelayMs,
    browserPages: config.browserPages,
    filterTimeoutMs: config.filterTimeoutMs,
    confirmation: { fetches: config.confirmFetches, delayMs: config.confirmDelayMs },
    quarantine: new FolderQuarantine(config.quarantineDir),
    suspectRules: suspectRulesOf(config),
    extractionCache: await openExtractionCache(versions.sideFiles),
    validatorsCache: config.conditionalRequests ? await openValidatorsCache(snapshots.sideFiles) : NO_VALIDATORS_CACHE,
    openBrowser: () => openBrowser(config),
  });
  if (options.isJson) archivist.attach(createJsonLogger(line => { context.out(line); }), 'json');
  else archivist.attach(createConsoleLogger(context), 'console');
  if (context.progress && !options.isJson) archivist.attach(createProgress(context.progress), 'progress');
  return {
    archivist,
    versions,
    brokenDeclarations: broken,
    close: async () => {
      await Promise.all([snapshots.close(), versions.close()]);
    },
  };
}
