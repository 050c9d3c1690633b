export { ExtractError } from './errors.js';
export { extract, type ExtractInput, isPdf, MAX_SELECTED_TEXT_LENGTH } from './extract.js';
export { annotateSelections, countSelectorMatches, type SelectorMatches } from './inspect.js';
export { createIsolatedExtractor, type IsolatedExtractor, type IsolatedExtractorOptions } from './isolated.js';

/** The Markdown of a combined terms: its documents' Markdown in declaration order, joined as OTA joins them. */
export function joinDocuments(parts: readonly string[]): string {
  return parts.join('\n\n- - -\n\n');
}

/**
 * Changes whenever extraction could give other Markdown for the same snapshot and rules: bump it with any such
 * change to this stage (the pinned libraries included). Runs use it to know when a stored version is still
 * what extraction would give.
 */
export const EXTRACTION_VERSION = '2'; // 2: PDF text escaped per pdf.js item, as OTA does (OTA-FORMAT §6.6)
export { checkSkipRules, findSkipRule, SkippedPageError } from './skip.js';
