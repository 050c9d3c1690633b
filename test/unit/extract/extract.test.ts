import { describe, expect, it } from 'vitest';

import { extract } from '../../../src/extract/index.js';
import { makePdf } from '../../../src/demo/pdf.js';
import { html } from '../../helpers/http-server.js';
import { sourceDocument } from '../../helpers/source-document.js';

type Outcome = { markdown: string } | { error: string };

/** Extracts with the light engine and with the jsdom reference; both must give the same Markdown or error. */
async function toMarkdown(body: string, overrides: Parameters<typeof sourceDocument>[0] = {}, head?: string): Promise<string> {
  const run = async (engine: 'light' | 'jsdom'): Promise<Outcome> => {
    try {
      return { markdown: await extract({ content: html(body, head), mimeType: 'text/html; charset=utf-8', sourceDocument: sourceDocument(overrides), engine }) };
    } catch (error) {
      return { error: (error as Error).message };
    }
  };
  const light = await run('light');
  expect(light).toEqual(await run('jsdom'));
  if ('error' in light) throw new Error(light.error);
  return light.markdown;
}

describe('links', () => {
  it('makes relative links absolute against the declared URL, keeps anchors, and leaves images relative', async () => {
    const markdown = await toMarkdown(
      '<main><a href="../privacy">Privacy</a> <a href="#s2">Section 2</a> <a href="">Nothing</a> <img src="logo.png" alt="Logo"></main>',
    );
    expect(markdown).toBe('[Privacy](https://acme.example/privacy) [Section 2](#s2) Nothing ![Logo](logo.png)');
  });

  it('honours the page\'s <base href> and keeps URLs that cannot be parsed', async () => {
    const markdown = await toMarkdown(
      '<main><a href="cgu">CGU</a> <a href="http://[INVALID_URL=x">Broken</a></main>',
      {},
      '<base href="https://other.example/fr/">',
    );
    expect(markdown).toBe('[CGU](https://other.example/fr/cgu) [Broken](http://[INVALID_URL=x)');
  });

  it('renders an anchor wrapping block elements as one link with trimmed text', async () => {
    expect(await toMarkdown('<main><a href="/x"><div><h3>Title</h3></div></a></main>')).toBe('[### Title](https://acme.example/x)');
    expect(await toMarkdown('<main><a href="/x" title="Go">\n  <div>Title</div>\n</a></main>')).toBe('[Title](https://acme.example/x "Go")');
  });

  it('replaces Cloudflare-protected addresses with a fixed text and a non-breaking space', async () => {
    const markdown = await toMarkdown('<main><p>Write to <a href="/cdn-cgi/l/email-protection#abc123" class="__cf_email__">x@y</a></p></main>');
    expect(markdown).toBe('Write to [\\[email\u00a0protected\\]](https://acme.example/cdn-cgi/l/email-protection)');
  });
});

