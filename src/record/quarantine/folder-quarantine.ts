// A quarantine in a folder beside the versions repository: one JSON file per held version, each replaced at once
// (a crash leaves the old file or the new one). Not a git repository: what it holds is not history.
import { readdir, rm } from 'node:fs/promises';

import { FolderSideFiles } from '../git/side-files.js';
import { type HeldSnapshot, type HeldVersion, heldIdOf, type HoldReason, newHeld, type Quarantine, seenAgain, type VersionToHold } from './quarantine.js';

const ID = /^[0-9a-f]{12}$/;

export class FolderQuarantine implements Quarantine {
  readonly location: string;
  private readonly files: FolderSideFiles;

  constructor(directory: string) {
    this.location = directory;
    this.files = new FolderSideFiles(directory);
  }

  async hold(version: VersionToHold): Promise<{ held: HeldVersion; isNew: boolean }> {
    const before = await this.get(heldIdOf(version.serviceId, version.termsType, version.content));
    const held = before ? seenAgain(before, version) : newHeld(version);
    await this.files.write(`${held.id}.json`, `${JSON.stringify(toJson(held), undefined, 2)}\n`);
    return { held, isNew: before === undefined };
  }

  async list(): Promise<HeldVersion[]> {
    const names = await readdir(this.location).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    });
    const held: HeldVersion[] = [];
    for (const name of names.sort()) {
      const id = name.replace(/\.json$/, '');
      if (!ID.test(id) || name === id) continue;
      const version = await this.get(id);
      if (version) held.push(version);
    }
    return held.sort((a, b) => a.fetchDate.getTime() - b.fetchDate.getTime());
  }

  async get(id: string): Promise<HeldVersion | undefined> {
    if (!ID.test(id)) return undefined;
    const text = await this.files.read(`${id}.json`);
    if (text === undefined) return undefined;
    try {
      return fromJson(JSON.parse(text) as HeldJson, id);
    } catch (error) {
      throw new Error(`${this.location}/${id}.json is not a held version: ${(error as Error).message}`);
    }
  }

  async remove(id: string): Promise<boolean> {
    if (!(await this.get(id))) return false;
    await rm(this.files.pathOf(`${id}.json`));
    return true;
  }
}

interface HeldJson {
  readonly id: string;
  readonly serviceId: string;
  readonly termsType: string;
  readonly fetchDate: string;
  readonly lastSeenDate: string;
  readonly seen: number;
  readonly reasons: readonly HoldReason[];
  readonly latestVersionId?: string;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly content: string;
  readonly snapshots: readonly SnapshotJson[];
}

interface SnapshotJson {
  readonly documentId: string;
  readonly fetchDate: string;
  readonly mimeType: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly id?: string;
  /** Text as is; bytes (a PDF) in base64. */
  readonly content?: string;
  readonly encoding?: 'base64';
}

function snapshotToJson(snapshot: HeldSnapshot): SnapshotJson {
  const { content, fetchDate, ...rest } = snapshot;
  if (content === undefined) return { ...rest, fetchDate: fetchDate.toISOString() };
  if (typeof content === 'string') return { ...rest, fetchDate: fetchDate.toISOString(), content };
  return { ...rest, fetchDate: fetchDate.toISOString(), content: Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString('base64'), encoding: 'base64' };
}

function snapshotFromJson(json: SnapshotJson, date: (value: string, field: string) => Date): HeldSnapshot {
  if (typeof json.documentId !== 'string' || typeof json.mimeType !== 'string') throw new Error('a snapshot has no documentId or mimeType');
  if (json.id === undefined && typeof json.content !== 'string') throw new Error('a snapshot has neither an id nor a content');
  const content = json.content === undefined ? undefined : json.encoding === 'base64' ? new Uint8Array(Buffer.from(json.content, 'base64')) : json.content;
  return {
    documentId: json.documentId,
    fetchDate: date(json.fetchDate, 'snapshot fetchDate'),
    mimeType: json.mimeType,
    metadata: json.metadata,
    ...(json.id !== undefined && { id: json.id }),
    ...(content !== undefined && { content }),
  };
}

function toJson(held: HeldVersion): HeldJson {
  return {
    id: held.id,
    serviceId: held.serviceId,
    termsType: held.termsType,
    fetchDate: held.fetchDate.toISOString(),
    lastSeenDate: held.lastSeenDate.toISOString(),
    seen: held.seen,
    reasons: held.reasons,
    ...(held.latestVersionId !== undefined && { latestVersionId: held.latestVersionId }),
    metadata: held.metadata,
    content: held.content,
    snapshots: held.snapshots.map(snapshotToJson),
  };
}

function fromJson(json: HeldJson, id: string): HeldVersion {
  const date = (value: string, field: string): Date => {
    const parsed = new Date(value);
    if (typeof value !== 'string' || Number.isNaN(parsed.getTime())) throw new Error(`its ${field} is not a date`);
    return parsed;
  };
  if (typeof json.content !== 'string' || typeof json.serviceId !== 'string' || typeof json.termsType !== 'string') throw new Error('its service, terms type or content is missing');
  if (!Array.isArray(json.snapshots) || !Array.isArray(json.reasons)) throw new Error('its snapshots or reasons are not lists');
  return {
    id,
    serviceId: json.serviceId,
    termsType: json.termsType,
    fetchDate: date(json.fetchDate, 'fetchDate'),
    lastSeenDate: date(json.lastSeenDate, 'lastSeenDate'),
    seen: typeof json.seen === 'number' ? json.seen : 1,
    reasons: json.reasons,
    snapshots: (json.snapshots as readonly SnapshotJson[]).map(snapshot => snapshotFromJson(snapshot, date)),
    ...(typeof json.latestVersionId === 'string' && { latestVersionId: json.latestVersionId }),
    metadata: json.metadata ?? {},
    content: json.content,
  };
}
