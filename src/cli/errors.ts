import { ArchiverError } from '../archiver-error.js';

/** A mistake in how the command was called; printed without a stack trace, exit code 2. */
export class UsageError extends ArchiverError {
  override name = 'UsageError';
}