describe('select and remove', () => {
  const page = '<h1>Title</h1><div id="x">X</div><p class="a">A</p><p class="b">B</p>';

  it('keeps document order within one selector and list order across a list', async () => {
    expect(await toMarkdown(`<main>${page}</main>`, { contentSelectors: '#x, h1' })).toBe('Title\n=====\n\nX');
    expect(await toMarkdown(`<main>${page}</main>`, { contentSelectors: ['#x', 'h1'] })).toBe('X\n\nTitle\n=====');
  });

  it('duplicates content matched twice, and allows sibling selectors', async () => {
    expect(await toMarkdown(`<main>${page}</main>`, { contentSelectors: ['h1', 'h1 ~ p'] })).toBe('Title\n=====\n\nA\n\nB');
    expect(await toMarkdown(`<main>${page}</main>`, { contentSelectors: ['.a', 'p'] })).toBe('A\n\nA\n\nB');
  });

  it('removes before selecting, scripts and styles included', async () => {
    const markdown = await toMarkdown(`<main>${page}<script>var x = 1;</script><style>p{}</style></main>`, {
      insignificantContentSelectors: ['.a', { startBefore: '#x', endBefore: '.a' }],
    });
    expect(markdown).toBe('Title\n=====\n\nB');
  });

  it.each([
    [{ startBefore: '#x', endBefore: '.b' }, 'X\n\nA'],
    [{ startBefore: '#x', endAfter: '.b' }, 'X\n\nA\n\nB'],
    [{ startAfter: '#x', endBefore: '.b' }, 'A'],
    [{ startAfter: '#x', endAfter: '.b' }, 'A\n\nB'],
  ])('selects the range %j', async (range, expected) => {
    expect(await toMarkdown(`<main>${page}</main>`, { contentSelectors: range })).toBe(expected);
  });

  it('clones the partly selected ancestors of a range that crosses elements', async () => {
    const nested = '<main><section><h2 id="s">Start</h2><p>one</p></section><div><p>two</p><ul><li>three</li><li id="e">end</li></ul></div></main>';
    expect(await toMarkdown(nested, { contentSelectors: { startAfter: '#s', endBefore: '#e' } })).toBe('one\n\ntwo\n\n*   three');
  });

  it('moves a remove range when nodes it starts at are removed first (live ranges)', async () => {
    const markdown = await toMarkdown(`<main>${page}</main>`, {
      insignificantContentSelectors: [{ startBefore: '#x', endAfter: '.a' }, '#x'],
    });
    expect(markdown).toBe('Title\n=====\n\nB');
  });

  it('finds nothing in a range that ends before it starts', async () => {
    await expect(toMarkdown(`<main>${page}</main>`, { contentSelectors: { startAfter: '.b', endBefore: 'h1' } })).rejects.toThrow(/has no match/);
  });

  it('fails with OTA\'s messages when nothing matches', async () => {
    await expect(toMarkdown('<main>x</main>', { contentSelectors: '#missing' })).rejects.toThrow(
      `Extract failed: The provided selector "#missing" has no match in the web page at 'https://acme.example/legal/terms'. This could be due to elements being removed before content selection if "remove" and "select" selectors match the same content.`,
    );
    await expect(toMarkdown('<main><div></div></main>', { contentSelectors: ['div'] })).rejects.toThrow(
      `Extract failed: The provided selector "["div"]" matches an empty content in the web page at 'https://acme.example/legal/terms'`,
    );
    await expect(toMarkdown('<main>x</main>', { contentSelectors: { startBefore: '#nope', endBefore: 'main' } })).rejects.toThrow(
      'Extract failed: The "start" selector has no match in document in: {"startBefore":"#nope","endBefore":"main"}',
    );
    await expect(toMarkdown('<main>x</main>', { contentSelectors: { startBefore: 'main', endAfter: '#nope' } })).rejects.toThrow(
      'Extract failed: The "end" selector has no match in document in: {"startBefore":"main","endAfter":"#nope"}',
    );
  });

  it('counts a range holding only text as no match', async () => {
    await expect(
      toMarkdown('<main><b id="s"></b>just text<i id="e"></i></main>', { contentSelectors: { startAfter: '#s', endBefore: '#e' } }),
    ).rejects.toThrow(/has no match/);
  });

  it('names an invalid CSS selector', async () => {
    await expect(toMarkdown('<main>x</main>', { contentSelectors: 'main[' })).rejects.toThrow("Extract failed: 'main[' is not a valid selector");
  });
});

describe('page structure', () => {
  it('keeps SVG and template contents as jsdom does, and orders table sections', async () => {
    expect(
      await toMarkdown(
        '<main><p>a<svg><a href="/icon"><text>icon</text></a></svg></p><template><p>hidden</p></template><table><tfoot><tr><td>foot</td></tr></tfoot><tbody><tr><td>body</td></tr></tbody><thead><tr><th>head</th></tr></thead></table></main>',
      ),
    ).toBe('aicon\n\n|     |\n| --- |\n| foot |\n| body |\n| head |\n| --- |'); // OTA's own (odd) table, kept
  });

  it('handles nested lists, code and checkboxes as jsdom does', async () => {
    expect(
      await toMarkdown(
        '<main><ol start="2"><li>x<ul><li><input type="checkbox" checked> done</li><li><input type="checkbox"> todo</li></ul></li></ol><pre><code class="language-js">let a = 1;\n</code></pre><p>  spaced <b> bold </b>text  </p></main>',
      ),
    ).toBe('2.  x\n    *   [x]  done\n    *   [ ]  todo\n\n    let a = 1;\n    \n\nspaced **bold** text');
  });
});

describe('Markdown', () => {
  it('uses OTA\'s turndown settings', async () => {
    const markdown = await toMarkdown(
      '<main><h1>One</h1><h2>Two</h2><h3>Three</h3><hr><ul><li>a</li></ul><ol start="3"><li>c</li></ol><p><del>old</del> <em>e</em> <strong>s</strong> 1. *x* a_b</p><p>keep\u00a0nbsp</p></main>',
    );
    expect(markdown).toBe(
      'One\n===\n\nTwo\n---\n\n### Three\n\n* * *\n\n*   a\n\n3.  c\n\n~old~ _e_ **s** 1. \\*x\\* a\\_b\n\nkeep\u00a0nbsp',
    );
  });

  it('writes tables without a heading row under an empty header', async () => {
    expect(await toMarkdown('<main><table><tr><td>a</td><td>b|c</td></tr></table></main>')).toBe(
      '|     |     |\n| --- | --- |\n| a   | b\\|c |',
    );
  });
});

