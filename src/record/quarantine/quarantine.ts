// The quarantine: versions that tracking saw and confirmed but did not record, because they look like something
// other than the terms (a wall, a sudden shrink, another language, a layout that flips back). It lives beside the
// versions repository, never in its history, with the snapshots it was extracted from (never in the snapshots
// repository either); an operator releases (records) or discards what it holds.
import { createHash } from 'node:crypto';

import type { RecordMetadata } from '../model.js';

/** Why a version is held: the rule that caught it, said for a person. */
export interface HoldReason {
  readonly rule: 'wall' | 'shrink' | 'language' | 'flapping';
  readonly message: string;
}

/**
 * A snapshot of a held version. What was fetched is kept here, not in the snapshots repository: a snapshot recorded
 * there would be re-extracted by the next technical upgrade (ours, or OTA's) and become the very version held back.
 */
export interface HeldSnapshot {
  readonly documentId: string;
  readonly fetchDate: Date;
  readonly mimeType: string;
  /** The trailers it is recorded with when released. */
  readonly metadata: Readonly<Record<string, string>>;
  /** The snapshot in the snapshots repository, when the document was the one recorded there already. */
  readonly id?: string;
  /** What was fetched, when it is not in the snapshots repository (recorded on release). */
  readonly content?: string | Uint8Array;
}

export interface VersionToHold {
  readonly serviceId: string;
  readonly termsType: string;
  /** When its snapshots were fetched: the date it is recorded at if released. */
  readonly fetchDate: Date;
  readonly content: string;
  readonly snapshots: readonly HeldSnapshot[];
  readonly reasons: readonly HoldReason[];
  /** The terms' latest version when it was held, which it would have followed. */
  readonly latestVersionId?: string | undefined;
  /** The trailers it is recorded with when released (its provenance). */
  readonly metadata: RecordMetadata;
}

export interface HeldVersion extends VersionToHold {
  /** Short and stable: the same text of the same terms is held once, however many runs see it. */
  readonly id: string;
  /** When a run last saw it again. */
  readonly lastSeenDate: Date;
  /** Runs that saw it. */
  readonly seen: number;
}

export interface Quarantine {
  /** Where it is, for messages. */
  readonly location: string;
  /** Holds a version; when the same text of the terms is already held, counts one more sighting instead. */
  hold(version: VersionToHold): Promise<{ readonly held: HeldVersion; readonly isNew: boolean }>;
  /** Every held version, oldest first. */
  list(): Promise<HeldVersion[]>;
  get(id: string): Promise<HeldVersion | undefined>;
  /** Lets go of a held version (released or discarded); false when there was none with this id. */
  remove(id: string): Promise<boolean>;
}

/** The id a text of a terms is held under. */
export function heldIdOf(serviceId: string, termsType: string, content: string): string {
  return createHash('sha256').update(`${serviceId}\0${termsType}\0${content}`).digest('hex').slice(0, 12);
}

/** The version to hold again: one more sighting, the first date and reasons kept, the latest snapshots named. */
export function seenAgain(held: HeldVersion, version: VersionToHold): HeldVersion {
  const isLater = version.fetchDate.getTime() > held.lastSeenDate.getTime();
  return { ...held, seen: held.seen + 1, lastSeenDate: isLater ? version.fetchDate : held.lastSeenDate };
}

export function newHeld(version: VersionToHold): HeldVersion {
  return { ...version, id: heldIdOf(version.serviceId, version.termsType, version.content), lastSeenDate: version.fetchDate, seen: 1 };
}
