// Runs a source document's filter chain on the parsed page (OTA-FORMAT §4): in declaration order, each
// awaited, built-ins first, unknown names skipped. Filters change the document in place.
import type { FilterStep, SourceDocument } from '../declarations/index.js';
import { ExtractError } from './errors.js';
import { HTML_NAMESPACE, type PageDocument } from './page.js';
import { querySelectorAll } from './select.js';

type BuiltInFilter = (document: PageDocument, params: unknown) => void;

const BUILT_IN_FILTERS: Readonly<Record<string, BuiltInFilter>> = {
  removeQueryParams,
};

/** Whether the chain runs functions of the service's own: they need a standard (jsdom) document. */
export function hasServiceFilters(sourceDocument: SourceDocument): boolean {
  return sourceDocument.filters.some(step => !step.isBuiltIn && step.run !== undefined);
}

/**
 * @param document the page as the pipeline sees it
 * @param nativeDocument the same page as a standard DOM Document, handed to the service's functions
 */
export async function runFilters(document: PageDocument, nativeDocument: unknown, sourceDocument: SourceDocument): Promise<void> {
  const steps = sourceDocument.filters.filter(step => (step.isBuiltIn ? step.name in BUILT_IN_FILTERS : step.run));
  const context = {
    fetch: sourceDocument.location,
    select: sourceDocument.contentSelectors ?? [],
    remove: sourceDocument.insignificantContentSelectors ?? [],
    filter: steps.map(step => step.name),
  };
  for (const step of steps) {
    try {
      await runStep(step, document, nativeDocument, context);
    } catch (error) {
      throw new ExtractError(`The filter function "${step.name}" failed: ${String(error)}`, { cause: error });
    }
  }
}

async function runStep(step: FilterStep, document: PageDocument, nativeDocument: unknown, context: object): Promise<void> {
  const builtIn = step.isBuiltIn ? BUILT_IN_FILTERS[step.name] : undefined;
  if (builtIn) {
    builtIn(document, step.params);
    return;
  }
  if (!step.run) return;
  // OTA calls the filter without params when they are falsy; collections rely on it.
  if (step.params) await step.run(nativeDocument as Document, step.params, context);
  else await step.run(nativeDocument as Document, context);
}

/** The URL an attribute points to, resolved against the page's base URL, or the attribute as written. */
export function resolvedUrl(baseUrl: string, value: string): string {
  try {
    return new URL(value, baseUrl).href;
  } catch {
    return value;
  }
}

/** Deletes the named query parameters from every link and image URL that has at least one of them. */
function removeQueryParams(document: PageDocument, params: unknown): void {
  const names = (Array.isArray(params) ? params : [params]).filter((name): name is string => typeof name === 'string');
  if (names.length === 0) return;
  const baseUrl = document.baseURI;
  for (const [selector, attribute] of [['a[href]', 'href'], ['img[src]', 'src']] as const) {
    for (const element of querySelectorAll(document, selector)) {
      if (element.namespaceURI !== HTML_NAMESPACE) continue;
      let url: URL;
      try {
        url = new URL(resolvedUrl(baseUrl, element.getAttribute(attribute) ?? ''));
      } catch {
        continue;
      }
      if (!names.some(name => url.searchParams.has(name))) continue;
      for (const name of names) url.searchParams.delete(name);
      element.setAttribute(attribute, url.href);
    }
  }
}
