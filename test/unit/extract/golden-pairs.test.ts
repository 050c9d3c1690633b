// Real Open Terms Archive cases: a declaration, the snapshot OTA stored, and the Markdown OTA recorded from it.
// When an output changes on purpose, update expected.md in the same commit and say why.
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { runExtract } from '../../../src/cli/commands/extract.js';

const pagesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/pages');

describe('extraction golden pairs', () => {
  it.each(readdirSync(pagesDir))('reproduces OTA byte for byte on %s', async name => {
    const dir = path.join(pagesDir, name);
    const markdown = await runExtract({ declaration: 'declaration.json', snapshot: 'snapshot.html' }, dir);
    expect(markdown).toBe(await readFile(path.join(dir, 'expected.md'), 'utf8'));
    const reference = await runExtract({ declaration: 'declaration.json', snapshot: 'snapshot.html', engine: 'jsdom' }, dir);
    expect(reference).toBe(markdown);
  });
});
