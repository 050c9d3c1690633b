// Renaming rules of a dataset, in OTA's format (the engine's scripts/utils/renamer/rules): a service renamed or a
// terms type renamed since older versions were recorded is exported under its current name, so a dataset has one
// folder per service and terms, whatever their names were. OTA applies the list built into its engine to every
// collection; we apply the rules an operator names (OTA's own folder of rules works unchanged), none by default.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

import { DeclarationError } from '../declarations/index.js';

export interface RenamingRules {
  readonly serviceNames: Readonly<Record<string, string>>;
  readonly termsTypes: Readonly<Record<string, string>>;
  /** Per service (by its new name): terms type → new terms type. */
  readonly termsTypesByService: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Rules left out, each with its reason (a service split in several names cannot rename a version). */
  readonly ignored: readonly string[];
}

export const NO_RENAMING: RenamingRules = { serviceNames: {}, termsTypes: {}, termsTypesByService: {}, ignored: [] };

/** The three rule sets, with the names OTA's engine gave their files over time. */
const FILES = {
  serviceNames: ['serviceNames.json'],
  termsTypes: ['termsTypes.json', 'documentTypes.json'],
  termsTypesByService: ['termsTypesByService.json', 'documentTypesByService.json'],
} as const;

type RuleSet = keyof typeof FILES;

/**
 * Reads rules from a folder laid out as OTA's (serviceNames.json, termsTypes.json, termsTypesByService.json; a
 * missing file is an empty set) or from one JSON file holding the three sets under those keys.
 */
export async function loadRenamingRules(location: string, displayRoot = process.cwd()): Promise<RenamingRules> {
  const shown = (file: string): string => path.relative(displayRoot, file) || file;
  const found = await stat(location).catch(() => undefined);
  if (!found) throw new DeclarationError(shown(location), '', 'renaming rules: no such file or folder');
  const sets: Partial<Record<RuleSet, { file: string; value: unknown }>> = {};
  if (found.isDirectory()) {
    for (const set of Object.keys(FILES) as RuleSet[]) {
      for (const name of FILES[set]) {
        const file = path.join(location, name);
        const text = await readFile(file, 'utf8').catch(() => undefined);
        if (text === undefined) continue;
        sets[set] = { file, value: parseJson(text, shown(file)) };
        break;
      }
    }
  } else {
    const object = parseJson(await readFile(location, 'utf8'), shown(location));
    if (!isObject(object)) throw new DeclarationError(shown(location), '', 'renaming rules: expected a JSON object with serviceNames, termsTypes and termsTypesByService');
    for (const key of Object.keys(object)) {
      if (!(key in FILES)) throw new DeclarationError(shown(location), key, `unknown rule set (known: ${Object.keys(FILES).join(', ')})`);
    }
    for (const set of Object.keys(FILES) as RuleSet[]) if (object[set] !== undefined) sets[set] = { file: location, value: object[set] };
  }
  const ignored: string[] = [];
  const names = (set: 'serviceNames' | 'termsTypes'): Record<string, string> => {
    const source = sets[set];
    if (!source) return {};
    return namesOf(source.value, shown(source.file), source.file === location && !found.isDirectory() ? `${set}.` : '', ignored);
  };
  const byService: Record<string, Record<string, string>> = {};
  const source = sets.termsTypesByService;
  if (source) {
    const prefix = source.file === location && !found.isDirectory() ? 'termsTypesByService.' : '';
    if (!isObject(source.value)) throw new DeclarationError(shown(source.file), prefix.slice(0, -1), 'expected an object of services');
    for (const [service, rules] of Object.entries(source.value)) byService[service] = namesOf(rules, shown(source.file), `${prefix}${service}.`, ignored);
  }
  return { serviceNames: names('serviceNames'), termsTypes: names('termsTypes'), termsTypesByService: byService, ignored };
}

/** A service's and a terms type's names in the dataset, in OTA's order: service, then terms type, then per service. */
export function rename(rules: RenamingRules, serviceId: string, termsType: string): { serviceId: string; termsType: string } {
  const service = rules.serviceNames[serviceId] ?? serviceId;
  const type = rules.termsTypes[termsType] ?? termsType;
  return { serviceId: service, termsType: rules.termsTypesByService[service]?.[type] ?? type };
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new DeclarationError(file, '', `not valid JSON: ${(error as Error).message}`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function namesOf(value: unknown, file: string, prefix: string, ignored: string[]): Record<string, string> {
  if (!isObject(value)) throw new DeclarationError(file, prefix.slice(0, -1), 'expected an object of old name → new name');
  const result: Record<string, string> = {};
  for (const [from, to] of Object.entries(value)) {
    if (typeof to === 'string' && to !== '') result[from] = to;
    // OTA's own rules once split a service in two ("OpenAI": ["ChatGPT", "DALL·E"]): a version cannot be told which
    else if (Array.isArray(to)) ignored.push(`${file} › ${prefix}${from}: a list of names cannot rename a version; left as "${from}"`);
    else throw new DeclarationError(file, `${prefix}${from}`, 'expected the new name, a non-empty string');
  }
  return result;
}
