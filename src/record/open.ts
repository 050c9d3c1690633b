// Opening repositories: the only way the rest of the code gets one. Git repositories are created when missing
// (unless read-only), brought back to their last commit and locked against a second writer; memory ones are for
// tests.
import { GitSnapshotRepository } from './git/git-snapshots.js';
import { GitVersionRepository } from './git/git-versions.js';
import type { SnapshotRepository, VersionRepository } from './repository.js';

export interface OpenOptions {
  /** The repository folder. */
  readonly directory: string;
  /** The environment git runs in (PATH, HOME…). */
  readonly environment: Readonly<Record<string, string | undefined>>;
  /** Commit author. @default 'Terms Archive Bot' */
  readonly authorName?: string;
  /** @default 'bot@terms-archive.invalid' */
  readonly authorEmail?: string;
  /**
   * Read an existing repository: nothing is created or reset, and a folder that is not yet a repository is refused
   * with a MissingRepositoryError. @default false
   */
  readonly isReadOnly?: boolean;
  /** Readers that serve contents by id at the same time (git cat-file processes). @default 1 */
  readonly readers?: number;
}

export interface OpenVersionsOptions extends OpenOptions {
  /** How version messages name their snapshots; `%SNAPSHOT_ID` is replaced by the id. @default '%SNAPSHOT_ID' */
  readonly snapshotIdentifierTemplate?: string;
  /**
   * The snapshots these versions are extracted from: saved before the versions are, at every checkpoint, and when
   * they cannot be, the versions recorded since the last checkpoint are dropped too, so that no version ever names
   * a snapshot that is not kept. Give it whenever both are written.
   */
  readonly snapshots?: SnapshotRepository;
}

const DEFAULT_AUTHOR = { authorName: 'Terms Archive Bot', authorEmail: 'bot@terms-archive.invalid' };

export function openSnapshots(options: OpenOptions): Promise<SnapshotRepository> {
  return new GitSnapshotRepository({ ...DEFAULT_AUTHOR, ...options }).open();
}

export function openVersions(options: OpenVersionsOptions): Promise<VersionRepository> {
  const { snapshots, ...rest } = options;
  return new GitVersionRepository({ ...DEFAULT_AUTHOR, ...rest, ...(snapshots && { dependsOn: snapshots }) }).open();
}
