// Atom 1.0 feeds in OTA's shape (OTA-FORMAT §9: ids, links, categories), with what OTA's lack: each entry carries
// the change itself (escaped HTML: deletions and additions marked, unchanged context trimmed) and a summary.
import { escapeHtml } from './change.js';
import type { IndexedVersion } from './history-index.js';
import { LABEL_TITLES } from './labels.js';
import type { CollectionMetadata } from './metadata.js';

const TAG = 'tag:opentermsarchive.org,2026';

export interface FeedScope {
  readonly serviceId?: string;
  readonly termsType?: string;
}

export interface FeedOptions {
  /** Absolute base of the API: `<proto>://<host><mount path>`. */
  readonly base: string;
  /** `%VERSION_ID` is replaced by the version SHA in the alternate link (then `text/html`). */
  readonly versionUrlTemplate?: string | undefined;
}

/** `YYYY-MM-DDTHH:MM:SSZ`: the date form of the version route. */
export function secondsDate(iso: string): string {
  return `${iso.slice(0, 19)}Z`;
}

function feedPath(scope: FeedScope): string {
  return ['feed', scope.serviceId, scope.termsType]
    .filter((part): part is string => part !== undefined)
    .map((part, index) => (index === 0 ? part : encodeURIComponent(part)))
    .join('/');
}

/** The newest entry's date, or the epoch for an empty feed. */
export function feedUpdated(versions: readonly IndexedVersion[]): Date {
  return new Date(versions[0]?.fetchDate ?? 0);
}

export function renderFeed(metadata: CollectionMetadata, scope: FeedScope, versions: readonly IndexedVersion[], options: FeedOptions): string {
  const id = [`${TAG}:feed:${metadata.id}`, scope.serviceId, scope.termsType].filter(part => part !== undefined).join(':');
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <title>${escapeHtml(metadata.name)}</title>`,
    `  <id>${escapeHtml(id)}</id>`,
    `  <updated>${feedUpdated(versions).toISOString()}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${escapeHtml(`${options.base}/${feedPath(scope)}`)}"/>`,
    '  <author>',
    '    <name>Open Terms Archive engine</name>',
    '  </author>',
    ...(metadata.tagline ? [`  <subtitle>${escapeHtml(metadata.tagline)}</subtitle>`] : []),
    ...(metadata.logo ? [`  <logo>${escapeHtml(metadata.logo)}</logo>`] : []),
  ];
  for (const version of versions) {
    const link = options.versionUrlTemplate
      ? `    <link rel="alternate" type="text/html" href="${escapeHtml(options.versionUrlTemplate.replace('%VERSION_ID', version.id))}"/>`
      : `    <link rel="alternate" type="application/json" href="${escapeHtml(
          `${options.base}/version/${encodeURIComponent(version.serviceId)}/${encodeURIComponent(version.termsType)}/${encodeURIComponent(secondsDate(version.fetchDate))}`,
        )}"/>`;
    const content = `<p><strong>${escapeHtml(LABEL_TITLES[version.label])}</strong> — ${escapeHtml(version.summary)}</p>${version.diffHtml}`;
    lines.push(
      '  <entry>',
      `    <id>${escapeHtml(`${TAG}:version:${metadata.id}:git:${version.id}`)}</id>`,
      link,
      `    <title>${escapeHtml(entryTitle(version.subject))}</title>`,
      `    <updated>${new Date(version.fetchDate).toISOString()}</updated>`,
      `    <summary>${escapeHtml(`${LABEL_TITLES[version.label]}. ${version.summary}`)}</summary>`,
      // the HTML is escaped once more as the element's text: a reader shows it, and nothing in it runs
      `    <content type="html">${escapeHtml(content)}</content>`,
      `    <category term="${escapeHtml(version.serviceId)}" scheme="${TAG}:scheme:service"/>`,
      `    <category term="${escapeHtml(version.termsType)}" scheme="${TAG}:scheme:terms-type"/>`,
      `    <category term="${version.kind === 'first' ? 'First record' : version.kind === 'upgrade' ? 'Technical upgrade' : 'Change'}" scheme="${TAG}:scheme:record-type"/>`,
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
