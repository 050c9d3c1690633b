// Versions on git (OTA-FORMAT §7): one Markdown file per terms, `<service>/<terms type>.md`, one commit per change,
// dated at the fetch of the snapshots it was extracted from.
import type { RecordChange, RecordResult, StoredVersion, VersionToRecord } from '../model.js';
import type { VersionRepository } from '../repository.js';
import { versionMessage } from './commit-message.js';
import { versionPath } from './file-paths.js';
import { GitRecords, type GitRepositoryOptions, inSeconds } from './git-records.js';
import { readRecordChanges } from './history-reader.js';

export interface GitVersionRepositoryOptions extends GitRepositoryOptions {
  /** `%SNAPSHOT_ID` is replaced by the snapshot SHA in version bodies. @default '%SNAPSHOT_ID' */
  readonly snapshotIdentifierTemplate?: string;
}

export class GitVersionRepository extends GitRecords implements VersionRepository {
  private readonly snapshotIdentifierTemplate: string;

  constructor(options: GitVersionRepositoryOptions) {
    super(options, 'versions');
    this.snapshotIdentifierTemplate = options.snapshotIdentifierTemplate ?? '%SNAPSHOT_ID';
  }

  record(version: VersionToRecord): Promise<RecordResult<StoredVersion>> {
    return this.serialise(async () => {
      const file = versionPath(version.serviceId, version.termsType);
      const existing = await this.filesOf(version.serviceId, version.termsType);
      const latest = await this.readLatest(existing);
      const identity = { serviceId: version.serviceId, termsType: version.termsType, content: version.content };
      if (latest?.file === file && latest.bytes.equals(Buffer.from(version.content, 'utf8'))) {
        return { record: { ...identity, id: latest.id, fetchDate: latest.date }, isNew: false, isFirstRecord: false };
      }
      const isFirstRecord = existing.length === 0;
      const message = versionMessage({ ...version, isFirstRecord, snapshotIdentifierTemplate: this.snapshotIdentifierTemplate });
      const id = await this.commit(file, version.content, message, version.fetchDate);
      return { record: { ...identity, id, fetchDate: inSeconds(version.fetchDate) }, isNew: true, isFirstRecord };
    });
  }

  async findLatest(serviceId: string, termsType: string): Promise<StoredVersion | undefined> {
    const latest = await this.readLatest(await this.filesOf(serviceId, termsType));
    return latest && { id: latest.id, serviceId, termsType, fetchDate: latest.date, content: latest.bytes.toString('utf8') };
  }

  async list(serviceId: string, termsType: string, limit: number): Promise<StoredVersion[]> {
    const commits = await this.commitsOf(await this.filesOf(serviceId, termsType), { limit });
    const versions: StoredVersion[] = [];
    for (const commit of commits) {
      const bytes = await this.readBlob(commit.id, commit.file);
      if (bytes) versions.push({ id: commit.id, serviceId, termsType, fetchDate: commit.date, content: bytes.toString('utf8') });
    }
    return versions;
  }

  async findAt(serviceId: string, termsType: string, date: Date, snapshotId?: string): Promise<StoredVersion | undefined> {
    const files = await this.filesOf(serviceId, termsType);
    const [made] = snapshotId === undefined ? [] : await this.commitsOf(files, { limit: 1, grep: snapshotId });
    const commit = made ?? (await this.commitsOf(files, { limit: 1, until: date }))[0];
    if (!commit) return undefined;
    const bytes = await this.readBlob(commit.id, commit.file);
    return bytes && { id: commit.id, serviceId, termsType, fetchDate: commit.date, content: bytes.toString('utf8') };
  }

  async read(id: string, serviceId: string, termsType: string): Promise<string | undefined> {
    if (!/^[0-9a-f]{4,64}$/.test(id)) return undefined;
    return (await this.readBlob(id, versionPath(serviceId, termsType)))?.toString('utf8');
  }

  async *changesSince(since: string | undefined): AsyncGenerator<RecordChange> {
    await this.head(); // the commits written so far are on the branch
    yield* readRecordChanges(this.git, since);
  }
}
