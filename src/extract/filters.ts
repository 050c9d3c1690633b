// Runs a source document's filter chain on the parsed page (OTA-FORMAT §4): in declaration order, each
// awaited, built-ins first, unknown names skipped. Filters change the document in place.
import type { FilterStep, SourceDocument } from '../declarations/index.js';
import { ExtractError } from './errors.js';

type BuiltInFilter = (document: Document, params: unknown) => void;

const BUILT_IN_FILTERS: Readonly<Record<string, BuiltInFilter>> = {
  removeQueryParams,
};

export async function runFilters(document: Document, sourceDocument: SourceDocument): Promise<void> {
  const steps = sourceDocument.filters.filter(step => step.isBuiltIn ? step.name in BUILT_IN_FILTERS : step.run);
  const context = {
    fetch: sourceDocument.location,
    select: sourceDocument.contentSelectors ?? [],
    remove: sourceDocument.insignificantContentSelectors ?? [],
    filter: steps.map(step => step.name),
  };
  for (const step of steps) {
    try {
      await runStep(step, document, context);
    } catch (error) {
      throw new ExtractError(`The filter function "${step.name}" failed: ${String(error)}`, { cause: error });
    }
  }
}

async function runStep(step: FilterStep, document: Document, context: object): Promise<void> {
  const builtIn = step.isBuiltIn ? BUILT_IN_FILTERS[step.name] : undefined;
  if (builtIn) {
    builtIn(document, step.params);
    return;
  }
  if (!step.run) return;
  // OTA calls the filter without params when they are falsy; collections rely on it.
  if (step.params) await step.run(document, step.params, context);
  else await step.run(document, context);
}

/** Deletes the named query parameters from every link and image URL that has at least one of them. */
function removeQueryParams(document: Document, params: unknown): void {
  const names = (Array.isArray(params) ? params : [params]).filter((name): name is string => typeof name === 'string');
  if (names.length === 0) return;
  const rewrite = (element: Element, attribute: 'href' | 'src', resolved: string): void => {
    let url: URL;
    try {
      url = new URL(resolved);
    } catch {
      return;
    }
    if (!names.some(name => url.searchParams.has(name))) return;
    for (const name of names) url.searchParams.delete(name);
    element.setAttribute(attribute, url.href);
  };
  for (const link of document.querySelectorAll<HTMLAnchorElement>('a[href]')) rewrite(link, 'href', link.href);
  for (const image of document.querySelectorAll<HTMLImageElement>('img[src]')) rewrite(image, 'src', image.src);
}
