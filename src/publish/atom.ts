// Atom 1.0 feeds (RFC 4287) in OTA's shape (OTA-FORMAT §9: tag URIs, categories), made for readers: each feed has
// its own title, ids are valid tag URIs (every part percent-encoded), an empty feed is dated when the collection
// began (never 1970), and each entry carries the change itself (escaped HTML: deletions and additions marked,
// unchanged context trimmed) and a summary, and links to a page showing it (HTML) and to its JSON. Where links point
// (the API, or static files) is the caller's: `FeedLinks`.
import { escapeHtml } from './change.js';
import type { IndexedVersion } from './history-index.js';
import { type ChangeLabel, LABEL_TITLES } from './labels.js';
import type { CollectionMetadata } from './metadata.js';

const TAG = 'tag:opentermsarchive.org,2026';

/** What a feed holds: the whole collection, a service, a terms, or a filter (a saved subscription). */
export interface FeedScope {
  readonly serviceId?: string;
  /** The service's name, for the title. */
  readonly serviceName?: string;
  readonly termsType?: string;
  readonly filter?: FeedFilter;
}

export interface FeedFilter {
  readonly serviceIds?: readonly string[];
  readonly termsTypes?: readonly string[];
  readonly labels?: readonly ChangeLabel[];
}

export interface FeedLinks {
  /** The feed's own address. */
  readonly self: string;
  /** A page showing the feed's documents to people (the viewer), if there is one. */
  readonly page?: string | undefined;
  /** The page showing a version's change (HTML). */
  readonly change: (version: IndexedVersion) => string;
  /** The version as JSON. */
  readonly json: (version: IndexedVersion) => string;
  /** Another page about the version (e.g. its commit, from feedVersionUrlTemplate), if any. */
  readonly related?: ((version: IndexedVersion) => string) | undefined;
}

export interface FeedOptions {
  readonly links: FeedLinks;
  /** The `updated` of an empty feed: when the collection began (its first version), or now. */
  readonly emptyUpdated: Date;
}

/** `YYYY-MM-DDTHH:MM:SSZ`: the date form of the version route. */
export function secondsDate(iso: string): string {
  return `${iso.slice(0, 19)}Z`;
}

/** The newest entry's date, or `empty` for a feed without entries. */
export function feedUpdated(versions: readonly IndexedVersion[], empty: Date): Date {
  return versions[0] ? new Date(versions[0].fetchDate) : empty;
}

const list = (values: readonly string[]): string => (values.length <= 2 ? values.join(' and ') : `${values.slice(0, -1).join(', ')} and ${values.at(-1) ?? ''}`);

/** Distinct titles: "<collection>", "<service> — <collection>", "<service> <terms type> — <collection>", or the filter's. */
export function feedTitle(metadata: CollectionMetadata, scope: FeedScope): string {
  const service = scope.serviceName ?? scope.serviceId;
  if (service !== undefined) return `${service}${scope.termsType === undefined ? '' : ` ${scope.termsType}`} — ${metadata.name}`;
  const filter = scope.filter ?? {};
  const what = filter.labels?.length ? `${list(filter.labels.map(label => LABEL_TITLES[label]))} changes` : 'Changes';
  const types = filter.termsTypes?.length ? ` to ${list(filter.termsTypes)}` : '';
  const services = filter.serviceIds?.length ? ` of ${list(filter.serviceIds)}` : '';
  return what === 'Changes' && !types && !services ? metadata.name : `${what}${types}${services} — ${metadata.name}`;
}

