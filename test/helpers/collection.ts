// A temporary collection for integration tests: declarations written from objects, git repositories in a temp
// folder, an Archivist wired as the CLI wires it (without the console), and the events it emitted. Each archivist()
// opens the repositories anew, as each command does; close() lets go of the last ones.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { loadDeclarations } from '../../src/declarations/index.js';
import { type BrowserSession, DEFAULT_FETCH_OPTIONS, findChromium, launchBrowserSession } from '../../src/fetch/index.js';
import { openSnapshots, openVersions, type SideFiles, type SnapshotRepository, type VersionRepository } from '../../src/record/index.js';
import { Archivist, type ArchivistEvents, EVENT_NAMES, type EventName, type ExtractionCache, type ValidatorsCache } from '../../src/track/index.js';

export interface TestCollection {
  readonly dir: string;
  readonly snapshotsDir: string;
  readonly versionsDir: string;
  readonly events: { name: EventName; args: unknown[] }[];
  /** A new Archivist over the declarations as they are on disk now. */
  archivist(options?: {
    now?: () => Date;
    navigationTimeoutMs?: number;
    maxResponseBytes?: number;
    filterTimeoutMs?: number;
    concurrency?: number;
    confirmation?: { fetches?: number; delayMs?: number };
    openBrowser?: () => Promise<BrowserSession>;
    /** Opens the extraction cache from the versions repository's side files. */
    extractionCache?: (sideFiles: SideFiles) => Promise<ExtractionCache>;
    /** Opens the validators cache from the snapshots repository's side files. */
    validatorsCache?: (sideFiles: SideFiles) => Promise<ValidatorsCache>;
  }): Promise<Archivist>;
  writeDeclaration(serviceId: string, declaration: unknown, suffix?: string): Promise<void>;
  eventNames(): string[];
  /** The repositories the last archivist() opened. */
  repositories(): { snapshots: SnapshotRepository; versions: VersionRepository };
  close(): Promise<void>;
}

/** The events tests look at: records and failures (not the logs, not the progress). */
const RECORDED_EVENTS = EVENT_NAMES.filter(name => /Recorded|NotChanged|inaccessible/.test(name));

export async function createTestCollection(dir: string): Promise<TestCollection> {
  const declarationsDir = path.join(dir, 'declarations');
  await mkdir(declarationsDir, { recursive: true });
  const snapshotsDir = path.join(dir, 'snapshots-repo');
  const versionsDir = path.join(dir, 'versions-repo');
  const events: { name: EventName; args: unknown[] }[] = [];
  const environment = { PATH: process.env.PATH, HOME: process.env.HOME };
  let opened: { snapshots: SnapshotRepository; versions: VersionRepository } | undefined;
  const close = async (): Promise<void> => {
    if (opened) await Promise.all([opened.snapshots.close(), opened.versions.close()]);
    opened = undefined;
  };
  return {
    dir,
    snapshotsDir,
    versionsDir,
    events,
    async writeDeclaration(serviceId, declaration, suffix = '.json') {
      const content = typeof declaration === 'string' ? declaration : JSON.stringify(declaration, null, 2);
      await writeFile(path.join(declarationsDir, `${serviceId}${suffix}`), content);
    },
    async archivist(options = {}) {
      const { services, errors } = await loadDeclarations(declarationsDir);
      if (errors.length > 0) throw new Error(errors.map(error => error.message).join('\n'));
      await close();
      const author = { authorName: 'Test', authorEmail: 'test@example.invalid', environment };
      const snapshots = await openSnapshots({ ...author, directory: snapshotsDir });
      opened = { snapshots, versions: await openVersions({ ...author, directory: versionsDir, snapshotIdentifierTemplate: '%SNAPSHOT_ID', snapshots }) };
      const archivist = new Archivist({
        services,
        snapshots: opened.snapshots,
        versions: opened.versions,
        fetchOptions: {
          ...DEFAULT_FETCH_OPTIONS,
          navigationTimeoutMs: options.navigationTimeoutMs ?? 5000,
          waitForElementsTimeoutMs: 2000,
          ...(options.maxResponseBytes !== undefined && { maxResponseBytes: options.maxResponseBytes }),
        },
        engineVersion: '0.0.0-test',
        openBrowser: options.openBrowser ?? (async () => {
          const executablePath = await findChromium({ explicitPath: process.env.CHROMIUM_PATH });
          if (!executablePath) throw new Error('no Chromium on this machine');
          return launchBrowserSession({ executablePath });
        }),
        ...(options.now && { now: options.now }),
        ...(options.filterTimeoutMs !== undefined && { filterTimeoutMs: options.filterTimeoutMs }),
        ...(options.concurrency !== undefined && { concurrency: options.concurrency }),
        confirmation: { delayMs: 0, ...options.confirmation },
        ...(options.extractionCache && { extractionCache: await options.extractionCache(opened.versions.sideFiles) }),
        ...(options.validatorsCache && { validatorsCache: await options.validatorsCache(opened.snapshots.sideFiles) }),
      });
      const listener: Record<string, (...args: unknown[]) => void> = {};
      for (const name of RECORDED_EVENTS) {
        listener[`on${name.charAt(0).toUpperCase()}${name.slice(1)}`] = (...args: unknown[]) => events.push({ name, args });
      }
      archivist.attach(listener, 'test');
      return archivist;
    },
    eventNames: () => events.map(event => event.name),
    repositories: () => {
      if (!opened) throw new Error('no archivist yet');
      return opened;
    },
    close,
  };
}

export type { ArchivistEvents };
