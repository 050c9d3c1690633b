// `preview`: one fetch of a terms' documents, the Markdown the declaration makes of it and the figures a
// contributor checks it by; optionally the page with the kept and dropped parts outlined.
import { annotateSelections, countSelectorMatches, extract, findSkipRule, isPdf, type SelectorMatches } from '../extract/index.js';
import { type FetchDependencies, fetchDocument, type FetchOptions } from '../fetch/index.js';
import type { SourceDocument } from '../declarations/index.js';

export interface MarkdownFigures {
  readonly characters: number;
  readonly headings: number;
  readonly links: number;
}

export interface DocumentPreview {
  readonly location: string;
  readonly mimeType: string;
  readonly markdown: string;
  readonly figures: MarkdownFigures;
  readonly selectors: readonly SelectorMatches[];
  /** The page with its selections outlined (HTML documents only). */
  readonly annotatedHtml?: string;
  /** The declaration's skip rules, when it has some, and the one this page matches (tracking would then not record it). */
  readonly skip?: SkipCheck;
}

export interface SkipCheck {
  readonly rules: number;
  readonly matched?: string;
}

/** How many skip rules the document declares, and which one the page matches; undefined without any. */
export function checkSkip(document: SourceDocument, content: string | Uint8Array, mimeType: string): SkipCheck | undefined {
  if (!document.skip) return undefined;
  const rules = document.skip.selectors.length + document.skip.missingSelectors.length + document.skip.content.length;
  const matched = findSkipRule(content, mimeType, document);
  return { rules, ...(matched !== undefined && { matched }) };
}

/** Figures of extracted Markdown: characters, headings (`# …` and underlined ones, as turndown writes h1/h2), links. */
export function markdownFigures(markdown: string): MarkdownFigures {
  const lines = markdown.split('\n');
  const underlined = lines.filter((line, index) => /^(=+|-+)$/.test(line) && (lines[index - 1] ?? '').trim() !== '').length;
  return {
    characters: markdown.length,
    headings: lines.filter(line => /^#{1,6} /.test(line)).length + underlined,
    links: (markdown.match(/\]\((?:[^()\s]|\([^()\s]*\))*\)/g) ?? []).length,
  };
}

export async function previewDocument(
  document: SourceDocument,
  dependencies: FetchDependencies,
  options: FetchOptions,
  wantsHtml: boolean,
): Promise<DocumentPreview> {
  const fetched = await fetchDocument(document, dependencies, options);
  const markdown = await extract({ content: fetched.content, mimeType: fetched.mimeType, sourceDocument: document });
  const skip = checkSkip(document, fetched.content, fetched.mimeType);
  const html = !isPdf(fetched.mimeType) && typeof fetched.content === 'string' ? fetched.content : undefined;
  return {
    location: document.location,
    mimeType: fetched.mimeType,
    markdown,
    figures: markdownFigures(markdown),
    selectors: html === undefined ? [] : countSelectorMatches(html, document.location, document),
    ...(html !== undefined && wantsHtml && { annotatedHtml: annotateSelections(html, fetched.url || document.location, document) }),
    ...(skip && { skip }),
  };
}
