// `validate metadata`: a collection's metadata.yml against OTA's schema (OTA-FORMAT §1.5): `id`, `name`, `tagline`,
// `languages` (ISO 639-1) and `jurisdictions` (ISO 3166) required; a few optional keys, and nothing else. Its name and
// tagline title the feeds and the viewer, and `GET /metadata` serves it whole.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { Ajv } from 'ajv';
import { parse } from 'yaml';

/** A problem of metadata.yml, with the path of the value at fault ('' for the whole file). */
export interface MetadataIssue {
  readonly path: string;
  readonly message: string;
}

const url = { type: 'string', format: 'url' };
const ROLES = ['host', 'sysadmin', 'curator', 'maintainer', 'contributor', 'analyst', 'diffuser', 'sponsor'];

const METADATA_SCHEMA = {
  type: 'object',
  required: ['id', 'name', 'tagline', 'languages', 'jurisdictions'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$' },
    name: { type: 'string', minLength: 1 },
    tagline: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    languages: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', format: 'language' } },
    jurisdictions: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', format: 'jurisdiction' } },
    dataset: url,
    declarations: url,
    versions: url,
    snapshots: url,
    donations: url,
    logo: url,
    trackingPeriods: {
      type: 'array',
      items: {
        type: 'object',
        required: ['startDate', 'schedule', 'serverLocation'],
        additionalProperties: false,
        properties: { startDate: { type: 'string', format: 'day' }, endDate: { type: 'string', format: 'day' }, schedule: { type: 'string', minLength: 1 }, serverLocation: { type: 'string', minLength: 1 } },
      },
    },
    governance: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: { url, logo: url, roles: { type: 'array', items: { enum: ROLES } } },
      },
    },
    i18n: { type: 'object', propertyNames: { format: 'language' }, additionalProperties: { type: 'object' } },
  },
};

const languages = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });
const regions = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

const MESSAGES: Record<string, string> = {
  url: 'an absolute http(s) URL',
  language: 'an ISO 639-1 language code, such as "en" or "fr"',
  jurisdiction: 'an ISO 3166 country or subdivision code, such as "FR", "EU" or "US-CA"',
  day: 'a date as YYYY-MM-DD',
};

function validator(): ReturnType<Ajv['compile']> {
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addFormat('url', value => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol));
  ajv.addFormat('language', value => /^[a-z]{2}$/.test(value) && languages.of(value) !== undefined);
  ajv.addFormat('jurisdiction', value => /^[A-Z]{2}(-[A-Z0-9]{1,3})?$/.test(value) && regions.of(value.slice(0, 2)) !== undefined);
  // YAML reads an unquoted date as a timestamp (as OTA's reader does): both forms are a date
  ajv.addFormat('day', value => /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)));
  return ajv.compile(METADATA_SCHEMA);
}

/** The problems of a parsed metadata.yml, each with the path of the value at fault. */
export function metadataIssues(metadata: unknown): MetadataIssue[] {
  const validate = validator();
  // YAML dates arrive as Date objects: checked as the days they are
  const data = JSON.parse(JSON.stringify(metadata, (_key, value: unknown) => (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T00:00:00\.000Z$/.test(value) ? value.slice(0, 10) : value))) as unknown;
  if (validate(data)) return [];
  return (validate.errors ?? []).map(error => {
    const where = error.instancePath.split('/').slice(1).map(part => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`)).join('').replace(/^\./, '');
    const format = (error.params as { format?: string }).format;
    let message = error.message ?? 'is not valid';
    if (error.keyword === 'format' && format !== undefined) message = `must be ${MESSAGES[format] ?? format}`;
    if (error.keyword === 'additionalProperties') message = `unknown key "${(error.params as { additionalProperty: string }).additionalProperty}" (OTA's metadata has no such key)`;
    if (error.keyword === 'required') message = `"${(error.params as { missingProperty: string }).missingProperty}" is required`;
    if (error.keyword === 'enum') message = `must be one of ${ROLES.join(', ')}`;
    return { path: where, message };
  });
}

export interface MetadataReport {
  readonly file: string;
  /** Undefined when the file is missing. */
  readonly issues: readonly MetadataIssue[] | undefined;
}

/** Reads and checks `<collection>/metadata.yml`. */
export async function validateMetadata(collectionDir: string): Promise<MetadataReport> {
  const file = path.join(collectionDir, 'metadata.yml');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return { file, issues: undefined };
  }
  try {
    return { file, issues: metadataIssues(parse(text, { customTags: ['timestamp'] })) };
  } catch (error) {
    return { file, issues: [{ path: '', message: `not valid YAML: ${(error as Error).message}` }] };
  }
}
