import { ArchiverError } from '../../archiver-error.js';

/** A dataset could not be published on a platform (GitHub, GitLab, data.gouv.fr); the message says which and why. */
export class ReleaseError extends ArchiverError {
  override name = 'ReleaseError';
}

/** The HTTP status of a client's error, when it has one, as " (HTTP 404)". */
export function statusOf(error: unknown): string {
  const status = (error as { status?: unknown; cause?: { response?: { status?: unknown } } }).status ?? (error as { cause?: { response?: { status?: unknown } } }).cause?.response?.status;
  return typeof status === 'number' ? ` (HTTP ${String(status)})` : '';
}
