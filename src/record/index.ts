export { decodeMessage, isRecordSubject, parseTrailers, snapshotMessage, versionMessage } from './git/commit-message.js';
export { parsePath, snapshotPath, versionPath } from './git/file-paths.js';
export { GitSnapshotRepository, type GitRepositoryOptions, GitVersionRepository } from './git/git-repository.js';
export * from './model.js';
export type { SnapshotRepository, VersionRepository } from './repository.js';
export { BlobReader, isAncestorOfHead, type RecordChange, readRecordChanges } from './git/history-reader.js';
