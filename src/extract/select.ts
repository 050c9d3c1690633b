// `remove` and `select` on a parsed page (OTA-FORMAT §6.1 steps 6–8, §6.2), ranges included.
import type { RangeSelector, Selectors } from '../declarations/index.js';
import { toSelectorList } from '../declarations/index.js';
import { ExtractError } from './errors.js';
import type { PageDocument, PageElement, PageFragment, PageRange } from './page.js';

function selectRange(document: PageDocument, range: RangeSelector): PageRange {
  const startSelector = range.startBefore ?? range.startAfter ?? '';
  const endSelector = range.endBefore ?? range.endAfter ?? '';
  const start = querySelector(document, startSelector);
  const end = querySelector(document, endSelector);
  if (!start) throw new ExtractError(`The "start" selector has no match in document in: ${JSON.stringify(range)}`);
  if (!end) throw new ExtractError(`The "end" selector has no match in document in: ${JSON.stringify(range)}`);
  const selection = document.createRange();
  if (range.startBefore !== undefined) selection.setStartBefore(start);
  else selection.setStartAfter(start);
  if (range.endBefore !== undefined) selection.setEndBefore(end);
  else selection.setEndAfter(end);
  return selection;
}

function querySelector(document: PageDocument, selector: string): PageElement | null {
  try {
    return document.querySelector(selector);
  } catch (error) {
    throw invalidSelector(selector, error);
  }
}

export function querySelectorAll(document: PageDocument, selector: string): PageElement[] {
  try {
    return [...document.querySelectorAll(selector)];
  } catch (error) {
    throw invalidSelector(selector, error);
  }
}

function invalidSelector(selector: string, error: unknown): ExtractError {
  return new ExtractError(`'${selector}' is not a valid selector`, { cause: error });
}

/** Detaches every node matched by a CSS selector, then deletes each range's contents, in order. */
export function removeInsignificantContent(document: PageDocument, selectors: Selectors | undefined): void {
  const ranges: PageRange[] = [];
  const nodes: PageElement[] = [];
  for (const selector of toSelectorList(selectors)) {
    if (typeof selector === 'string') nodes.push(...querySelectorAll(document, selector));
    else ranges.push(selectRange(document, selector));
  }
  // Ranges are live: removing the nodes first moves their boundaries, as OTA's order implies.
  for (const node of nodes) node.remove();
  for (const range of ranges) range.deleteContents();
}

/** A new fragment with deep clones of every match, walking the selectors in list order. */
export function selectContent(document: PageDocument, selectors: Selectors | undefined): PageFragment {
  const fragment = document.createDocumentFragment();
  for (const selector of toSelectorList(selectors)) {
    if (typeof selector === 'string') {
      for (const element of querySelectorAll(document, selector)) fragment.appendChild(element.cloneNode(true));
    } else {
      const contents = selectRange(document, selector).cloneContents();
      if (contents.hasChildNodes()) fragment.appendChild(contents);
    }
  }
  return fragment;
}
