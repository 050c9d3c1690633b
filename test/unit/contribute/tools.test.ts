import { readFile } from 'node:fs/promises';

import { describe, expect, it } from 'vitest';

import { formatDeclarationText, markdownFigures, serviceIdOfFile, suggestedServiceId } from '../../../src/contribute/index.js';
import { publishedSchema } from '../../../src/declarations/index.js';
import { annotateSelections } from '../../../src/extract/index.js';
import { sourceDocument } from '../../helpers/source-document.js';

describe('published JSON schemas', () => {
  it.each([
    ['declaration', 'schemas/declaration.schema.json'],
    ['history', 'schemas/declaration-history.schema.json'],
  ] as const)('schemas/ holds the %s schema the validator uses (regenerate with `terms-archive schema`)', async (kind, file) => {
    const published = JSON.parse(await readFile(new URL(`../../../${file}`, import.meta.url), 'utf8')) as unknown;
    expect(published).toEqual(publishedSchema(kind));
  });
});

describe('canonical declaration files', () => {
  it('orders keys as documented, keeps terms types and values as written, and ends with a newline', () => {
    const text = JSON.stringify({
      terms: { 'Privacy Policy': { select: ['main', { endAfter: 'b', startBefore: 'a' }], combine: [{ select: 'x', fetch: 'https://e.com/1' }] }, 'Imprint': { fetch: 'https://e.com/i.pdf' } },
      name: 'Ünicode 🙂',
    });
    expect(formatDeclarationText(text, 'declaration')).toBe(
      `${JSON.stringify(
        {
          name: 'Ünicode 🙂',
          terms: {
            'Privacy Policy': { combine: [{ fetch: 'https://e.com/1', select: 'x' }], select: ['main', { startBefore: 'a', endAfter: 'b' }] },
            'Imprint': { fetch: 'https://e.com/i.pdf' },
          },
        },
        null,
        2,
      )}\n`,
    );
    expect(formatDeclarationText('{"T":[{"validUntil":"2024-01-01T00:00:00Z","select":"m","fetch":"https://e.com"}]}', 'history')).toBe(
      '{\n  "T": [\n    {\n      "fetch": "https://e.com",\n      "select": "m",\n      "validUntil": "2024-01-01T00:00:00Z"\n    }\n  ]\n}\n',
    );
  });
});

describe('contributor helpers', () => {
  it('knows which service a declarations file belongs to', () => {
    expect(['A b.json', 'A b.history.json', 'A b.filters.js', 'A b.filters.history.js', 'README.md'].map(serviceIdOfFile)).toEqual(['A b', 'A b', 'A b', 'A b', undefined]);
  });

  it('suggests the ASCII service ID of OTA rule', () => {
    expect(suggestedServiceId('RTÉ Player: Plus/Max')).toBe('RTE Player- Plus-Max');
  });

  it('counts characters, headings (both styles) and links of Markdown', () => {
    expect(markdownFigures('Title\n=====\n\n## Part\n\nSee [a](https://a.example/x_(y)) and [b](/b).\n\n- - -\n')).toEqual({ characters: 75, headings: 2, links: 2 });
  });
});

describe('annotateSelections', () => {
  it('outlines what is kept and dropped, and leaves nothing of the page that could run', () => {
    const page =
      '<!doctype html><html><head><script>alert(1)</script></head><body onload="alert(2)">' +
      '<main><h1 id="s">Terms</h1><p onclick="alert(3)">Text</p><aside class="ad">Ad</aside><h2 id="e">End</h2></main></body></html>';
    const annotated = annotateSelections(page, 'https://example.com/terms', sourceDocument({ contentSelectors: ['main', { startAfter: '#s', endBefore: '#e' }], insignificantContentSelectors: '.ad' }));
    expect(annotated).not.toMatch(/alert|onload|onclick/);
    expect(annotated).toContain(`<meta http-equiv="Content-Security-Policy" content="script-src 'none'; object-src 'none'"><base href="https://example.com/terms">`);
    expect(annotated).toContain('<main data-terms-archive="selected"><h1 id="s" data-terms-archive="range-start">Terms</h1><p>Text</p><aside class="ad" data-terms-archive="removed">Ad</aside><h2 id="e" data-terms-archive="range-end">End</h2></main>');
  });
});
