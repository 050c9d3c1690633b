// Which commit last touched each file, kept in memory and saved as the side file latest.json, so that finding a
// terms' latest record spawns no git process. The saved index names the HEAD it describes; when HEAD moved without
// us (a crash before saving, a human commit, another process), it is rebuilt from one `git log` walk.
import type { SideFiles } from '../repository.js';
import type { Git } from './git.js';

const FILE = 'latest.json';

interface Entry {
  readonly id: string;
  /** The author date, ISO 8601. */
  readonly date: string;
  /** Higher is newer, in commit order (not date order: upgrades are back-dated). */
  readonly order: number;
}

interface SavedIndex {
  readonly head: string;
  readonly counter: number;
  readonly entries: Record<string, Entry>;
}

export class LatestIndex {
  private entries = new Map<string, Entry>();
  private head = '';
  private counter = 0;
  private isDirty = false;
  private readonly git: Git;
  private readonly sideFiles: SideFiles;

  constructor(git: Git, sideFiles: SideFiles) {
    this.git = git;
    this.sideFiles = sideFiles;
  }

  /** Loads the saved index, or rebuilds it when it does not describe HEAD. */
  async load(): Promise<void> {
    const head = await this.git.head();
    let saved: SavedIndex | undefined;
    try {
      saved = JSON.parse((await this.sideFiles.read(FILE)) ?? 'null') as SavedIndex | undefined;
    } catch {
      saved = undefined; // unreadable: rebuilt below
    }
    if (saved?.head === head && typeof saved.entries === 'object') {
      this.entries = new Map(Object.entries(saved.entries));
      this.head = head;
      this.counter = saved.counter;
      return;
    }
    await this.rebuild(head);
  }

  private async rebuild(head: string): Promise<void> {
    this.entries.clear();
    this.head = head;
    this.counter = 0;
    this.isDirty = true;
    if (!head) return;
    const log = await this.git.raw(['log', '-z', '--no-renames', '--name-only', '--format=%x01%H %aI', 'HEAD']);
    const commits = log.split('\u0001').filter(part => part.trim() !== '');
    this.counter = commits.length;
    commits.forEach((commit, index) => {
      const [header = '', ...files] = commit.split(/[\0\n]/);
      const [id = '', date = ''] = header.split(' ');
      for (const file of files) {
        if (file !== '' && !this.entries.has(file)) this.entries.set(file, { id, date, order: commits.length - index });
      }
    });
  }

  /** The newest commit, in commit order, that touched any of these files. */
  latest(files: readonly string[]): (Entry & { readonly file: string }) | undefined {
    let best: (Entry & { file: string }) | undefined;
    for (const file of files) {
      const entry = this.entries.get(file);
      if (entry && (!best || entry.order > best.order)) best = { ...entry, file };
    }
    return best;
  }

  recorded(file: string, id: string, date: Date): void {
    this.counter++;
    this.entries.set(file, { id, date: new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString(), order: this.counter });
    this.head = id;
    this.isDirty = true;
  }

  /** The HEAD the index describes. */
  get describedHead(): string {
    return this.head;
  }

  async save(): Promise<void> {
    if (!this.isDirty) return;
    const saved: SavedIndex = { head: this.head, counter: this.counter, entries: Object.fromEntries(this.entries) };
    await this.sideFiles.write(FILE, JSON.stringify(saved));
    this.isDirty = false;
  }
}
