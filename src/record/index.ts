export * from './model.js';
export type { RecordRepository, SideFiles, SnapshotRepository, VersionRepository } from './repository.js';
export { MissingRepositoryError, ReadOnlyRepositoryError, RecordsNotSavedError, RepositoryLockedError, UnknownBaseError, UnsafeNameError } from './errors.js';
export { openSnapshots, openVersions, type OpenOptions, type OpenVersionsOptions } from './open.js';
export { MemorySnapshotRepository, MemoryVersionRepository } from './memory/memory-repositories.js';
export { changedFilesSince } from './git/changed-files.js';
