// Errors of the record stage: each names the repository it is about.
import { ArchiverError } from '../archiver-error.js';

/** A repository opened for reading does not exist yet. */
export class MissingRepositoryError extends ArchiverError {
  override name = 'MissingRepositoryError';

  constructor(
    readonly location: string,
    readonly kind: 'snapshots' | 'versions',
  ) {
    super(`${location} is not a ${kind} repository yet: nothing has been tracked into it (run "terms-archive track" first)`);
  }
}

/** A write to a repository opened for reading. */
export class ReadOnlyRepositoryError extends ArchiverError {
  override name = 'ReadOnlyRepositoryError';

  constructor(readonly location: string) {
    super(`${location} was opened for reading: it cannot record`);
  }
}

/** `--modified`'s base cannot be compared with. */
export class UnknownBaseError extends ArchiverError {
  override name = 'UnknownBaseError';
}

/** A name that cannot be a path part or a commit-message word reached the record stage: nothing is written. */
export class UnsafeNameError extends ArchiverError {
  override name = 'UnsafeNameError';

  constructor(
    readonly what: string,
    readonly unsafeName: string,
    readonly reason: string,
  ) {
    super(`The ${what} ${JSON.stringify(unsafeName)} ${reason}: it cannot name a record`);
  }
}

/** Another process is writing the repository: two writers would lose each other's commits. */
export class RepositoryLockedError extends ArchiverError {
  override name = 'RepositoryLockedError';

  constructor(
    readonly location: string,
    readonly holder: string,
    readonly lockFile: string,
  ) {
    super(`${location} is being written by another terms-archive process (${holder}): wait for it to end; if no such process runs, remove ${lockFile}`);
  }
}

/** Records could not be made durable; those since the last durable point are gone (and nothing depends on them). */
export class RecordsNotSavedError extends ArchiverError {
  override name = 'RecordsNotSavedError';
}
