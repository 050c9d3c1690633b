// Extraction (OTA-FORMAT §6): a stored snapshot and its source document's rules in, Markdown out.
// Pure: no clock, network, disk or config. The HTML steps run in OTA's exact order.
import mime from 'mime';

import type { Selectors, SourceDocument } from '../declarations/index.js';
import { ExtractError } from './errors.js';
import { type EngineName, type ParsedPage, parsePage } from './engines.js';
import { hasServiceFilters, resolvedUrl, runFilters } from './filters.js';
import { HTML_NAMESPACE, type PageDocument } from './page.js';
import { pdfToMarkdown } from './pdf.js';
import { removeInsignificantContent, selectContent } from './select.js';
import { createMarkdownConverter, type MarkdownConverter } from './to-markdown.js';

export interface ExtractInput {
  /** The snapshot: text for web pages, bytes for PDFs. */
  readonly content: string | Uint8Array;
  /** The snapshot's MIME type; `application/pdf` goes to the PDF converter, anything else is HTML. */
  readonly mimeType: string;
  readonly sourceDocument: SourceDocument;
  /**
   * How to parse HTML. `light` is several times faster; `jsdom` is OTA's reference. Service filter functions
   * always get jsdom, since they may use any DOM API. @default 'light'
   */
  readonly engine?: EngineName;
}

const LINKS_TO_ABSOLUTISE = 'a[href]:not([href^="#"]):not([href=""])';

/**
 * The most text a selection may hold: the converter's cost grows with the square of the output on long runs of
 * siblings (about 6 s at this size), and the largest real terms hold about a tenth of it.
 */
export const MAX_SELECTED_TEXT_LENGTH = 1_000_000;

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
  const engine = hasServiceFilters(sourceDocument) ? 'jsdom' : (input.engine ?? 'light');
  return extractFromHtml(html, sourceDocument, engine);
}

async function extractFromHtml(html: string, sourceDocument: SourceDocument, engine: EngineName): Promise<string> {
  const { location, contentSelectors, insignificantContentSelectors } = sourceDocument;
  let page: ParsedPage | undefined;
  try {
    page = parsePage(html, location, engine);
    const { document } = page;
    await runFilters(document, page.nativeDocument, sourceDocument);
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
    const textLength = (fragment as unknown as { textContent: string }).textContent.length;
    if (textLength > MAX_SELECTED_TEXT_LENGTH) {
      throw new ExtractError(
        `The provided selector "${describeSelectors(contentSelectors)}" selects ${textLength} characters of text in the web page at '${location}', more than the ${MAX_SELECTED_TEXT_LENGTH} that can be converted: narrow the selection`,
      );
    }
    converter ??= createMarkdownConverter();
    const markdown = converter(fragment as unknown as DocumentFragment);
    if (!markdown) {
      throw new ExtractError(
        `The provided selector "${describeSelectors(contentSelectors)}" matches an empty content in the web page at '${location}'`,
      );
    }
    return markdown;
  } catch (error) {
    // Walking a tree thousands of levels deep exhausts the stack (in jsdom and turndown alike). jsdom's
    // errors may come from its own realm, where `instanceof RangeError` is false: test the name.
    const { name, message } = (error ?? {}) as { name?: unknown; message?: unknown };
    if (name === 'RangeError' && typeof message === 'string' && /call stack/i.test(message)) {
      throw new ExtractError(`The web page at '${location}' is nested too deeply to be extracted`, { cause: error });
    }
    throw error;
  } finally {
    try {
      page?.close();
    } catch {
      // jsdom's clean-up recurses too and can exhaust the stack on the same pages; nothing is left to free.
    }
  }
}

function describeSelectors(selectors: Selectors | undefined): string {
  return typeof selectors === 'object' ? JSON.stringify(selectors) : String(selectors);
}

/**
 * Resolves link targets against the document base (a page's `<base href>` included); invalid URLs stay.
 * Only HTML links: an SVG `<a>` has no string `href` property, so OTA leaves it as written.
 */
function absolutiseLinks(document: PageDocument): void {
  const baseUrl = document.baseURI; // read once: it walks the page for <base> on every access in the light DOM
  for (const link of document.querySelectorAll(LINKS_TO_ABSOLUTISE)) {
    if (link.namespaceURI !== HTML_NAMESPACE) continue;
    try {
      link.setAttribute('href', new URL(resolvedUrl(baseUrl, link.getAttribute('href') ?? ''), baseUrl).href);
    } catch {
      // An unparsable URL is kept verbatim, as OTA does.
    }
  }
}

/** Cloudflare rewrites protected addresses on every load; a fixed text keeps versions stable. */
function replaceProtectedEmails(document: PageDocument): void {
  const baseUrl = document.baseURI;
  for (const link of document.querySelectorAll('a[href*="/email-protection"]')) {
    if (link.namespaceURI !== HTML_NAMESPACE) continue;
    const replacement = document.createElement('a');
    for (const attribute of link.attributes) replacement.setAttribute(attribute.name, attribute.value);
    replacement.setAttribute('href', resolvedUrl(baseUrl, link.getAttribute('href') ?? '').split('#')[0] ?? '');
    replacement.appendChild(document.createTextNode('[email\u00a0protected]'));
    link.replaceWith(replacement);
  }
}
