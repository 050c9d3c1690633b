// The two implementations of the record stage answer alike: every behaviour the rest of the code relies on, run on
// git repositories in a temporary folder and on the memory ones. Then what only git has: a clone's settings, files
// beside the records, and a folder that is not a repository.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import {
  MemorySnapshotRepository,
  MemoryVersionRepository,
  MissingRepositoryError,
  openSnapshots,
  openVersions,
  type RecordChange,
  RepositoryLockedError,
  type SnapshotRepository,
  type VersionRepository,
} from '../../src/record/index.js';
import { descendantsOf } from '../../src/bench/process-tree.js';
import { git } from '../helpers/git.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const environment = { PATH: process.env.PATH, HOME: process.env.HOME };
const SNAPSHOT_A = 'a'.repeat(40);
const SNAPSHOT_B = 'b'.repeat(40);

interface Implementation {
  readonly snapshots: SnapshotRepository;
  readonly versions: VersionRepository;
  /** Drops the versions recorded after `id`, as a history rewritten by hand would. */
  rewindVersions(id: string): Promise<void>;
  close(): Promise<void>;
}

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
});
afterEach(() => cleanup());

const implementations: [string, () => Promise<Implementation>][] = [
  [
    'git',
    async () => {
      const snapshots = await openSnapshots({ directory: path.join(dir, 'snapshots'), environment });
      const versions = await openVersions({ directory: path.join(dir, 'versions'), environment });
      return {
        snapshots,
        versions,
        rewindVersions: async id => {
          await versions.flush();
          git(path.join(dir, 'versions'), 'reset', '-q', '--hard', id);
        },
        close: async () => {
          await Promise.all([snapshots.close(), versions.close()]);
        },
      };
    },
  ],
  [
    'memory',
    () => {
      const versions = new MemoryVersionRepository();
      return Promise.resolve({ snapshots: new MemorySnapshotRepository(), versions, rewindVersions: id => {
          versions.rewindTo(id);
          return Promise.resolve();
        }, close: () => Promise.resolve() });
    },
  ],
];

const snapshot = (content: string | Uint8Array, mimeType: string, day: number): Parameters<SnapshotRepository['record']>[0] => ({
  serviceId: 'Acme',
  termsType: 'Terms of Service',
  documentId: '',
  fetchDate: new Date(Date.UTC(2026, 0, day, 10, 0, 0, 500)),
  mimeType,
  content,
  metadata: { 'x-engine-version': 'test', 'x-fetcher': 'htmlOnly', 'x-source-document-location': 'https://acme.example/tos' },
});

const version = (content: string, day: number, snapshotIds: string[] = [SNAPSHOT_A], isTechnicalUpgrade = false): Parameters<VersionRepository['record']>[0] => ({
  serviceId: 'Acme',
  termsType: 'Terms of Service',
  fetchDate: new Date(Date.UTC(2026, 0, day, 10, 0, 0, 500)),
  content,
  snapshotIds,
  isTechnicalUpgrade,
  metadata: { 'x-engine-version': 'test' },
});

async function all<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

