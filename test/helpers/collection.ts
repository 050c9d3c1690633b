// A temporary collection for integration tests: declarations written from objects, git repositories in a temp
// folder, an Archivist wired as the CLI wires it (without the console), and the events it emitted.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { loadDeclarations } from '../../src/declarations/index.js';
import { type BrowserSession, DEFAULT_FETCH_OPTIONS, findChromium, launchBrowserSession } from '../../src/fetch/index.js';
import { GitSnapshotRepository, GitVersionRepository } from '../../src/record/index.js';
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
    openBrowser?: () => Promise<BrowserSession>;
    extractionCache?: ExtractionCache;
    validatorsCache?: ValidatorsCache;
  }): Promise<Archivist>;
  writeDeclaration(serviceId: string, declaration: unknown, suffix?: string): Promise<void>;
  eventNames(): string[];
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
      const archivist = new Archivist({
        services,
        snapshots: new GitSnapshotRepository({ directory: snapshotsDir, authorName: 'Test', authorEmail: 'test@example.invalid', environment }),
        versions: new GitVersionRepository({
          directory: versionsDir,
          authorName: 'Test',
          authorEmail: 'test@example.invalid',
          environment,
          snapshotIdentifierTemplate: '%SNAPSHOT_ID',
        }),
        fetchOptions: { ...DEFAULT_FETCH_OPTIONS, navigationTimeoutMs: options.navigationTimeoutMs ?? 5000, waitForElementsTimeoutMs: 2000 },
        engineVersion: '0.0.0-test',
        openBrowser: options.openBrowser ?? (async () => {
          const executablePath = await findChromium({ explicitPath: process.env.CHROMIUM_PATH });
          if (!executablePath) throw new Error('no Chromium on this machine');
          return launchBrowserSession({ executablePath });
        }),
        ...(options.now && { now: options.now }),
        ...(options.extractionCache && { extractionCache: options.extractionCache }),
        ...(options.validatorsCache && { validatorsCache: options.validatorsCache }),
      });
      const listener: Record<string, (...args: unknown[]) => void> = {};
      for (const name of RECORDED_EVENTS) {
        listener[`on${name.charAt(0).toUpperCase()}${name.slice(1)}`] = (...args: unknown[]) => events.push({ name, args });
      }
      archivist.attach(listener, 'test');
      await archivist.initialize();
      return archivist;
    },
    eventNames: () => events.map(event => event.name),
  };
}

export type { ArchivistEvents };
