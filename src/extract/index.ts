export { ExtractError } from './errors.js';
export { extract, type ExtractInput, isPdf } from './extract.js';