describe.each(implementations)('%s repositories', (_name, open) => {
  let repositories: Implementation;
  beforeEach(async () => {
    repositories = await open();
  });
  afterEach(() => repositories.close());

  it('record a snapshot once, answer it back to the second, and keep the newest whatever its type', async () => {
    const { snapshots } = repositories;
    const first = await snapshots.record(snapshot('<p>one</p>', 'text/html; charset=utf-8', 1));
    expect(first).toMatchObject({ isNew: true, isFirstRecord: true, record: { content: '<p>one</p>', mimeType: 'text/html', fetchDate: new Date(Date.UTC(2026, 0, 1, 10)) } });
    expect(first.record.id).toMatch(/^[0-9a-f]{40}$/);
    const same = await snapshots.record(snapshot('<p>one</p>', 'text/html', 2));
    expect(same).toEqual({ isNew: false, isFirstRecord: false, record: first.record });

    const pdf = await snapshots.record(snapshot(new Uint8Array([37, 80, 68, 70]), 'application/pdf', 3));
    expect(pdf).toMatchObject({ isNew: true, isFirstRecord: false });
    expect(await snapshots.findLatest('Acme', 'Terms of Service', '')).toEqual(pdf.record);
    expect((await snapshots.findLatest('Acme', 'Terms of Service', ''))?.content).toBeInstanceOf(Uint8Array);
    // back to the old page, byte for byte: there is nothing new to record, and the newest record stays the PDF
    expect(await snapshots.record(snapshot('<p>one</p>', 'text/html', 4))).toEqual({ isNew: false, isFirstRecord: false, record: pdf.record });

    const two = await snapshots.record(snapshot('<p>two</p>', 'text/html', 5));
    expect((await snapshots.list('Acme', 'Terms of Service', '', 10)).map(record => record.id)).toEqual([two.record.id, pdf.record.id, first.record.id]);
    expect(await snapshots.list('Acme', 'Terms of Service', '', 1)).toEqual([two.record]);
    expect(await snapshots.findLatest('Acme', 'Privacy Policy', '')).toBeUndefined();

    // by id, whatever its type, and every snapshot in the order they were recorded
    expect(await snapshots.read(first.record.id, 'Acme', 'Terms of Service', '')).toEqual(first.record);
    expect(await snapshots.read(pdf.record.id, 'Acme', 'Terms of Service', '')).toEqual(pdf.record);
    expect(await snapshots.read(first.record.id, 'Acme', 'Privacy Policy', '')).toBeUndefined();
    const history = [];
    for await (const record of snapshots.history()) history.push(record);
    // the whole history is read with each snapshot's trailers
    const trailers = { 'x-engine-version': 'test', 'x-fetcher': 'htmlOnly', 'x-source-document-location': 'https://acme.example/tos' };
    expect(history).toEqual([first.record, pdf.record, two.record].map(record => ({ ...record, metadata: trailers })));
    expect(await snapshots.firstDates()).toEqual([{ serviceId: 'Acme', termsType: 'Terms of Service', documentId: '', date: first.record.fetchDate }]);
  });

  it('record versions, find the one in force at a date or made from a snapshot, and read one by id', async () => {
    const { versions } = repositories;
    const one = await versions.record(version('One', 1, [SNAPSHOT_A]));
    expect(await versions.record(version('One', 2))).toEqual({ isNew: false, isFirstRecord: false, record: one.record });
    const two = await versions.record(version('Two', 3, [SNAPSHOT_B]));
    expect(two).toMatchObject({ isNew: true, isFirstRecord: false });
    expect((await versions.findLatest('Acme', 'Terms of Service'))?.content).toBe('Two');
    expect((await versions.list('Acme', 'Terms of Service', 10)).map(stored => stored.content)).toEqual(['Two', 'One']);
    expect((await versions.findAt('Acme', 'Terms of Service', new Date(Date.UTC(2026, 0, 2))))?.content).toBe('One');
    expect((await versions.findAt('Acme', 'Terms of Service', new Date(Date.UTC(2026, 0, 2)), SNAPSHOT_B))?.content).toBe('Two');
    expect(await versions.findAt('Acme', 'Terms of Service', new Date(Date.UTC(2025, 0, 1)))).toBeUndefined();
    expect(await versions.read(one.record.id, 'Acme', 'Terms of Service')).toBe('One');
    expect(await versions.read(one.record.id, 'Acme', 'Privacy Policy')).toBeUndefined();
    expect(await versions.read('not an id', 'Acme', 'Terms of Service')).toBeUndefined();
  });

  it('give the changes since a record, with the document before and after, and notice a rewritten history', async () => {
    const { versions } = repositories;
    expect(await versions.head()).toBeUndefined();
    expect(await all(versions.changesSince(undefined))).toEqual([]);
    const one = await versions.record(version('One\n', 1));
    const two = await versions.record(version('Two\n', 2));
    const upgrade = await versions.record(version('Two.\n', 3, [SNAPSHOT_A], true));
    expect(await versions.head()).toBe(upgrade.record.id);
    expect(await versions.count()).toBe(3);
    const changes = await all(versions.changesSince(undefined));
    const summary = (change: RecordChange): unknown[] => [change.id, change.subject, change.isFirstRecord, change.isTechnicalUpgrade, change.previous, change.content];
    expect(changes.map(summary)).toEqual([
      [one.record.id, 'First record of Acme Terms of Service', true, false, '', 'One\n'],
      [two.record.id, 'Record new changes of Acme Terms of Service', false, false, 'One\n', 'Two\n'],
      [upgrade.record.id, 'Apply technical or declaration upgrade on Acme Terms of Service', false, true, 'Two\n', 'Two.\n'],
    ]);
    expect(changes[1]).toMatchObject({ serviceId: 'Acme', termsType: 'Terms of Service', date: new Date(Date.UTC(2026, 0, 2, 10)), snapshotIds: [SNAPSHOT_A], metadata: { 'x-engine-version': 'test' } });
    expect((await all(versions.changesSince(two.record.id))).map(change => change.id)).toEqual([upgrade.record.id]);

    expect(await versions.contains(two.record.id)).toBe(true);
    await repositories.rewindVersions(one.record.id);
    expect(await versions.contains(two.record.id)).toBe(false);
    expect(await versions.contains(one.record.id)).toBe(true);
    expect(await versions.head()).toBe(one.record.id);
  });

  it('keep side files beside the records', async () => {
    const { versions } = repositories;
    expect(await versions.sideFiles.read('cache.json')).toBeUndefined();
    await versions.sideFiles.write('cache.json', '{"a":1}');
    expect(await versions.sideFiles.read('cache.json')).toBe('{"a":1}');
  });
});

