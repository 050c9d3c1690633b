// `terms-archive feeds --out`: the feeds as static files, for a host that serves files only. Every link in them points
// at a file written beside them under the base URL: the feeds (`feed.xml`, `feed/<service>.xml`,
// `feed/<service>/<terms type>.xml`), a page per change (`changes/<service>/<terms type>/<version id>.html`) and the
// version as JSON (`versions/<service>/<terms type>/<version id>.json`, as the API's version route answers).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import type { Service } from '../declarations/index.js';
import type { VersionRepository } from '../record/index.js';
import { type FeedScope, feedUpdated, renderFeed, secondsDate } from './atom.js';
import { renderChangePage } from './change-page.js';
import type { HistoryIndex, IndexedVersion } from './history-index.js';
import type { CollectionMetadata } from './metadata.js';

export interface StaticFeedsOptions {
  readonly index: HistoryIndex;
  readonly versions: VersionRepository;
  readonly metadata: CollectionMetadata;
  readonly services: readonly Service[];
  /** The folder to write into. */
  readonly out: string;
  /** The absolute URL `out` is served from. */
  readonly base: string;
  /** Entries per feed. */
  readonly limit: number;
  readonly versionUrlTemplate?: string | undefined;
}

/** A path of the output, as a relative file path and as the URL it is served at. */
function place(base: string, parts: readonly string[], extension: string): { file: string; url: string } {
  const last = `${parts.at(-1) ?? ''}${extension}`;
  const all = [...parts.slice(0, -1), last];
  return { file: path.join(...all), url: `${base}/${all.map(encodeURIComponent).join('/')}` };
}

export async function writeStaticFeeds(options: StaticFeedsOptions): Promise<{ feeds: number; pages: number }> {
  const base = options.base.replace(/\/+$/, '');
  const emptyUpdated = options.index.firstDate() ?? new Date();
  const written = new Set<string>();
  const write = async (file: string, content: string): Promise<void> => {
    const target = path.join(options.out, file);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
  };
  const change = (version: IndexedVersion): { file: string; url: string } => place(base, ['changes', version.serviceId, version.termsType, version.id], '.html');
  const json = (version: IndexedVersion): { file: string; url: string } => place(base, ['versions', version.serviceId, version.termsType, version.id], '.json');
  const termsFeed = (serviceId: string, termsType: string): { file: string; url: string } => place(base, ['feed', serviceId, termsType], '.xml');
  /** The change page and the JSON of each version, once. */
  const writeVersions = async (versions: readonly IndexedVersion[]): Promise<void> => {
    for (const version of versions) {
      if (written.has(version.id)) continue;
      written.add(version.id);
      const content = (await options.versions.read(version.id, version.serviceId, version.termsType)) ?? '';
      await write(json(version).file, `${JSON.stringify({ id: version.id, fetchDate: secondsDate(version.fetchDate), content })}\n`);
      const page = renderChangePage(options.metadata.name, version, options.index.previous(version), {
        json: json(version).url,
        feed: termsFeed(version.serviceId, version.termsType).url,
        commit: options.versionUrlTemplate?.replace('%VERSION_ID', version.id),
      });
      await write(change(version).file, page);
    }
  };
  let feeds = 0;
  const writeFeed = async (where: { file: string; url: string }, scope: FeedScope): Promise<void> => {
    const versions = options.index.versions({ serviceId: scope.serviceId, termsType: scope.termsType, limit: options.limit });
    await writeVersions(versions);
    const xml = renderFeed(options.metadata, scope, versions, {
      emptyUpdated: feedUpdated(versions, emptyUpdated),
      links: {
        self: where.url,
        change: version => change(version).url,
        json: version => json(version).url,
        related: options.versionUrlTemplate === undefined ? undefined : version => (options.versionUrlTemplate ?? '').replace('%VERSION_ID', version.id),
      },
    });
    await write(where.file, xml);
    feeds++;
  };
  await writeFeed(place(base, ['feed'], '.xml'), {});
  for (const service of options.services) {
    await writeFeed(place(base, ['feed', service.id], '.xml'), { serviceId: service.id, serviceName: service.name });
    for (const type of service.termsTypes) await writeFeed(termsFeed(service.id, type), { serviceId: service.id, serviceName: service.name, termsType: type });
  }
  return { feeds, pages: written.size };
}
