export { compareWithHistory, type HistoryComparison } from './against-history.js';
export { canonicalDeclaration, canonicalHistory, formatDeclarationText } from './canonical.js';
export { hintFor } from './hints.js';
export { type LintedFile, lintDeclarations } from './lint.js';
export { type ModifiedDeclarations, modifiedDeclarations, serviceIdOfFile } from './modified.js';
export { type DocumentPreview, markdownFigures, previewDocument } from './preview.js';
export { formatReport } from './report.js';
export { serviceIdWarnings, suggestedServiceId } from './service-ids.js';
export { checkDocument, type DocumentCheck, type Finding, MIN_CHARACTERS, type TermsCheck, validateCollection, type ValidationReport } from './validate.js';
