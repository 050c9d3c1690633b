// Chooses the fetcher for a source document (OTA-FORMAT §5.1): the browser when scripts must run, plain
// HTTP when they must not, and plain HTTP with one browser retry when the site looks like it blocks bots.
import mime from 'mime';

import { flattenSelectors, type SourceDocument } from '../declarations/index.js';
import type { BrowserSession } from './browser.js';
import { checkDestination } from './destination.js';
import { FetchError } from './errors.js';
import { fetchWithHttp } from './http.js';
import { type FetchedDocument, type FetchOptions, type HttpValidators, NOT_MODIFIED } from './model.js';

export interface FetchDependencies {
  /** The browser session, started on first use by its owner (the tracker), who also closes it. */
  readonly getBrowser: () => Promise<BrowserSession>;
}

export async function fetchDocument(
  sourceDocument: SourceDocument,
  dependencies: FetchDependencies,
  options: FetchOptions,
): Promise<FetchedDocument> {
  const document = await fetchDocumentIfChanged(sourceDocument, dependencies, options, undefined);
  if (document === NOT_MODIFIED) throw new FetchError(sourceDocument.location, 'Unexpected 304 Not Modified to an unconditional request');
  return document;
}

/**
 * As fetchDocument, but a plain HTTP fetch carries the validators of the previous response (If-None-Match,
 * If-Modified-Since), and a 304 answer gives NOT_MODIFIED. Browser fetches are never conditional.
 */
export async function fetchDocumentIfChanged(
  sourceDocument: SourceDocument,
  dependencies: FetchDependencies,
  options: FetchOptions,
  since: HttpValidators | undefined,
): Promise<FetchedDocument | typeof NOT_MODIFIED> {
  const { location, executeClientScripts } = sourceDocument;
  // before choosing a fetcher: a refused URL never starts a browser
  await checkDestination(location, { refusePrivateAddresses: options.refusePrivateAddresses === true });
  const viaBrowser = (): Promise<FetchedDocument> => fetchViaBrowser(sourceDocument, dependencies, options);
  let document: FetchedDocument;
  if (executeClientScripts === true) {
    document = await viaBrowser();
  } else {
    try {
      const fetched = await fetchWithHttp(location, options, since);
      if (fetched === NOT_MODIFIED) return NOT_MODIFIED;
      document = fetched;
    } catch (error) {
      if (executeClientScripts === undefined && error instanceof FetchError && error.isLikelyBotBlocking) {
        document = await viaBrowser();
      } else {
        throw error;
      }
    }
  }
  if (mime.getExtension(document.mimeType) === null) {
    throw new FetchError(location, `Received an unsupported content type "${document.mimeType}" when trying to fetch '${location}'`);
  }
  return document;
}

async function fetchViaBrowser(
  sourceDocument: SourceDocument,
  dependencies: FetchDependencies,
  options: FetchOptions,
): Promise<FetchedDocument> {
  const selectors = [
    ...flattenSelectors(sourceDocument.contentSelectors),
    ...flattenSelectors(sourceDocument.insignificantContentSelectors),
  ];
  let browser: BrowserSession;
  try {
    browser = await dependencies.getBrowser();
  } catch (error) {
    throw new FetchError(
      sourceDocument.location,
      `No browser could be started to fetch '${sourceDocument.location}': ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
      {},
      { cause: error },
    );
  }
  return browser.fetch(sourceDocument.location, { selectors, acceptsPdf: selectors.length === 0 }, options);
}
