// Side files of a git repository: in .git/terms-archive/, so they are never committed and go with the repository.
import { mkdirSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

import type { SideFiles } from '../repository.js';

export class FolderSideFiles implements SideFiles {
  private readonly directory: string;

  constructor(directory: string) {
    this.directory = directory;
  }

  async read(name: string): Promise<string | undefined> {
    try {
      return await readFile(this.fileOf(name), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async write(name: string, content: string): Promise<void> {
    const file = this.fileOf(name);
    await mkdir(this.directory, { recursive: true });
    const temporary = `${file}.${String(process.pid)}.tmp`;
    await writeFile(temporary, content);
    await rename(temporary, file);
  }

  /** The file's path; its folder is created, so that the caller can open the file itself. */
  pathOf(name: string): string {
    const file = this.fileOf(name);
    mkdirSync(this.directory, { recursive: true });
    return file;
  }

  private fileOf(name: string): string {
    if (!/^[\w-]+(\.[\w-]+)*$/.test(name)) throw new RangeError(`"${name}" is not a side file name`);
    return path.join(this.directory, name);
  }
}
