import type { SourceDocument } from '../../src/declarations/index.js';

export function sourceDocument(overrides: Partial<SourceDocument> = {}): SourceDocument {
  return {
    id: '',
    location: 'https://acme.example/legal/terms',
    executeClientScripts: undefined,
    contentSelectors: 'main',
    insignificantContentSelectors: undefined,
    filters: [],
    ...overrides,
  };
}
