// The starter collection in declarations/ cannot be fetched offline, but it must load cleanly.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { loadDeclarations, TERMS_TYPES } from '../../../src/declarations/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

describe('starter collection', () => {
  it('loads every declaration of declarations/ without an error or a warning', async () => {
    const { services, errors, warnings } = await loadDeclarations(path.join(root, 'declarations'), { termsTypes: TERMS_TYPES });
    expect(errors.map(error => error.message)).toEqual([]);
    expect(warnings).toEqual([]);
    expect(services.length).toBeGreaterThanOrEqual(5);
    expect(new Set(services.flatMap(service => service.termsTypes)).size).toBeGreaterThanOrEqual(3);
  });
});
