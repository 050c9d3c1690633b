// PDF → Markdown text (OTA-FORMAT §6.6): one paragraph per line of text, pages in order. OTA's converter
// (accordproject markdown-pdf) cannot be reproduced byte for byte, so the aim is the same text and lines.
import { ExtractError } from './errors.js';

interface TextItem {
  readonly str: string;
  readonly transform: readonly number[];
  readonly hasEOL?: boolean;
}

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

let pdfjs: Promise<PdfJs> | undefined;

function loadPdfJs(): Promise<PdfJs> {
  // Loaded on first use: most runs extract no PDF, and the library is large.
  pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return pdfjs;
}

export async function pdfToMarkdown(bytes: Uint8Array, location: string): Promise<string> {
  const { getDocument } = await loadPdfJs();
  let pages: string[][];
  try {
    const task = getDocument({
      data: new Uint8Array(bytes), // pdf.js transfers (and so empties) the buffer it is given
      useSystemFonts: false,
      isEvalSupported: false,
      disableFontFace: true,
      verbosity: 0,
    });
    const document = await task.promise;
    pages = [];
    try {
      for (let number = 1; number <= document.numPages; number++) {
        const page = await document.getPage(number);
        const content = await page.getTextContent();
        pages.push(toLines(content.items.filter((item): item is TextItem & typeof item => 'str' in item)));
        page.cleanup();
      }
    } finally {
      await document.destroy();
    }
  } catch (error) {
    throw new ExtractError("Can't parse PDF file", { cause: error });
  }
  const markdown = pages
    .map(lines => lines.map(escapeLine).join('\n\n'))
    .filter(page => page !== '')
    .join('\n\n');
  if (markdown.trim() === '') {
    throw new ExtractError(
      `The PDF file at '${location}' contains no text, it might contain scanned images of text instead of actual text`,
    );
  }
  return markdown;
}

/** Joins the text items of a page into lines: a new line at each end-of-line mark or change of baseline. */
function toLines(items: readonly TextItem[]): string[] {
  const lines: string[] = [];
  let current = '';
  let baseline: number | undefined;
  const flush = (): void => {
    const line = current.replace(/\s+/g, ' ').trim();
    if (line !== '') lines.push(line);
    current = '';
  };
  for (const item of items) {
    const y = item.transform[5];
    if (baseline !== undefined && y !== undefined && Math.abs(y - baseline) > 1 && current.trim() !== '') flush();
    if (y !== undefined) baseline = y;
    current += item.str;
    if (item.hasEOL) flush();
  }
  flush();
  return lines;
}

/** Escapes what would otherwise turn a line of text into Markdown structure. */
function escapeLine(line: string): string {
  return line
    .replace(/[\\*_`[\]]/g, match => `\\${match}`)
    .replace(/^(\d+)\. /, '$1\\. ')
    .replace(/^([-+#>])( |$)/, '\\$1$2');
}