/** A tag URI: the parts percent-encoded, so that no id holds a space or a character an IRI refuses. */
export function feedId(metadata: CollectionMetadata, scope: FeedScope): string {
  const parts = [metadata.id, scope.serviceId, scope.termsType].filter((part): part is string => part !== undefined).map(encodeURIComponent);
  const filter = scope.filter ?? {};
  const filters = (
    [
      ['services', filter.serviceIds],
      ['types', filter.termsTypes],
      ['labels', filter.labels],
    ] as const
  )
    .filter(([, values]) => values !== undefined && values.length > 0)
    .map(([name, values]) => `${name}=${[...(values ?? [])].sort().map(encodeURIComponent).join(',')}`);
  return `${TAG}:feed:${parts.join(':')}${filters.length > 0 ? `?${filters.join('&')}` : ''}`;
}

const KIND_TITLES = { first: 'First record', upgrade: 'Technical upgrade', change: 'Change' } as const;

export function renderFeed(metadata: CollectionMetadata, scope: FeedScope, versions: readonly IndexedVersion[], options: FeedOptions): string {
  const { links } = options;
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <title>${escapeHtml(feedTitle(metadata, scope))}</title>`,
    `  <id>${escapeHtml(feedId(metadata, scope))}</id>`,
    `  <updated>${feedUpdated(versions, options.emptyUpdated).toISOString()}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${escapeHtml(links.self)}"/>`,
    ...(links.page === undefined ? [] : [`  <link rel="alternate" type="text/html" href="${escapeHtml(links.page)}"/>`]),
    '  <author>',
    '    <name>Open Terms Archive engine</name>',
    '  </author>',
    ...(metadata.tagline ? [`  <subtitle>${escapeHtml(metadata.tagline)}</subtitle>`] : []),
    ...(metadata.logo ? [`  <logo>${escapeHtml(metadata.logo)}</logo>`] : []),
  ];
  for (const version of versions) {
    const content = `<p><strong>${escapeHtml(LABEL_TITLES[version.label])}</strong> — ${escapeHtml(version.summary)}</p>${version.diffHtml}`;
    lines.push(
      '  <entry>',
      `    <id>${escapeHtml(`${TAG}:version:${encodeURIComponent(metadata.id)}:git:${version.id}`)}</id>`,
      `    <link rel="alternate" type="text/html" href="${escapeHtml(links.change(version))}"/>`,
      `    <link rel="alternate" type="application/json" href="${escapeHtml(links.json(version))}"/>`,
      ...(links.related ? [`    <link rel="related" type="text/html" href="${escapeHtml(links.related(version))}"/>`] : []),
      `    <title>${escapeHtml(entryTitle(version.subject))}</title>`,
      `    <updated>${new Date(version.fetchDate).toISOString()}</updated>`,
      `    <summary>${escapeHtml(`${LABEL_TITLES[version.label]}. ${version.summary}`)}</summary>`,
      // the HTML is escaped once more as the element's text: a reader shows it, and nothing in it runs
      `    <content type="html">${escapeHtml(content)}</content>`,
      `    <category term="${escapeHtml(version.serviceId)}" scheme="${TAG}:scheme:service"/>`,
      `    <category term="${escapeHtml(version.termsType)}" scheme="${TAG}:scheme:terms-type"/>`,
      `    <category term="${KIND_TITLES[version.kind]}" scheme="${TAG}:scheme:record-type"/>`,
      `    <category term="${LABEL_TITLES[version.label]}" scheme="tag:terms-archive,2026:scheme:change-label"/>`,
      '  </entry>',
    );
  }
  lines.push('</feed>', '');
  return lines.join('\n');
}

/** OTA's older subjects, as OTA's feeds title them today. */
const LEGACY_SUBJECTS: readonly (readonly [string, string])[] = [
  ['Start tracking ', 'First record of '],
  ['Update ', 'Record new changes of '],
  ['Refilter ', 'Apply technical or declaration upgrade on '],
];

/** A feed entry's title: the commit subject, older wordings renamed as OTA renames them. */
export function entryTitle(subject: string): string {
  const legacy = LEGACY_SUBJECTS.find(([old]) => subject.startsWith(old));
  return legacy ? `${legacy[1]}${subject.slice(legacy[0].length)}` : subject;
}
