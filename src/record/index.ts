export * from './model.js';
export type { RecordRepository, SideFiles, SnapshotRepository, VersionRepository } from './repository.js';
export { MissingRepositoryError, ReadOnlyRepositoryError, RecordsNotSavedError, RepositoryLockedError, UnknownBaseError, UnsafeNameError } from './errors.js';
export { openSnapshots, openVersions, type OpenOptions, type OpenVersionsOptions } from './open.js';
export { MemorySnapshotRepository, MemoryVersionRepository } from './memory/memory-repositories.js';
export { changedFilesSince } from './git/changed-files.js';
export { type HeldSnapshot, type HeldVersion, heldIdOf, type HoldReason, type Quarantine, type VersionToHold } from './quarantine/quarantine.js';
export { FolderQuarantine } from './quarantine/folder-quarantine.js';
export { MemoryQuarantine } from './quarantine/memory-quarantine.js';
