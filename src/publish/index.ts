export { feedUpdated, renderFeed, secondsDate } from './atom.js';
export { describeChange, escapeHtml, firstRecordChange, type RenderedChange } from './change.js';
export { HistoryIndex, type IndexedVersion, MissingRepositoryError, type VersionKind } from './history-index.js';
export { type CollectionMetadata, loadMetadata } from './metadata.js';
export { openApiDocument } from './openapi.js';
export { type ApiOptions, createApiHandler, startApiServer } from './server.js';
export { type WebhookOptions, type WebhookPayload, WebhookSender } from './webhooks.js';
export { type ChangeLabel, LABEL_TITLES, type LabelledChange, labelChange } from './labels.js';
export { datasetFileDate, datasetName, type DatasetSummary, writeDataset } from './dataset.js';
