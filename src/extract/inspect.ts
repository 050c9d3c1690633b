// What contributors look at before a declaration is merged: how many elements each selector matches on a page,
// and the page itself with the kept parts outlined in green and the removed parts in red.
import { type RangeSelector, type SourceDocument, toSelectorList } from '../declarations/index.js';
import { ExtractError } from './errors.js';
import type { LightElement } from './light-dom/element.js';
import type { LightPage } from './light-dom/page.js';
import { parseHtml, serializeHtml } from './light-dom/parse.js';

export interface SelectorMatches {
  readonly role: 'select' | 'remove';
  /** The CSS selector, or a range as JSON. */
  readonly selector: string;
  /** Elements matched; for a range, 1 when both its start and its end are found, else 0. */
  readonly matches: number;
}

function query(page: LightPage, selector: string): LightElement[] {
  try {
    return page.querySelectorAll(selector);
  } catch (error) {
    throw new ExtractError(`'${selector}' is not a valid selector`, { cause: error });
  }
}

function rangeEnds(page: LightPage, range: RangeSelector): { start?: LightElement; end?: LightElement } {
  const [start] = query(page, range.startBefore ?? range.startAfter ?? '');
  const [end] = query(page, range.endBefore ?? range.endAfter ?? '');
  return { ...(start && { start }), ...(end && { end }) };
}

function eachSelector(document: SourceDocument, visit: (role: 'select' | 'remove', selector: string | RangeSelector) => void): void {
  for (const selector of toSelectorList(document.contentSelectors)) visit('select', selector);
  for (const selector of toSelectorList(document.insignificantContentSelectors)) visit('remove', selector);
}

/** How many elements each `select` and `remove` selector of the document matches on the page (HTML only). */
export function countSelectorMatches(html: string, url: string, document: SourceDocument): SelectorMatches[] {
  const page = parseHtml(html, url);
  const results: SelectorMatches[] = [];
  eachSelector(document, (role, selector) => {
    if (typeof selector === 'string') results.push({ role, selector, matches: query(page, selector).length });
    else {
      const { start, end } = rangeEnds(page, selector);
      results.push({ role, selector: JSON.stringify(selector), matches: start && end ? 1 : 0 });
    }
  });
  return results;
}

const MARK = 'data-terms-archive';

const PREVIEW_STYLE = `
[${MARK}~="selected"] { outline: 3px solid #1b873f !important; outline-offset: 2px; background-color: rgba(27, 135, 63, 0.07) !important; }
[${MARK}~="removed"] { outline: 3px dashed #cf222e !important; outline-offset: 2px; background-color: rgba(207, 34, 46, 0.12) !important; }
[${MARK}~="range-start"], [${MARK}~="range-end"] { box-shadow: 0 0 0 3px #1b873f !important; }
#${MARK}-legend { all: initial; position: sticky; top: 0; z-index: 2147483647; display: block; padding: 6px 10px;
  font: 14px/1.4 system-ui, sans-serif; color: #1f2328; background: #fff8c5; border-bottom: 1px solid #d4a72c; }`;

function mark(element: LightElement, label: string): void {
  const current = element.getAttribute(MARK);
  element.setAttribute(MARK, current ? `${current} ${label}` : label);
}

/**
 * The page with every element kept by `select` outlined in green and every element dropped by `remove` in red
 * (a range: its start and end elements), with a legend. The page's scripts are removed and forbidden by a
 * Content-Security-Policy, so opening the file runs nothing of the site; a <base> keeps its styles and images.
 */
export function annotateSelections(html: string, url: string, document: SourceDocument): string {
  const page = parseHtml(html, url);
  eachSelector(document, (role, selector) => {
    if (typeof selector === 'string') {
      for (const element of query(page, selector)) mark(element, role === 'select' ? 'selected' : 'removed');
      return;
    }
    const { start, end } = rangeEnds(page, selector);
    if (start) mark(start, role === 'select' ? 'range-start' : 'removed');
    if (end) mark(end, role === 'select' ? 'range-end' : 'removed');
  });
  for (const script of query(page, 'script')) script.remove();
  for (const element of query(page, '*')) {
    element.attributes.splice(0, element.attributes.length, ...element.attributes.filter(attribute => !attribute.name.startsWith('on')));
  }
  const head = query(page, 'head')[0];
  const body = query(page, 'body')[0];
  if (head) {
    const policy = page.createElement('meta');
    policy.setAttribute('http-equiv', 'Content-Security-Policy');
    policy.setAttribute('content', "script-src 'none'; object-src 'none'");
    const base = page.createElement('base');
    base.setAttribute('href', url);
    const style = page.createElement('style');
    style.appendChild(page.createTextNode(PREVIEW_STYLE));
    const existingBase = query(page, 'base[href]').length > 0;
    head.insertBefore(policy, head.firstChild);
    if (!existingBase) head.insertBefore(base, policy.nextSibling);
    head.appendChild(style);
  }
  if (body) {
    const legend = page.createElement('div');
    legend.setAttribute('id', `${MARK}-legend`);
    legend.appendChild(page.createTextNode(`Preview of ${url}: green outlines = kept by "select", red dashes = dropped by "remove".`));
    body.insertBefore(legend, body.firstChild);
  }
  return serializeHtml(page);
}
