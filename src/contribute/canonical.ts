// One canonical formatting of declaration and history files, so that a declaration's git diff shows only what a
// contributor changed: keys in a fixed order (OTA's own order of documentation), two-space indentation, a final
// newline. Values are never changed, only keys reordered and whitespace rewritten.

/** The order of a service's keys; unknown keys (which validation rejects) keep their place after these. */
const SERVICE_KEYS = ['$schema', 'name', 'importedFrom', 'terms'];
/** The order of a terms' (or a combine item's, or a history entry's) keys. */
const TERMS_KEYS = ['fetch', 'combine', 'select', 'remove', 'filter', 'executeClientScripts', 'validUntil'];
/** The order of a range's keys. */
const RANGE_KEYS = ['startBefore', 'startAfter', 'endBefore', 'endAfter'];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function ordered(object: { [key: string]: Json }, order: readonly string[], child: (key: string, value: Json) => Json): { [key: string]: Json } {
  const keys = Object.keys(object);
  const known = order.filter(key => keys.includes(key));
  const others = keys.filter(key => !order.includes(key));
  const result: { [key: string]: Json } = {};
  for (const key of [...known, ...others]) result[key] = child(key, object[key] as Json);
  return result;
}

function selectors(value: Json): Json {
  if (Array.isArray(value)) return value.map(selectors);
  return isObject(value) ? ordered(value, RANGE_KEYS, (_key, inner) => inner) : value;
}

function terms(value: Json): Json {
  if (!isObject(value)) return value;
  return ordered(value, TERMS_KEYS, (key, inner) => {
    if (key === 'select' || key === 'remove') return selectors(inner);
    if (key === 'combine' && Array.isArray(inner)) return inner.map(terms);
    return inner;
  });
}

/** The canonical form of a service declaration (`<id>.json`); terms types keep the order they were written in. */
export function canonicalDeclaration(value: unknown): unknown {
  const json = value as Json;
  if (!isObject(json)) return json;
  return ordered(json, SERVICE_KEYS, (key, inner) => {
    if (key !== 'terms' || !isObject(inner)) return inner;
    return Object.fromEntries(Object.entries(inner).map(([type, raw]) => [type, terms(raw)]));
  });
}

/** The canonical form of a history file (`<id>.history.json`): each entry ordered as a terms, `validUntil` last. */
export function canonicalHistory(value: unknown): unknown {
  const json = value as Json;
  if (!isObject(json)) return json;
  return Object.fromEntries(Object.entries(json).map(([type, entries]) => [type, Array.isArray(entries) ? entries.map(terms) : entries]));
}

/** The file's text in canonical form. Throws a SyntaxError when the text is not JSON. */
export function formatDeclarationText(text: string, kind: 'declaration' | 'history'): string {
  const parsed = JSON.parse(text) as unknown;
  const canonical = kind === 'declaration' ? canonicalDeclaration(parsed) : canonicalHistory(parsed);
  return `${JSON.stringify(canonical, null, 2)}\n`;
}
