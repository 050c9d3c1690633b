// A small key–value cache kept as one JSON side file of a repository, written at once at the end of a pass. The
// tracker keeps two (what each version was extracted from, and the HTTP validators of each page); losing either
// only costs work.
import type { SideFiles } from '../record/index.js';

export interface KeyedCache<T> {
  get(key: string): T | undefined;
  set(key: string, value: T): void;
  /** Writes what changed; called at the end of a pass. */
  save(): Promise<void>;
}

export async function openSideFileCache<T>(sideFiles: SideFiles, name: string): Promise<KeyedCache<T>> {
  let entries: Record<string, T> = {};
  try {
    const text = await sideFiles.read(name);
    if (text !== undefined) entries = JSON.parse(text) as Record<string, T>;
  } catch {
    // unreadable: start empty
  }
  let isDirty = false;
  return {
    get: key => entries[key],
    set: (key, value) => {
      entries[key] = value;
      isDirty = true;
    },
    save: async () => {
      if (!isDirty) return;
      await sideFiles.write(name, JSON.stringify(entries));
      isDirty = false;
    },
  };
}

/** A cache that remembers nothing. */
export function emptyCache<T>(): KeyedCache<T> {
  return { get: () => undefined, set: () => undefined, save: () => Promise.resolve() };
}
