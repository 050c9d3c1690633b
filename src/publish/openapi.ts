// The OpenAPI 3.1.0 description served at /docs.

const text = { type: 'string' } as const;
const pathParameter = (name: string, description: string): Record<string, unknown> => ({ name, in: 'path', required: true, schema: text, description });
const error = { description: 'an error', content: { 'application/json': { schema: { type: 'object', properties: { error: text } } } } };

export function openApiDocument(mount: string): { openapi: string; info: { title: string; version: string }; servers: { url: string }[]; paths: Record<string, unknown> } {
  const service = pathParameter('serviceId', 'service ID, verbatim');
  const type = pathParameter('termsType', 'terms type, e.g. Terms of Service');
  return {
    openapi: '3.1.0',
    info: { title: 'Open Terms Archive API [Beta]', version: '1' },
    servers: [{ url: mount }],
    paths: {
      '/services': { get: { summary: 'The services and their terms types', responses: { 200: { description: 'services' } } } },
      '/service/{serviceId}': { get: { summary: 'A service and its source documents', parameters: [service], responses: { 200: { description: 'the service' }, 404: { description: 'Service not found' } } } },
      '/metadata': { get: { summary: 'The collection metadata', responses: { 200: { description: 'metadata' } } } },
      '/version/{serviceId}/{termsType}/{date}': {
        get: {
          summary: 'The version in force at a date',
          parameters: [service, type, pathParameter('date', 'ISO 8601 date-time')],
          responses: { 200: { description: '{ id, fetchDate, content }' }, 400: error, 404: error, 416: error },
        },
      },
      '/feed': { get: { summary: 'Atom feed of the collection (technical upgrades excluded)', responses: { 200: { description: 'Atom' }, 304: { description: 'not modified' } } } },
      '/feed/{serviceId}': { get: { summary: 'Atom feed of a service', parameters: [service], responses: { 200: { description: 'Atom' }, 404: { description: 'Service not found' } } } },
      '/feed/{serviceId}/{termsType}': { get: { summary: 'Atom feed of a terms', parameters: [service, type], responses: { 200: { description: 'Atom' }, 404: { description: 'not found' } } } },
      '/versions/{serviceId}/{termsType}': {
        get: {
          summary: 'Versions of a terms, newest first, with their diff figures',
          parameters: [
            service,
            type,
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 0, maximum: 1000, default: 50 } },
            { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 } },
            { name: 'technicalUpgrades', in: 'query', schema: { type: 'boolean', default: false } },
          ],
          responses: { 200: { description: '{ total, limit, offset, versions }' }, 400: error, 404: error },
        },
      },
      '/diff/{serviceId}/{termsType}': {
        get: {
          summary: 'The diff between two versions (by id or date); default: the latest and the one before',
          parameters: [
            service,
            type,
            { name: 'from', in: 'query', schema: text },
            { name: 'to', in: 'query', schema: text },
            { name: 'format', in: 'query', schema: { enum: ['unified', 'html', 'json'], default: 'unified' } },
          ],
          responses: { 200: { description: 'the diff' }, 400: error, 404: error },
        },
      },
      '/search': {
        get: {
          summary: 'Full-text search: the terms whose version in force (latest, or at a date) matches, or the periods of history in which they matched; or counts per service, terms type or period',
          parameters: [
            { name: 'q', in: 'query', required: true, schema: text, description: 'FTS5 query: words, "a phrase", prefix*, AND, OR, NOT, NEAR(a b, 5); within one paragraph' },
            { name: 'services', in: 'query', schema: text, description: 'service IDs, comma-separated or repeated' },
            { name: 'types', in: 'query', schema: text, description: 'terms types, comma-separated or repeated' },
            { name: 'at', in: 'query', schema: text, description: 'the versions in force at this ISO 8601 date (default: the latest)' },
            { name: 'all', in: 'query', schema: { type: 'boolean', default: false }, description: 'over all history' },
            { name: 'from', in: 'query', schema: text, description: 'over history from this date; with a period "by", the first period' },
            { name: 'to', in: 'query', schema: text, description: 'over history up to this date; with a period "by", the last period' },
            { name: 'by', in: 'query', schema: { enum: ['service', 'type', 'day', 'month', 'year'] } },
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 0, maximum: 1000, default: 20 } },
            { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 } },
          ],
          responses: { 200: { description: '{ query, kind: hits, total, hits } | { query, kind: groups, by, groups } | { query, kind: series, by, rows }' }, 400: error, 404: error },
        },
      },
      '/trace/{serviceId}/{termsType}': {
        get: {
          summary: 'The periods in which a terms held a passage (its words in order, within a paragraph)',
          parameters: [service, type, { name: 'text', in: 'query', required: true, schema: text }],
          responses: { 200: { description: '{ serviceId, termsType, text, periods: [{ from, until }] }' }, 400: error, 404: error },
        },
      },
      '/blame/{serviceId}/{termsType}': {
        get: {
          summary: 'Each paragraph of a version with the version that brought it (technical upgrades skipped)',
          parameters: [service, type, { name: 'at', in: 'query', schema: text, description: 'a version id or an ISO 8601 date (default: the latest)' }],
          responses: { 200: { description: '{ serviceId, termsType, version, paragraphs: [{ text, since }] }' }, 400: error, 404: error },
        },
      },
    },
  };
}
