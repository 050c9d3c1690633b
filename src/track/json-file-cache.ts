// A small key–value cache kept as one JSON file, written atomically at the end of a pass. The tracker keeps two
// (what each version was extracted from, and the HTTP validators of each page); losing either only costs work.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface KeyedCache<T> {
  get(key: string): T | undefined;
  set(key: string, value: T): void;
  /** Writes what changed; called at the end of a pass. */
  save(): Promise<void>;
}

export async function openJsonFileCache<T>(file: string): Promise<KeyedCache<T>> {
  let entries: Record<string, T> = {};
  try {
    entries = JSON.parse(await readFile(file, 'utf8')) as Record<string, T>;
  } catch {
    // absent or unreadable: start empty
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
      await mkdir(path.dirname(file), { recursive: true });
      const temporary = `${file}.${String(process.pid)}.tmp`;
      await writeFile(temporary, JSON.stringify(entries));
      await rename(temporary, file);
      isDirty = false;
    },
  };
}

/** A cache that remembers nothing. */
export function emptyCache<T>(): KeyedCache<T> {
  return { get: () => undefined, set: () => undefined, save: () => Promise.resolve() };
}