describe('filters', () => {
  it('runs the service\'s filters in order with OTA\'s arguments before anything else', async () => {
    const calls: unknown[][] = [];
    const markdown = await toMarkdown('<main><p id="p">text</p><a href="/a">a</a></main>', {
      filters: [
        {
          name: 'first',
          params: undefined,
          isBuiltIn: false,
          run: (document, context) => {
            calls.push(['first', context]);
            const href = document.querySelector('a')?.getAttribute('href');
            document.querySelector('#p')!.textContent = `filtered, link still ${href}`;
          },
        },
        { name: 'second', params: { level: 2 }, isBuiltIn: false, run: (_document, params) => calls.push(['second', params]) },
        { name: 'falsy', params: 0, isBuiltIn: false, run: (_document, context) => calls.push(['falsy', typeof context]) },
        { name: 'unknown', params: undefined, isBuiltIn: false },
      ],
    });
    expect(markdown).toBe('filtered, link still /a\n\n[a](https://acme.example/a)');
    const expected = [
      ['first', { fetch: 'https://acme.example/legal/terms', select: 'main', remove: [], filter: ['first', 'second', 'falsy'] }],
      ['second', { level: 2 }],
      ['falsy', 'object'],
    ];
    expect(calls).toEqual([...expected, ...expected]); // once per engine: service filters always get jsdom
  });

  it('reports a failing filter with OTA\'s message', async () => {
    await expect(
      toMarkdown('<main>x</main>', {
        filters: [{ name: 'broken', params: undefined, isBuiltIn: false, run: () => { throw new TypeError('x is not a function'); } }],
      }),
    ).rejects.toThrow('Extract failed: The filter function "broken" failed: TypeError: x is not a function');
  });

  it('removes listed query parameters with the built-in removeQueryParams, leaving other URLs untouched', async () => {
    const markdown = await toMarkdown(
      '<main><a href="/a?utm_source=x&id=1">a</a> <a href="/b?id=2">b</a> <img src="/i.png?utm_source=y" alt="i"> <img src="j.png" alt="j"></main>',
      { filters: [{ name: 'removeQueryParams', params: ['utm_source'], isBuiltIn: true }] },
    );
    expect(markdown).toBe('[a](https://acme.example/a?id=1) [b](https://acme.example/b?id=2) ![i](https://acme.example/i.png) ![j](j.png)');
  });
});

describe('PDF', () => {
  it('extracts paragraphs as OTA does: lines close together are one paragraph, a gap starts another', async () => {
    const markdown = await extract({
      content: new Uint8Array(makePdf(['Terms of Service', '', '1. Use of the service', 'You agree to these terms.', '', '2. Fees'])),
      mimeType: 'application/pdf',
      sourceDocument: sourceDocument({ contentSelectors: undefined }),
    });
    // OTA glues the lines of a paragraph without a space; a list number that starts a text item is escaped
    expect(markdown).toBe('Terms of Service\n\n1\\. Use of the serviceYou agree to these terms.\n\n2\\. Fees');
  });

  it('escapes each text item as OTA does: *, `, & and > anywhere; #, N., - and _ only where an item starts', async () => {
    const lines = ['Terms & Conditions', 'C:\\path *not* emphasis', 'a > b `code`', '- a dash', 'not - here', '## A heading', '_under_score', '12. Twelve', 'In 12. not'];
    // a gap between lines makes each its own paragraph, each line one pdf.js text item
    const markdown = await extract({
      content: new Uint8Array(makePdf(lines.flatMap(line => [line, '', '']))),
      mimeType: 'application/pdf',
      sourceDocument: sourceDocument({ contentSelectors: undefined }),
    });
    expect(markdown.split('\n\n')).toEqual([
      'Terms \\& Conditions',
      'C:\\path \\*not\\* emphasis',
      'a \\> b \\`code\\`',
      '\\- a dash',
      'not - here',
      '\\## A heading',
      '\\_under_score',
      '12\\. Twelve',
      'In 12. not',
    ]);
  });

  it('fails clearly on a PDF without text and on bytes that are not a PDF', async () => {
    const document = sourceDocument({ location: 'https://acme.example/t.pdf', contentSelectors: undefined });
    await expect(extract({ content: new Uint8Array(makePdf([])), mimeType: 'application/pdf', sourceDocument: document })).rejects.toThrow(
      "Extract failed: The PDF file at 'https://acme.example/t.pdf' contains no text, it might contain scanned images of text instead of actual text",
    );
    await expect(
      extract({ content: new Uint8Array(Buffer.from('not a pdf')), mimeType: 'application/pdf', sourceDocument: document }),
    ).rejects.toThrow("Extract failed: Can't parse PDF file");
  });
});
