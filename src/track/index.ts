export { Archivist, type ArchivistOptions, type PassRequest } from './archivist.js';
export * from './events.js';
export { InaccessibleContentError } from './inaccessible-content-error.js';
export { isValidSchedule, type Schedule, scheduleRuns } from './schedule.js';
export { type ExtractionCache, NO_EXTRACTION_CACHE, openFileExtractionCache } from './extraction-cache.js';
