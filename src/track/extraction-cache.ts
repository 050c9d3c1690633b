// Remembers, per terms, what its latest version was extracted from: the snapshots, the rules as resolved and
// the extraction code. When all three are unchanged, extracting again would give the same Markdown, so runs
// where nothing changed skip it. The file is a cache: losing it only costs one extraction per terms.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

import type { SourceDocument } from '../declarations/index.js';

export interface CachedExtraction {
  readonly fingerprint: string;
  /** The version the fingerprint produced (or found unchanged). */
  readonly versionId: string;
}

export interface ExtractionCache {
  get(serviceId: string, termsType: string): CachedExtraction | undefined;
  set(serviceId: string, termsType: string, entry: CachedExtraction): void;
  /** Writes what changed; called at the end of a pass. */
  save(): Promise<void>;
}

/** A fingerprint of everything an extraction depends on. */
export function extractionFingerprint(
  codeVersion: string,
  inputs: readonly { readonly snapshotId: string; readonly document: SourceDocument }[],
): string {
  const hash = createHash('sha256').update(codeVersion);
  for (const { snapshotId, document } of inputs) {
    hash.update('\u0000').update(snapshotId).update('\u0000').update(
      JSON.stringify({
        location: document.location,
        select: document.contentSelectors ?? null,
        remove: document.insignificantContentSelectors ?? null,
        filters: document.filters.map(step => [step.name, step.params ?? null, step.isBuiltIn, step.run ? String(step.run) : null]),
      }),
    );
  }
  return hash.digest('hex');
}

const key = (serviceId: string, termsType: string): string => `${serviceId}\u0000${termsType}`;

/** The cache kept as a JSON file (written atomically). */
export async function openFileExtractionCache(file: string): Promise<ExtractionCache> {
  let entries: Record<string, CachedExtraction> = {};
  try {
    entries = JSON.parse(await readFile(file, 'utf8')) as Record<string, CachedExtraction>;
  } catch {
    // absent or unreadable: start empty
  }
  let isDirty = false;
  return {
    get: (serviceId, termsType) => entries[key(serviceId, termsType)],
    set: (serviceId, termsType, entry) => {
      entries[key(serviceId, termsType)] = entry;
      isDirty = true;
    },
    save: async () => {
      if (!isDirty) return;
      await mkdir(path.dirname(file), { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      await writeFile(temporary, JSON.stringify(entries));
      await rename(temporary, file);
      isDirty = false;
    },
  };
}

/** A cache that remembers nothing (the default: every version is extracted). */
export const NO_EXTRACTION_CACHE: ExtractionCache = {
  get: () => undefined,
  set: () => undefined,
  save: () => Promise.resolve(),
};
