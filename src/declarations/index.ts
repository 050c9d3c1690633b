export { documentIdOf } from './document-id.js';
export { DeclarationError, type DeclarationWarning, formatWarning, MissingDeclarationsError } from './errors.js';
export { type LoadedCollection, type LoadOptions, listServiceIds, loadDeclarations, loadServiceFiles } from './load.js';
export * from './model.js';
export { declarationSchema, historySchema, publishedSchema } from './schema.js';
export { BUILT_IN_FILTER_NAMES, TERMS_TYPES } from './terms-types.js';
