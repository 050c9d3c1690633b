import { ArchiverError } from '../archiver-error.js';
import type { HeldVersion } from '../record/index.js';

/** The terms could not be tracked this run; `reasons` are the full fetch and extract messages. */
export class InaccessibleContentError extends ArchiverError {
  override name = 'InaccessibleContentError';
  readonly errors: readonly Error[];
  readonly reasons: readonly string[];
  private readonly isWorthRetrying: boolean;

  /** `isWorthRetrying`: one more try is worth it whatever the errors (a page just fetched that did not extract). */
  constructor(errors: readonly Error[], isWorthRetrying = false) {
    const reasons = errors.map(error => error.message);
    super(`The documents cannot be accessed or their contents can not be selected:${reasons.map(reason => `\n - ${reason}`).join('')}`);
    this.errors = errors;
    this.reasons = reasons;
    this.isWorthRetrying = isWorthRetrying;
  }

  /** At least one failure is worth one more try at the end of the run. */
  get isTransient(): boolean {
    return this.isWorthRetrying || this.errors.some(error => (error as { isTransient?: unknown }).isTransient === true);
  }
}

/** The pass was asked to stop before this terms fetched anything: it is left for the next pass, not reported. */
export class PassStoppedError extends ArchiverError {
  override name = 'PassStoppedError';

  constructor() {
    super('The pass stopped before this terms started');
  }
}

/** Every fetch of a terms gave other text: no two agreed, so none can be said to be the service's terms. */
export class UnstableContentError extends ArchiverError {
  override name = 'UnstableContentError';

  constructor(
    readonly terms: { readonly serviceId: string; readonly type: string },
    readonly fetches: number,
    readonly delayMs: number,
  ) {
    super(`The extracted text changed between each of ${String(fetches)} fetches, at least ${String(delayMs / 1000)} s apart: the page is not stable, nothing was recorded`);
  }
}

/** A confirmed change that a suspect-content rule held in quarantine instead of recording it. */
export class HeldVersionError extends ArchiverError {
  override name = 'HeldVersionError';

  constructor(
    readonly held: HeldVersion,
    readonly isNew: boolean,
    quarantineLocation: string,
  ) {
    const when = isNew ? 'held' : `held since ${held.fetchDate.toISOString()}, seen ${String(held.seen)} times`;
    super(
      `A change was confirmed but not recorded: ${held.reasons.map(reason => reason.message).join('; ')}. It is ${when} in ${quarantineLocation} as ${held.id} ("terms-archive quarantine show ${held.id}", then release or discard it)`,
    );
  }
}
