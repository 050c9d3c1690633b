export { Archivist, type ArchivistOptions, DEFAULT_BROWSER_PAGES, DEFAULT_CONCURRENCY, type PassRequest } from './archivist.js';
export { HostLimiter } from './host-limiter.js';
export * from './events.js';
export { InaccessibleContentError } from './inaccessible-content-error.js';
export { isValidSchedule, type Schedule, scheduleRuns } from './schedule.js';
export { type ExtractionCache, NO_EXTRACTION_CACHE, openExtractionCache } from './extraction-cache.js';
export { NO_VALIDATORS_CACHE, openValidatorsCache, type ValidatorsCache } from './validators-cache.js';
export type { DocumentFetcher } from './track-terms.js';
