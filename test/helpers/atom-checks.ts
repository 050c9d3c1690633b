// Feeds checked as a reader would take them: by two independent parsers (@rowanmanning/feed-parser, feedsmith), and
// against the MUSTs of the Atom format (RFC 4287) read from the XML itself, so that a feed one parser forgives is
// still refused.
import { parseFeed } from '@rowanmanning/feed-parser';
import { parseAtomFeed } from 'feedsmith';
import { JSDOM } from 'jsdom';

const ATOM = 'http://www.w3.org/2005/Atom';
/** RFC 3339 date-time. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;
/** RFC 4151: tag:<authority>,<date>:<specific>, the specific part made of pchar, "/" and "?". */
const TAG_URI = /^tag:[a-z0-9.-]+,\d{4}(?:-\d{2}(?:-\d{2})?)?:(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*$/;

function children(element: Element, name: string): Element[] {
  return [...element.children].filter(child => child.namespaceURI === ATOM && child.localName === name);
}

function checkId(value: string, where: string): void {
  if (value.startsWith('tag:') && !TAG_URI.test(value)) throw new Error(`${where}: atom:id "${value}" is not a valid tag URI (RFC 4151)`);
  if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(value)) throw new Error(`${where}: atom:id "${value}" is not an absolute IRI (RFC 4287 §4.2.6)`);
}

/** Throws naming the first MUST of RFC 4287 the feed breaks. */
function checkRfc4287(xml: string): void {
  const document = new JSDOM(xml, { contentType: 'application/xml' }).window.document;
  const feed = document.documentElement;
  if (feed.namespaceURI !== ATOM || feed.localName !== 'feed') throw new Error('the root is not atom:feed');
  const exactlyOne = (element: Element, name: string, where: string): Element => {
    const found = children(element, name);
    if (found.length !== 1) throw new Error(`${where} has ${String(found.length)} atom:${name}, not exactly one (RFC 4287 §4.1)`);
    return found[0] as Element;
  };
  const checkLinks = (element: Element, where: string): void => {
    const alternates = new Set<string>();
    for (const link of children(element, 'link')) {
      if (!link.getAttribute('href')) throw new Error(`${where}: an atom:link without href (§4.2.7.1)`);
      if ((link.getAttribute('rel') ?? 'alternate') !== 'alternate') continue;
      const key = `${link.getAttribute('type') ?? ''} ${link.getAttribute('hreflang') ?? ''}`;
      if (alternates.has(key)) throw new Error(`${where}: two alternate links of one type and hreflang (§4.1.1)`);
      alternates.add(key);
    }
  };
  checkId(exactlyOne(feed, 'id', 'the feed').textContent ?? '', 'the feed');
  exactlyOne(feed, 'title', 'the feed');
  if (!DATE_TIME.test(exactlyOne(feed, 'updated', 'the feed').textContent ?? '')) throw new Error('the feed: atom:updated is not an RFC 3339 date-time (§3.3)');
  checkLinks(feed, 'the feed');
  const hasFeedAuthor = children(feed, 'author').length > 0;
  const ids = new Set<string>();
  for (const [position, entry] of children(feed, 'entry').entries()) {
    const where = `entry ${String(position + 1)}`;
    const id = exactlyOne(entry, 'id', where).textContent ?? '';
    checkId(id, where);
    if (ids.has(id)) throw new Error(`${where}: its id is another entry's`);
    ids.add(id);
    exactlyOne(entry, 'title', where);
    if (!DATE_TIME.test(exactlyOne(entry, 'updated', where).textContent ?? '')) throw new Error(`${where}: atom:updated is not an RFC 3339 date-time`);
    if (!hasFeedAuthor && children(entry, 'author').length === 0) throw new Error(`${where}: no atom:author, and none on the feed (§4.1.1)`);
    const content = children(entry, 'content');
    if (content.length > 1) throw new Error(`${where}: more than one atom:content`);
    if (content.length === 0 && !children(entry, 'link').some(link => (link.getAttribute('rel') ?? 'alternate') === 'alternate')) throw new Error(`${where}: no content and no alternate link (§4.1.2)`);
    if (content[0]?.getAttribute('type') === 'html' && content[0].children.length > 0) throw new Error(`${where}: html content must be escaped text, not markup (§3.1.1.2)`);
    if (children(entry, 'summary').length > 1) throw new Error(`${where}: more than one atom:summary`);
    checkLinks(entry, where);
  }
}

export interface CheckedFeed {
  readonly title: string;
  readonly id: string;
  readonly updated: string;
  readonly selfLink: string;
  readonly entries: readonly { readonly id: string; readonly title: string; readonly links: readonly { readonly rel: string; readonly type: string; readonly href: string }[]; readonly categories: readonly string[] }[];
}

const textOf = (text: string | { value: string } | undefined): string => (typeof text === 'string' ? text : (text?.value ?? ''));

/** The feed as both parsers read it, after checking they agree and that RFC 4287's MUSTs hold. */
export function checkAtomFeed(xml: string): CheckedFeed {
  checkRfc4287(xml);
  const first = parseFeed(xml);
  const second = parseAtomFeed(xml);
  const title = textOf(second.title);
  if (first.title !== title) throw new Error(`the parsers read two titles: "${String(first.title)}" and "${title}"`);
  if ((first.items.length) !== (second.entries?.length ?? 0)) throw new Error('the parsers read different numbers of entries');
  const entries = (second.entries ?? []).map((entry, index) => {
    if (first.items[index]?.id !== entry.id) throw new Error(`the parsers read entry ${String(index + 1)}'s id differently`);
    return {
      id: entry.id ?? '',
      title: textOf(entry.title),
      links: (entry.links ?? []).map(link => ({ rel: link.rel ?? 'alternate', type: link.type ?? '', href: link.href ?? '' })),
      categories: (entry.categories ?? []).map(category => category.term ?? ''),
    };
  });
  return { title, id: second.id ?? '', updated: second.updated ?? '', selfLink: second.links?.find(link => link.rel === 'self')?.href ?? '', entries };
}
