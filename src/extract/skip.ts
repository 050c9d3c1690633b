// A declaration's skip rules (`skipSelectors`, `skipMissingSelectors`, `skipContent`) on a fetched page: the
// signs, written by contributors, that a page is not the terms (a wall whose markup matches the selectors, an
// error page). Checked on the page as fetched, before any filter runs.
import type { SkipRules, SourceDocument } from '../declarations/index.js';
import { ExtractError } from './errors.js';
import { isPdf } from './extract.js';
import { parsePage } from './engines.js';
import type { PageDocument } from './page.js';
import { querySelectorAll } from './select.js';

/** A page that a skip rule of its declaration says is not the terms. */
export class SkippedPageError extends ExtractError {
  override name = 'SkippedPageError';

  constructor(
    readonly location: string,
    readonly rule: string,
  ) {
    super(`The page at '${location}' is not the terms, as the declaration says: ${rule}`);
  }
}

const normalise = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** The first skip rule the page matches, said for a person; undefined when none does (PDFs never do). */
export function findSkipRule(content: string | Uint8Array, mimeType: string, sourceDocument: SourceDocument): string | undefined {
  const rules = sourceDocument.skip;
  if (!rules || isPdf(mimeType)) return undefined;
  const html = typeof content === 'string' ? content : Buffer.from(content).toString('utf8');
  const page = parsePage(html, sourceDocument.location, 'light');
  try {
    return matchingRule(page.document, rules);
  } finally {
    page.close();
  }
}

function matchingRule(document: PageDocument, rules: SkipRules): string | undefined {
  for (const selector of rules.selectors) {
    if (querySelectorAll(document, selector).length > 0) return `skipSelectors "${selector}" matches an element`;
  }
  for (const selector of rules.missingSelectors) {
    if (querySelectorAll(document, selector).length === 0) return `skipMissingSelectors "${selector}" matches nothing`;
  }
  for (const [selector, text] of rules.content) {
    const wanted = normalise(text);
    if (querySelectorAll(document, selector).some(element => normalise((element as unknown as { textContent: string | null }).textContent ?? '').includes(wanted))) {
      return `skipContent "${selector}" holds "${text}"`;
    }
  }
  return undefined;
}

/** Throws SkippedPageError when a skip rule of the declaration matches the page. */
export function checkSkipRules(content: string | Uint8Array, mimeType: string, sourceDocument: SourceDocument): void {
  const rule = findSkipRule(content, mimeType, sourceDocument);
  if (rule !== undefined) throw new SkippedPageError(sourceDocument.location, rule);
}
