export { type BrowserFetchRequest, type BrowserSession, launchBrowserSession } from './browser.js';
export { findChromium, SYSTEM_CHROMIUM_PATHS } from './browser-session.js';
export { connectBrowserSession, type RemoteBrowserOptions } from './browser-remote.js';
export { FetchError, type FetchFailureKind } from './errors.js';
export { type FetchDependencies, fetchDocument, fetchDocumentIfChanged } from './fetch-document.js';
export { fetchWithHttp } from './http.js';
export { type LazyBrowser, lazyBrowser, type LazyBrowserOptions } from './lazy-browser.js';
export {
  DEFAULT_FETCH_OPTIONS,
  DEFAULT_MAX_RESPONSE_BYTES,
  type FetchedDocument,
  type FetcherName,
  type FetchOptions,
  type HttpValidators,
  NOT_MODIFIED,
  parseLanguages,
} from './model.js';
export { type ProxySettings } from './proxy.js';
export { archiveTimestamp, type Capture, INTERNET_ARCHIVE_URL, type RawCapture, WebArchive, type WebArchiveOptions } from './web-archive.js';
