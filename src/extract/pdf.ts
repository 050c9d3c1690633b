// PDF → Markdown text (OTA-FORMAT §6.6). OTA's converter (accordproject markdown-pdf) reads text with pdf.js
// 2.13.216 and groups it into paragraphs by baseline; the same pdf.js version with the same rule gives the same
// paragraphs here, and with its escaping per text item, the same Markdown (the 6 conformance PDFs byte-identical). pdf.js is pinned for that reason: a newer
// one reports line breaks differently, and every PDF version would change.
import { createRequire } from 'node:module';

import { ExtractError } from './errors.js';

interface TextItem {
  readonly str: string;
  readonly transform: readonly number[];
  readonly height: number;
}

interface PdfJs {
  getDocument(source: { data: Uint8Array; isEvalSupported: boolean; verbosity: number; useSystemFonts: boolean }): {
    promise: Promise<{
      numPages: number;
      getPage(number: number): Promise<{
        getTextContent(options: { normalizeWhitespace: boolean; disableCombineTextItems: boolean }): Promise<{ items: unknown[] }>;
        cleanup(): void;
      }>;
      destroy(): Promise<void>;
    }>;
  };
}

let pdfjs: PdfJs | undefined;

function loadPdfJs(): PdfJs {
  // Loaded on first use: most runs extract no PDF. pdf.js 2.x is CommonJS.
  pdfjs ??= createRequire(import.meta.url)('pdfjs-dist/legacy/build/pdf.js') as PdfJs;
  return pdfjs;
}

export async function pdfToMarkdown(bytes: Uint8Array, location: string): Promise<string> {
  const pdf = loadPdfJs();
  const paragraphs: string[] = [];
  try {
    // isEvalSupported: false keeps pdf.js from compiling font programs into functions (CVE-2024-4367 needs it);
    // text is only read here, never rendered.
    const document = await pdf.getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, verbosity: 0, useSystemFonts: false }).promise;
    try {
      for (let number = 1; number <= document.numPages; number++) {
        const page = await document.getPage(number);
        const content = await page.getTextContent({ normalizeWhitespace: true, disableCombineTextItems: false });
        paragraphs.push(...toParagraphs(content.items.filter(isTextItem)));
        page.cleanup();
      }
    } finally {
      await document.destroy();
    }
  } catch (error) {
    throw new ExtractError("Can't parse PDF file", { cause: error });
  }
  const markdown = paragraphs.join('\n\n');
  if (markdown.trim() === '') {
    throw new ExtractError(
      `The PDF file at '${location}' contains no text, it might contain scanned images of text instead of actual text`,
    );
  }
  return markdown;
}

function isTextItem(item: unknown): item is TextItem {
  return typeof item === 'object' && item !== null && 'str' in item && 'transform' in item;
}

/**
 * OTA's rule: a paragraph goes on while each item's baseline is within two of its heights of the last
 * non-blank item's. pdf.js gives a line break as an empty item of height 0 on the next line, which thus
 * starts a paragraph; lines joined in one paragraph are glued as they come, as OTA does.
 */
function toParagraphs(items: readonly TextItem[]): string[] {
  const paragraphs: string[][] = [];
  let lastY = 0;
  for (const item of items) {
    const y = item.transform[5] ?? 0;
    if (paragraphs.length === 0 || Math.abs(lastY - y) > item.height * 2) paragraphs.push([]);
    paragraphs.at(-1)?.push(escapeItem(item.str.replace(/\r\n|\r|\n/g, ' ')));
    if (item.str.trim() !== '') lastY = y;
  }
  return paragraphs.map(parts => parts.join('').trim());
}

/**
 * Escapes one pdf.js text item as OTA's converter does (OTA-FORMAT §6.6): its serialiser escapes each text node on
 * its own, and each item is a node. Anywhere: `*`, `` ` ``, `&` and `>`. At the very start of the item only: a run
 * of `#` followed by a space, digits followed by `. `, `- `, and `_`. Whether "1. " is escaped thus depends on where
 * pdf.js split the items, as it does in OTA's history.
 */
function escapeItem(text: string): string {
  const anywhere = text.replace(/[*`&>]/g, match => `\\${match}`);
  // the start rules exclude each other: each begins with another character
  return anywhere.replace(/^#+ /, run => `\\${run}`).replace(/^(\d+)\. /, '$1\\. ').replace(/^- /, '\\- ').replace(/^_/, '\\_');
}
