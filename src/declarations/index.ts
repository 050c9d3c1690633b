export { documentIdOf } from './document-id.js';
export { DeclarationError, type DeclarationWarning, formatWarning, MissingDeclarationsError } from './errors.js';
export { listDeclarationFiles, listServiceIds, type LoadedCollection, type LoadOptions, loadDeclarations, loadServiceFiles } from './load.js';
export * from './model.js';
export { declarationSchema, historySchema, publishedSchema } from './schema.js';
export { BUILT_IN_FILTER_NAMES, TERMS_TYPES } from './terms-types.js';
export { unsafeNameReason, unsafeTermsTypeReason } from './names.js';
