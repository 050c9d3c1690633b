// A hint for each kind of declaration error: what to do about it, in a contributor's words.

const HINTS: readonly [RegExp, string][] = [
  [/malformed and cannot be parsed/, 'look for a trailing comma, a missing comma or an unquoted key near the position given'],
  [/expected an array but got an object/, 'a history file lists past declarations: "<terms type>": [ { …, "validUntil": "…" } ]'],
  [/required key "select"|without "select"/, 'add "select": the CSS selector of the element holding the text to keep (a PDF needs only "fetch")'],
  [/required key "fetch"/, 'add "fetch": the URL of the page (or use "combine" for several pages)'],
  [/required key "validUntil"/, 'each history entry needs "validUntil": the last date it was in force, e.g. "2024-01-31T12:00:00Z"'],
  [/required key "(name|terms)"/, 'a declaration is { "name": "<display name>", "terms": { "<terms type>": { … } } }'],
  [/unknown key/, 'check the spelling; allowed keys: fetch, select, remove, filter, executeClientScripts, combine (and validUntil in history)'],
  [/valid uri/, '"fetch" takes an absolute URL such as "https://example.com/terms"'],
  [/date-time/, 'write a full ISO 8601 date-time with a time zone, e.g. "2024-01-31T12:00:00Z"'],
  [/declared more than once within/, 'remove the repeated URL from "combine"'],
  [/names used by built-in filters/, 'rename your filter functions: built-in filter names are reserved'],
  [/cannot be imported|failed to load/, 'fix the JavaScript error in the filters file; it must be an ES module exporting functions'],
  [/must be a boolean/, 'use true or false, without quotes'],
  [/must not be empty/, 'give a value, or remove the key'],
  [/selector|range/i, 'a selector is a CSS selector string, a range { "startBefore"|"startAfter": …, "endBefore"|"endAfter": … }, or an array of them'],
];

export function hintFor(message: string): string | undefined {
  return HINTS.find(([pattern]) => pattern.test(message))?.[1];
}
