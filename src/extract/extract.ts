// Extraction (OTA-FORMAT §6): a stored snapshot and its source document's rules in, Markdown out.
// Pure: no clock, network, disk or config. The HTML steps run in OTA's exact order.
import { JSDOM, VirtualConsole } from 'jsdom';
import mime from 'mime';

import type { Selectors, SourceDocument } from '../declarations/index.js';
import { ExtractError } from './errors.js';
import { runFilters } from './filters.js';
import { pdfToMarkdown } from './pdf.js';
import { removeInsignificantContent, selectContent } from './select.js';
import { createMarkdownConverter, type MarkdownConverter } from './to-markdown.js';

export interface ExtractInput {
  /** The snapshot: text for web pages, bytes for PDFs. */
  readonly content: string | Uint8Array;
  /** The snapshot's MIME type; `application/pdf` goes to the PDF converter, anything else is HTML. */
  readonly mimeType: string;
  readonly sourceDocument: SourceDocument;
}

const LINKS_TO_ABSOLUTISE = 'a[href]:not([href^="#"]):not([href=""])';

let converter: MarkdownConverter | undefined;

export function isPdf(mimeType: string): boolean {
  return mime.getExtension(mimeType) === 'pdf';
}

export async function extract(input: ExtractInput): Promise<string> {
  const { sourceDocument } = input;
  if (isPdf(input.mimeType)) {
    const bytes = typeof input.content === 'string' ? Buffer.from(input.content, 'latin1') : input.content;
    return pdfToMarkdown(bytes, sourceDocument.location);
  }
  const html = typeof input.content === 'string' ? input.content : Buffer.from(input.content).toString('utf8');
  return extractFromHtml(html, sourceDocument);
}

async function extractFromHtml(html: string, sourceDocument: SourceDocument): Promise<string> {
  const { location, contentSelectors, insignificantContentSelectors } = sourceDocument;
  const dom = new JSDOM(html, { url: location, virtualConsole: new VirtualConsole() });
  try {
    const { document } = dom.window;
    await runFilters(document, sourceDocument);
    absolutiseLinks(document);
    for (const element of document.querySelectorAll('script, style')) element.remove();
    replaceProtectedEmails(document);
    removeInsignificantContent(document, insignificantContentSelectors);
    const fragment = selectContent(document, contentSelectors);
    if (fragment.children.length === 0) {
      throw new ExtractError(
        `The provided selector "${describeSelectors(contentSelectors)}" has no match in the web page at '${location}'. This could be due to elements being removed before content selection if "remove" and "select" selectors match the same content.`,
      );
    }
    converter ??= createMarkdownConverter();
    const markdown = converter(fragment);
    if (!markdown) {
      throw new ExtractError(
        `The provided selector "${describeSelectors(contentSelectors)}" matches an empty content in the web page at '${location}'`,
      );
    }
    return markdown;
  } finally {
    dom.window.close();
  }
}

function describeSelectors(selectors: Selectors | undefined): string {
  return typeof selectors === 'object' ? JSON.stringify(selectors) : String(selectors);
}

/** Resolves link targets against the document base (a page's `<base href>` included); invalid URLs stay. */
function absolutiseLinks(document: Document): void {
  for (const link of document.querySelectorAll<HTMLAnchorElement>(LINKS_TO_ABSOLUTISE)) {
    try {
      link.setAttribute('href', new URL(link.href, document.baseURI).href);
    } catch {
      // An unparsable URL is kept verbatim, as OTA does.
    }
  }
}

/** Cloudflare rewrites protected addresses on every load; a fixed text keeps versions stable. */
function replaceProtectedEmails(document: Document): void {
  for (const link of document.querySelectorAll<HTMLAnchorElement>('a[href*="/email-protection"]')) {
    const replacement = document.createElement('a');
    for (const attribute of link.attributes) replacement.setAttribute(attribute.name, attribute.value);
    replacement.setAttribute('href', link.href.split('#')[0] ?? '');
    replacement.innerHTML = '[email&nbsp;protected]';
    link.replaceWith(replacement);
  }
}
