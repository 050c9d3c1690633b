// Browser tests need a Chromium. Locally, without one, they are skipped under a title that says how to get
// one; in CI (CI set) a missing browser fails the run instead, so browser tests can never be silently lost.
import { findChromium } from '../../src/fetch/index.js';

export const chromiumPath = await findChromium({ explicitPath: process.env.CHROMIUM_PATH });

export const isBrowserMissing = chromiumPath === undefined && !process.env.CI;

export const browserSuiteTitle = (title: string): string =>
  isBrowserMissing ? `${title} (skipped: no Chromium; apt-get install chromium-headless-shell or set CHROMIUM_PATH)` : title;
