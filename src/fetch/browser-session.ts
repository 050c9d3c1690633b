// Finding and launching a Chromium for Playwright. The browser is launched by whoever needs it and closed
// by the same owner; nothing here is a module-level singleton.
import { access, constants } from 'node:fs/promises';
import { createRequire } from 'node:module';

import type { Browser } from 'playwright';

import { browserProxy, hasProxy, type ProxySettings } from './proxy.js';

/** System locations tried after an explicit path and Playwright's own download, fastest first. */
export const SYSTEM_CHROMIUM_PATHS: readonly string[] = [
  '/usr/bin/chromium-headless-shell',
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
];

export interface FindChromiumOptions {
  /** A path given by the user (e.g. the CHROMIUM_PATH variable); used when it exists. */
  readonly explicitPath?: string | undefined;
  /** @default SYSTEM_CHROMIUM_PATHS */
  readonly systemPaths?: readonly string[];
}

/** The first executable of: the explicit path, Playwright's own browser, the system paths; undefined if none. */
export async function findChromium(options: FindChromiumOptions = {}): Promise<string | undefined> {
  const candidates = [
    options.explicitPath,
    await playwrightChromiumPath(),
    ...(options.systemPaths ?? SYSTEM_CHROMIUM_PATHS),
  ].filter((candidate): candidate is string => Boolean(candidate));
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not there: try the next one
    }
  }
  return undefined;
}

async function playwrightChromiumPath(): Promise<string | undefined> {
  try {
    return (await loadPlaywright()).chromium.executablePath();
  } catch {
    return undefined;
  }
}

/**
 * Playwright's client takes ~80 MB once loaded: runs without script-rendered pages never load it. It is
 * required as the CommonJS module it is: an ESM import first scans its 5 MB bundle for export names (~80 ms).
 */
export function loadPlaywright(): Promise<typeof import('playwright')> {
  playwright ??= createRequire(import.meta.url)('playwright') as typeof import('playwright');
  return Promise.resolve(playwright);
}

let playwright: typeof import('playwright') | undefined;

export const CHROMIUM_ARGS: readonly string[] = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  // Fewer processes (no zygotes; GPU and network inside the browser process): 4 pages fetched at a time peak at
  // ~680 MB of summed RSS instead of ~790 MB.
  '--no-zygote',
  '--in-process-gpu',
  '--enable-features=NetworkServiceInProcess2',
  // a page's scripts get 512 MB of heap: one that allocates without end crashes its own renderer (its terms is
  // reported inaccessible), not the machine
  '--js-flags=--max-old-space-size=512',
];

export interface LaunchOptions {
  readonly executablePath: string;
  /** How long launching may take. @default 30000 */
  readonly launchTimeoutMs?: number;
  /** The outgoing proxy of every page. */
  readonly proxy?: ProxySettings | undefined;
}

export async function launchChromium(options: LaunchOptions): Promise<Browser> {
  // Chromium refuses to start its sandbox as root, which is how CI and containers run.
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const { chromium } = await loadPlaywright();
  return chromium.launch({
    executablePath: options.executablePath,
    headless: true,
    args: [...CHROMIUM_ARGS, ...(isRoot ? ['--no-sandbox'] : [])],
    timeout: options.launchTimeoutMs ?? 30_000,
    ...(hasProxy(options.proxy) && { proxy: browserProxy(options.proxy) }),
  });
}
