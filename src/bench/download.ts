// The baseline of `npm run bench`: a bare downloader, run as its own process so that it pays what any command
// pays (starting Node, loading its modules, reading the declarations, starting Chromium), as the tracker does.
// It fetches every document of a declarations folder once, one request at a time per host, hosts in parallel,
// and with --extract converts each page once. It records nothing.
//
//   node dist/bench/download.js --declarations DIR [--extract] [--browser-pages N]
import { parseArgs } from 'node:util';

import { loadDeclarations, type SourceDocument } from '../declarations/index.js';
import { extract } from '../extract/index.js';
import { type BrowserSession, DEFAULT_FETCH_OPTIONS, fetchDocument, findChromium, launchBrowserSession, lazyBrowser } from '../fetch/index.js';

const { values } = parseArgs({
  options: {
    declarations: { type: 'string' },
    extract: { type: 'boolean', default: false },
    'browser-pages': { type: 'string' },
  },
});
if (!values.declarations) throw new Error('--declarations DIR is required');

const { services } = await loadDeclarations(values.declarations);
const documents: SourceDocument[] = services.flatMap(service => service.termsTypes.flatMap(type => service.getTerms(type).sourceDocuments));
const browser = lazyBrowser(
  async () => {
    const executablePath = await findChromium();
    if (!executablePath) throw new Error('no Chromium');
    return launchBrowserSession({ executablePath });
  },
  values['browser-pages'] ? { maxPages: Number(values['browser-pages']) } : {},
);
const getBrowser = (): Promise<BrowserSession> => browser.get();
const byHost = new Map<string, SourceDocument[]>();
for (const document of documents) {
  const host = new URL(document.location).host;
  byHost.set(host, [...(byHost.get(host) ?? []), document]);
}
await Promise.all(
  [...byHost.values()].map(async hostDocuments => {
    for (const document of hostDocuments) {
      const fetched = await fetchDocument(document, { getBrowser }, DEFAULT_FETCH_OPTIONS);
      if (values.extract) await extract({ content: fetched.content, mimeType: fetched.mimeType, sourceDocument: document });
    }
  }),
);
await browser.close();
