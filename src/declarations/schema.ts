// The JSON Schema of declaration and history files (OTA-FORMAT §2) and its validator. The shapes are chosen
// with if/then instead of OTA's oneOf: the accepted files are the same, but an error names the one field
// that is wrong instead of listing the failures of every shape.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

import { plural } from '../plural.js';

/** A problem found in a declaration file, with the JSON path of the offending value. */
export interface SchemaIssue {
  /** A JSON path such as `terms["Terms of Service"].select[1]`, or '' for the whole file. */
  readonly path: string;
  readonly message: string;
}

const cssSelector = {
  type: 'string',
  pattern: '^.+$',
  'x-message': 'a CSS selector must be a non-empty string on one line',
};

const RANGE_MESSAGE = 'a range selector needs exactly one of "startBefore"/"startAfter" and exactly one of "endBefore"/"endAfter"';

const range = {
  type: 'object',
  properties: { startBefore: cssSelector, startAfter: cssSelector, endBefore: cssSelector, endAfter: cssSelector },
  additionalProperties: false,
  allOf: [
    { oneOf: [{ required: ['startBefore'] }, { required: ['startAfter'] }], 'x-message': RANGE_MESSAGE },
    { oneOf: [{ required: ['endBefore'] }, { required: ['endAfter'] }], 'x-message': RANGE_MESSAGE },
  ],
};

const selector = {
  type: ['string', 'object'],
  if: { type: 'string' },
  then: cssSelector,
  else: range,
  'x-message': 'a selector is a CSS selector string or a range object',
};

const selectors = {
  type: ['string', 'object', 'array'],
  if: { type: 'array' },
  then: { items: selector },
  else: selector,
  'x-message': 'must be a CSS selector, a range selector, or an array of them',
};

const filters = {
  type: 'array',
  items: {
    type: ['string', 'object'],
    if: { type: 'string' },
    then: { minLength: 1 },
    else: { minProperties: 1, maxProperties: 1 },
    'x-message': 'a filter is a name, or an object with exactly one key: { "<name>": params }',
  },
};

const cssSelectors = {
  type: ['string', 'array'],
  if: { type: 'array' },
  then: { items: cssSelector, minItems: 1 },
  else: cssSelector,
  'x-message': 'must be a CSS selector or an array of them',
};

/** When a fetched page is not the terms: our extension, named after OTA's versions-cleaner decisions. */
const skipRules = {
  skipSelectors: cssSelectors,
  skipMissingSelectors: cssSelectors,
  skipContent: {
    type: 'object',
    minProperties: 1,
    propertyNames: cssSelector,
    additionalProperties: { type: 'string', minLength: 1, 'x-message': 'the text that marks a page as not the terms must be a non-empty string' },
    'x-message': 'must be an object of CSS selector → text: { "<selector>": "<text>" }',
  },
};

const PDF_URL_PATTERN = '^https?://.+.[pP][dD][fF](\\?.+)?$';

function termsShapes(withValidUntil: boolean): object {
  const validUntil = withValidUntil ? { validUntil: { type: 'string', format: 'date-time' } } : {};
  const required = (keys: string[]): string[] => (withValidUntil ? [...keys, 'validUntil'] : keys);
  const documentProperties = {
    fetch: { type: 'string', format: 'uri' },
    select: selectors,
    remove: selectors,
    filter: filters,
    executeClientScripts: { type: 'boolean' },
    ...skipRules,
  };
  const sourceDocument = {
    type: 'object',
    properties: { ...documentProperties, ...validUntil },
    required: required(['fetch', 'select']),
    additionalProperties: false,
  };
  const combineItem = { type: 'object', properties: documentProperties, required: ['fetch'], additionalProperties: false };
  const combined = {
    type: 'object',
    properties: {
      combine: { type: 'array', minItems: 1, items: combineItem },
      select: selectors,
      remove: selectors,
      filter: filters,
      executeClientScripts: { type: 'boolean' },
      ...skipRules,
      ...validUntil,
    },
    required: required(['combine']),
    additionalProperties: false,
  };
  const pdf = {
    type: 'object',
    properties: {
      fetch: {
        type: 'string',
        format: 'uri',
        pattern: PDF_URL_PATTERN,
        'x-message': 'terms without "select" must fetch a PDF (a URL ending in .pdf); add a "select" for a web page',
      },
      ...validUntil,
    },
    required: required(['fetch']),
    additionalProperties: false,
  };
  return {
    type: 'object',
    if: { required: ['combine'] },
    then: combined,
    else: { if: { required: ['select'] }, then: sourceDocument, else: pdf },
  };
}

export const declarationSchema = {
  $id: 'https://terms-archive.example/schemas/declaration.json',
  type: 'object',
  properties: {
    $schema: { type: 'string' },
    name: { type: 'string', minLength: 1 },
    importedFrom: { type: 'string' },
    terms: { type: 'object', additionalProperties: termsShapes(false) },
  },
  required: ['name', 'terms'],
  additionalProperties: false,
};

export const historySchema = {
  $id: 'https://terms-archive.example/schemas/declaration-history.json',
  type: 'object',
  properties: { $schema: { type: 'string' } },
  additionalProperties: { type: 'array', items: termsShapes(true) },
};

/**
 * The schemas as files for editors (`schemas/` at the repository root, written by `terms-archive schema`): a
 * declaration that starts with `"$schema": "../schemas/declaration.schema.json"` is completed and checked as it
 * is typed. `x-message` is our own keyword for error messages; editors ignore it.
 */
