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
