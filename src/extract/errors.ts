import { ArchiverError } from '../archiver-error.js';

/**
 * Content could not be extracted from a snapshot. The message carries OTA's wording, prefixed with
 * "Extract failed: ", because reports and issue labels match on it (OTA-FORMAT §6.5).
 */
export class ExtractError extends ArchiverError {
  override name = 'ExtractError';
  /** The message without its "Extract failed: " prefix. */
  readonly detail: string;

  constructor(detail: string, options?: ErrorOptions) {
    super(`Extract failed: ${detail}`, options);
    this.detail = detail;
  }
}