describe('git repositories', () => {
  it('read paths right whatever the clone\'s settings (core.quotePath left at its default)', async () => {
    const directory = path.join(dir, 'versions');
    const versions = await openVersions({ directory, environment });
    await versions.record({ ...version('Text\n', 1), serviceId: 'DALL·E', termsType: 'Conditions générales' });
    await versions.flush();
    git(directory, 'config', 'core.quotepath', 'true');
    const reader = await openVersions({ directory, environment, isReadOnly: true });
    const [change] = await all(reader.changesSince(undefined));
    expect(change).toMatchObject({ serviceId: 'DALL·E', termsType: 'Conditions générales', content: 'Text\n' });
    expect((await reader.findLatest('DALL·E', 'Conditions générales'))?.content).toBe('Text\n');
    await Promise.all([reader.close(), versions.close()]);
  });

  it('keep side files out of the records', async () => {
    const directory = path.join(dir, 'versions');
    const versions = await openVersions({ directory, environment });
    await versions.record(version('Text', 1));
    await versions.sideFiles.write('cache.json', '{}');
    await versions.close();
    expect(git(directory, 'status', '--porcelain', '--ignored')).toBe('');
    expect(git(directory, 'ls-files').trim()).toBe('Acme/Terms of Service.md');
  });

  it('end their git cat-file processes at each flush, and start new ones for the next reads', async () => {
    const commandOf = (pid: number): string => {
      try {
        return readFileSync(`/proc/${String(pid)}/cmdline`, 'utf8');
      } catch {
        return ''; // gone since the listing
      }
    };
    const catFiles = (): number => descendantsOf(process.pid).filter(pid => commandOf(pid).startsWith('git\0cat-file\0')).length;
    const before = catFiles();
    const directory = path.join(dir, 'versions');
    const versions = await openVersions({ directory, environment });
    const one = await versions.record(version('One', 1));
    await versions.flush();
    expect(await versions.read(one.record.id, 'Acme', 'Terms of Service')).toBe('One');
    expect(catFiles()).toBe(before + 1);
    // a read asked for just before the flush is still answered
    const reading = versions.read(one.record.id, 'Acme', 'Terms of Service');
    await versions.flush();
    expect(await reading).toBe('One');
    await expect.poll(catFiles).toBe(before);
    expect(await versions.read(one.record.id, 'Acme', 'Terms of Service')).toBe('One');
    await versions.close();
    await expect.poll(catFiles).toBe(before);
  });

  it('refuse to read a folder that is not a repository, and leave it untouched', async () => {
    const directory = path.join(dir, 'nothing-yet');
    await mkdir(directory);
    await expect(openVersions({ directory, environment, isReadOnly: true })).rejects.toThrow(MissingRepositoryError);
    await expect(openVersions({ directory, environment, isReadOnly: true })).rejects.toThrow(`${directory} is not a versions repository yet`);
    expect(existsSync(path.join(directory, '.git'))).toBe(false);
  });
});

