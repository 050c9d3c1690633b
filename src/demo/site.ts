// The demo's small website: a static page, a page written by a script, a PDF and a terms split over two
// pages. `edition` 2 amends the static terms, to show a recorded change.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { makePdf } from './pdf.js';

export interface DemoSite {
  readonly origin: string;
  setEdition(edition: 1 | 2): void;
  close(): Promise<void>;
}

const layout = (title: string, main: string, script = ''): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title} — Demo Shop</title></head>
<body>
<header><nav><a href="/">Home</a> · <a href="/terms.html">Terms</a> · <a href="/privacy.html">Privacy</a></nav></header>
<div id="cookie-banner">We use cookies. <button>OK</button></div>
<main>
${main}
</main>
<footer>© Demo Shop · build ${Math.random().toString(16).slice(2)}</footer>
${script}
</body></html>
`;

function termsPage(edition: 1 | 2): string {
  const delivery =
    edition === 1
      ? '<p>We deliver within <strong>5 working days</strong>.</p>'
      : '<p>We deliver within <strong>10 working days</strong>. Delivery to islands may take longer.</p>';
  return layout(
    'Terms of Service',
    `<h1>Terms of Service</h1>
<p>These terms apply to every order placed on <a href="/">Demo Shop</a>.</p>
<h2>1. Orders</h2>
<p>An order is final once you receive our confirmation email.</p>
<h2>2. Delivery</h2>
${delivery}
<h2>3. Returns</h2>
<ul><li>You may return any item within 30 days.</li><li>Refunds are made to the original payment method.</li></ul>`,
  );
}

const PRIVACY_SCRIPT = `<script>
setTimeout(function () {
  document.querySelector('main').innerHTML = '<h1>Privacy Policy</h1>'
    + '<p>This page is written by a script, as single-page applications do: only a browser sees this text.</p>'
    + '<h2>What we collect</h2><p>Your name, your address and your orders.</p>';
}, 200);
</script>`;

const PDF = makePdf([
  'General Conditions of Sale',
  '',
  'Article 1. Scope',
  '',
  'These conditions govern every sale made by Demo Shop.',
  '',
  'Article 2. Prices',
  '',
  'Prices include VAT and exclude delivery costs.',
]);

function legalPart(part: 1 | 2): string {
  return layout(
    `Acceptable Use, part ${part}`,
    part === 1
      ? '<h1>Acceptable Use</h1><p>Do not resell items bought on Demo Shop without our consent.</p>'
      : '<h1>Acceptable Use: reviews</h1><p>Reviews must be about the product, and written by its buyer.</p>',
  );
}

export async function startDemoSite(): Promise<DemoSite> {
  let edition: 1 | 2 = 1;
  const server = http.createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const send = (type: string, body: string | Buffer): void => {
      response.writeHead(200, { 'content-type': type });
      response.end(body);
    };
    if (path === '/terms.html') send('text/html; charset=utf-8', termsPage(edition));
    else if (path === '/privacy.html') send('text/html; charset=utf-8', layout('Privacy Policy', '<p>Loading…</p>', PRIVACY_SCRIPT));
    else if (path === '/conditions.pdf') send('application/pdf', PDF);
    else if (path === '/legal/use.html') send('text/html; charset=utf-8', legalPart(1));
    else if (path === '/legal/reviews.html') send('text/html; charset=utf-8', legalPart(2));
    else {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('not found');
    }
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    setEdition: next => {
      edition = next;
    },
    close: () => {
      server.closeAllConnections();
      return new Promise<void>(resolve => server.close(() => { resolve(); }));
    },
  };
}

/** The demo collection's one declaration, pointing at the site. */
export function demoDeclaration(origin: string): object {
  return {
    name: 'Demo Shop',
    terms: {
      'Terms of Service': { fetch: `${origin}/terms.html`, select: 'main' },
      'Privacy Policy': { fetch: `${origin}/privacy.html`, select: 'main', executeClientScripts: true },
      'General Conditions of Sale': { fetch: `${origin}/conditions.pdf` },
      'Acceptable Use Policy': { combine: [{ fetch: `${origin}/legal/use.html` }, { fetch: `${origin}/legal/reviews.html` }], select: 'main' },
    },
  };
}
