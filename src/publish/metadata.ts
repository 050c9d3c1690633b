// The collection's metadata.yml (OTA-FORMAT §1.5), as far as feeds and the API read it. Tracking works without
// the file; feeds need an id and a name, which default to the collection folder's name.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { parse } from 'yaml';

import { DeclarationError } from '../declarations/index.js';

export interface CollectionMetadata {
  readonly id: string;
  readonly name: string;
  readonly tagline?: string;
  readonly logo?: string;
  /** Everything metadata.yml holds, as `GET /metadata` returns it. */
  readonly raw: Readonly<Record<string, unknown>>;
}

export async function loadMetadata(collectionDir: string, displayRoot = collectionDir): Promise<CollectionMetadata> {
  const file = path.join(collectionDir, 'metadata.yml');
  const fallback = path.basename(collectionDir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return { id: fallback, name: fallback, raw: {} };
  }
  let raw: unknown;
  try {
    // dates are timestamps, as OTA's reader (js-yaml) takes them: GET /metadata answers full ISO timestamps, as OTA's
    raw = parse(text, { customTags: ['timestamp'] });
  } catch (error) {
    throw new DeclarationError(path.relative(displayRoot, file) || file, '', `not valid YAML: ${(error as Error).message}`);
  }
  const object = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const text_ = (key: string): string | undefined => (typeof object[key] === 'string' ? object[key] : undefined);
  return {
    id: text_('id') ?? fallback,
    name: text_('name') ?? text_('id') ?? fallback,
    ...(text_('tagline') !== undefined && { tagline: text_('tagline') as string }),
    ...(text_('logo') !== undefined && { logo: text_('logo') as string }),
    raw: object,
  };
}