describe('git repositories written together', () => {
  const environment2 = { PATH: process.env.PATH, HOME: process.env.HOME };
  const snapshotOf = (content: string): Parameters<SnapshotRepository['record']>[0] => ({ ...snapshot(content, 'text/html', 1) });

  it('refuse a second writer with a message that says who writes, and take over the lock of a process that is gone', async () => {
    const directory = path.join(dir, 'versions');
    const first = await openVersions({ directory, environment: environment2 });
    await expect(openVersions({ directory, environment: environment2 })).rejects.toThrow(
      new RegExp(`^${directory} is being written by another terms-archive process \\(pid ${String(process.pid)} on .*\\): wait for it to end; if no such process runs, remove .*write\\.lock$`),
    );
    await expect(openVersions({ directory, environment: environment2 })).rejects.toThrow(RepositoryLockedError);
    await first.close();
    const second = await openVersions({ directory, environment: environment2 });
    await second.close();
    // a lock left by a process that was killed
    await writeFile(path.join(directory, '.git', 'terms-archive', 'write.lock'), JSON.stringify({ pid: 2 ** 22 + 1, host: os.hostname(), since: '2026-01-01T00:00:00Z' }));
    const third = await openVersions({ directory, environment: environment2 });
    await third.close();
    expect(existsSync(path.join(directory, '.git', 'terms-archive', 'write.lock'))).toBe(false);
  });

  it('drop the versions whose snapshots could not be saved, and say so', async () => {
    const snapshots = await openSnapshots({ directory: path.join(dir, 'snapshots'), environment: environment2 });
    const versions = await openVersions({ directory: path.join(dir, 'versions'), environment: environment2, snapshots });
    try {
      const saved = await snapshots.record(snapshotOf('<p>one</p>'));
      await versions.record(version('One', 1, [saved.record.id]));
      await versions.flush();
      const unsaved = await snapshots.record({ ...snapshotOf('<p>two</p>'), serviceId: 'Other' });
      await versions.record({ ...version('Two', 2, [unsaved.record.id]), serviceId: 'Other' });
      // git cannot move the snapshots branch (a disk that filled up would do the same)
      await writeFile(path.join(dir, 'snapshots', '.git', 'refs', 'heads', 'main.lock'), '');
      await expect(versions.flush()).rejects.toThrow(/versions: the records made since the last checkpoint were dropped: the records they name were not saved \(.*snapshots: the records made since the last checkpoint were dropped: git could not save them \(git fast-import stopped \(1\): error: cannot lock ref/);
      expect(await versions.count()).toBe(1);
      expect(await versions.findLatest('Other', 'Terms of Service')).toBeUndefined();
      await rm(path.join(dir, 'snapshots', '.git', 'refs', 'heads', 'main.lock'));
      expect(await snapshots.count()).toBe(1);
      // and the repositories go on: the next records are kept
      const again = await snapshots.record({ ...snapshotOf('<p>two</p>'), serviceId: 'Other' });
      await versions.record({ ...version('Two', 3, [again.record.id]), serviceId: 'Other' });
      await versions.flush();
      expect([await snapshots.count(), await versions.count()]).toEqual([2, 2]);
      expect(git(path.join(dir, 'versions'), 'status', '--porcelain')).toBe('');
    } finally {
      await Promise.all([snapshots.close(), versions.close()]);
    }
  });
});
