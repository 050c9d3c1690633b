export { ExtractError } from './errors.js';
export { extract, type ExtractInput, isPdf, MAX_SELECTED_TEXT_LENGTH } from './extract.js';
