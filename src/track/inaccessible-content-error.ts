import { ArchiverError } from '../archiver-error.js';

/** The terms could not be tracked this run; `reasons` are the full fetch and extract messages. */
export class InaccessibleContentError extends ArchiverError {
  override name = 'InaccessibleContentError';
  readonly errors: readonly Error[];
  readonly reasons: readonly string[];

  constructor(errors: readonly Error[]) {
    const reasons = errors.map(error => error.message);
    super(`The documents cannot be accessed or their contents can not be selected:${reasons.map(reason => `\n - ${reason}`).join('')}`);
    this.errors = errors;
    this.reasons = reasons;
  }

  /** At least one failure is worth one more try at the end of the run. */
  get isTransient(): boolean {
    return this.errors.some(error => (error as { isTransient?: unknown }).isTransient === true);
  }
}

/** The pass was asked to stop before this terms fetched anything: it is left for the next pass, not reported. */
export class PassStoppedError extends ArchiverError {
  override name = 'PassStoppedError';

  constructor() {
    super('The pass stopped before this terms started');
  }
}