export function publishedSchema(kind: 'declaration' | 'history'): Record<string, unknown> {
  const schema = kind === 'declaration' ? declarationSchema : historySchema;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: kind === 'declaration' ? 'Terms Archive service declaration' : 'Terms Archive declaration history',
    description:
      kind === 'declaration'
        ? 'declarations/<Service ID>.json: where each terms of a service is and what to keep of it (Open Terms Archive format)'
        : 'declarations/<Service ID>.history.json: the declarations each terms had before, each with its last day in force (validUntil)',
    ...schema,
  };
}

// ajv-formats is CommonJS: its default export arrives as a namespace under NodeNext.
const addFormats = addFormatsModule as unknown as { default: (ajv: Ajv) => Ajv };

function createAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, strictRequired: false, allowUnionTypes: true });
  ajv.addKeyword({ keyword: 'x-message', schemaType: 'string' });
  addFormats.default(ajv);
  // A URL as browsers and fetch read it (WHATWG), not RFC 3986's stricter grammar: OTA tracks PDF URLs with spaces
  // or "[" in their path (percent-encoded when fetched), and so must we. Only http(s) is then allowed (rules.ts).
  ajv.addFormat('uri', { type: 'string', validate: isAbsoluteUrl });
  return ajv;
}

function isAbsoluteUrl(text: string): boolean {
  return URL.canParse(text);
}

export interface DeclarationValidators {
  readonly declaration: ValidateFunction;
  readonly history: ValidateFunction;
}

/** Compiles both validators; compile once and reuse them. */
export function createValidators(): DeclarationValidators {
  const ajv = createAjv();
  return { declaration: ajv.compile(declarationSchema), history: ajv.compile(historySchema) };
}

/** Runs a validator and turns its errors into one issue per offending value. */
export function validateAgainst(validate: ValidateFunction, data: unknown): SchemaIssue[] {
  if (validate(data)) return [];
  return toIssues(validate.errors ?? []);
}

const COMBINATOR_KEYWORDS = new Set(['if', 'oneOf', 'anyOf', 'allOf', 'not']);

function toIssues(errors: readonly ErrorObject[]): SchemaIssue[] {
  const issues = new Map<string, SchemaIssue>();
  const customPaths = new Set<string>();
  for (const error of errors) {
    const path = toJsonPath(error.instancePath);
    const custom = customMessageOf(error);
    // ajv reports inner failures first: an outer "this branch failed" adds nothing to a message below it.
    if (COMBINATOR_KEYWORDS.has(error.keyword) && [...customPaths].some(p => p !== path && isWithin(p, path))) continue;
    if (custom !== undefined) {
      // One message for the value, instead of the failures of each branch below it.
      if (!customPaths.has(path)) issues.set(`${path}\u0000custom`, { path, message: custom });
      customPaths.add(path);
      continue;
    }
    if (COMBINATOR_KEYWORDS.has(error.keyword)) continue;
    const message = describe(error);
    issues.set(`${path}\u0000${message}`, { path, message });
  }
  // A custom message replaces the generic ones for its own value and for the values below it.
  return [...issues.entries()]
    .filter(([key, issue]) => key.endsWith('\u0000custom') || ![...customPaths].some(p => isWithin(issue.path, p)))
    .map(([, issue]) => issue);
}

function isWithin(path: string, parent: string): boolean {
  return path === parent || path.startsWith(`${parent}.`) || path.startsWith(`${parent}[`);
}

function customMessageOf(error: ErrorObject): string | undefined {
  const schema = error.parentSchema as Record<string, unknown> | undefined;
  const message = schema?.['x-message'];
  if (typeof message !== 'string') return undefined;
  // A type mismatch on the value itself is best told by the value's own message, as are its structure errors.
  return message;
}

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `the required key "${String(params.missingProperty)}" is missing`;
    case 'additionalProperties':
      return `unknown key "${String(params.additionalProperty)}"`;
    case 'type':
      return `must be ${describeType(params.type)}, got ${describeValue(error.data)}`;
    case 'format':
      return `must be a valid ${String(params.format)}, got ${describeValue(error.data)}${
        params.format === 'date-time' ? ' (for example "2023-10-23T12:30:05Z")' : ''
      }`;
    case 'minItems':
      return `must have at least ${plural(Number(params.limit), 'item')}`;
    case 'minLength':
      return 'must not be empty';
    default:
      return error.message ?? `fails the "${error.keyword}" rule`;
  }
}

function describeType(type: unknown): string {
  const types = Array.isArray(type) ? type : [type];
  const words: Record<string, string> = { object: 'an object', array: 'an array', string: 'a string', boolean: 'a boolean (true or false)' };
  return types.map(t => words[String(t)] ?? String(t)).join(' or ');
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  const json = JSON.stringify(value);
  return json.length > 80 ? `${json.slice(0, 77)}…` : json;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `/terms/Terms of Service/select/0` → `terms["Terms of Service"].select[0]`. */
export function toJsonPath(pointer: string): string {
  if (pointer === '') return '';
  return pointer
    .slice(1)
    .split('/')
    .map(part => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, key, index) => {
      if (/^\d+$/.test(key)) return `${path}[${key}]`;
      if (IDENTIFIER.test(key)) return index === 0 ? key : `${path}.${key}`;
      return `${path}[${JSON.stringify(key)}]`;
    }, '');
}
