// `backfill`: a terms' history before tracking began, from a web archive's captures of its documents. Each document's
// captures before its first snapshot (and after `from`) are listed (CDX) and downloaded raw, kept in a cache folder
// so that a run that stops goes on where it stopped, and recorded into a new snapshots repository, dated at their
// capture and marked with the archive and the capture's address; then the current snapshots are replayed after them,
// unchanged but for their ids (kept in `snapshotIdMap`). The versions are made from this new history by
// rebuildVersions, with the declarations in force at each date. Nothing replaces the current repositories here.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

import type { Service } from '../declarations/index.js';
import type { Capture, RawCapture, WebArchive } from '../fetch/index.js';
import type { SnapshotRepository } from '../record/index.js';
import { documentIdIn } from './capture.js';
import { BACKFILLED_FROM, CAPTURE_URL } from './provenance.js';

export interface BackfillOptions {
  readonly services: readonly Service[];
  readonly serviceIds?: readonly string[] | undefined;
  readonly termsTypes?: readonly string[] | undefined;
  /** Captures from this date on (default: all the archive has). */
  readonly from?: Date | undefined;
  readonly archive: WebArchive;
  /** The archive's address, as the trailers name it. */
  readonly archiveUrl: string;
  /** Where capture lists and captures are kept between runs. */
  readonly cacheDir: string;
  /** The snapshots as they are (read). */
  readonly current: SnapshotRepository;
  /** An empty repository the new history is written into. */
  readonly target: SnapshotRepository;
  readonly engineVersion: string;
  /** Told of each document as its captures are listed, and of each capture downloaded. */
  readonly onProgress?: (message: string) => void;
}

export interface DocumentBackfill {
  readonly serviceId: string;
  readonly termsType: string;
  readonly documentId: string;
  readonly location: string;
  /** The document's first snapshot: captures are taken before it. */
  readonly before: Date | undefined;
  /** Distinct captures the archive listed in the period. */
  readonly listed: number;
  /** Snapshots recorded from them (a capture identical to the one before it is not one). */
  readonly recorded: number;
  readonly first: Date | undefined;
  readonly last: Date | undefined;
  /** Captures (or the list) that could not be had, with the reason. */
  readonly failures: readonly string[];
}

export interface BackfillResult {
  readonly documents: readonly DocumentBackfill[];
  /** Old snapshot id → its id in the new history. */
  readonly snapshotIdMap: ReadonlyMap<string, string>;
  /** Snapshots of the current history written after the backfilled ones. */
  readonly replayed: number;
}

/** The types a terms document has: a page or a PDF (archives also list redirects, images and revisit records). */
const DOCUMENT_TYPES = /^(text\/html|application\/xhtml\+xml|application\/pdf|text\/plain)/;

const digest = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 32);

/** A file written whole or not at all. */
async function writeAtomically(file: string, content: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(`${file}.tmp`, content);
  await rename(`${file}.tmp`, file);
}

class CaptureCache {
  constructor(private readonly directory: string) {}

  async captures(archive: WebArchive, url: string, from: Date | undefined, to: Date | undefined): Promise<Capture[]> {
    const file = path.join(this.directory, 'lists', `${digest(`${url}\u0000${from?.toISOString() ?? ''}\u0000${to?.toISOString() ?? ''}`)}.json`);
    const cached = await readFile(file, 'utf8').catch(() => undefined);
    if (cached !== undefined) return (JSON.parse(cached) as (Omit<Capture, 'date'> & { date: string })[]).map(capture => ({ ...capture, date: new Date(capture.date) }));
    const captures = await archive.captures(url, from, to);
    await writeAtomically(file, JSON.stringify(captures));
    return captures;
  }

  async raw(archive: WebArchive, capture: Capture): Promise<{ raw: RawCapture; isCached: boolean }> {
    const file = path.join(this.directory, 'captures', digest(archive.captureUrl(capture)));
    const [type, content] = await Promise.all([readFile(`${file}.type`, 'utf8').catch(() => undefined), readFile(file).catch(() => undefined)]);
    if (type !== undefined && content !== undefined) {
      return { raw: { mimeType: type, content: /^application\/pdf/.test(type) ? new Uint8Array(content) : content.toString('utf8') }, isCached: true };
    }
    const raw = await archive.raw(capture);
    // the content first, its type last: a type file says the content beside it is whole
    await writeAtomically(file, raw.content);
    await writeAtomically(`${file}.type`, raw.mimeType);
    return { raw, isCached: false };
  }
}

interface Planned {
  readonly serviceId: string;
  readonly termsType: string;
  readonly documentId: string;
  readonly location: string;
  readonly capture: Capture;
  readonly raw: RawCapture;
}

export async function backfill(options: BackfillOptions): Promise<BackfillResult> {
  const cache = new CaptureCache(options.cacheDir);
  const firstDates = new Map((await options.current.firstDates()).map(entry => [`${entry.serviceId}\u0000${entry.termsType}\u0000${entry.documentId}`, entry.date]));
  const documents: (DocumentBackfill & { planned: Planned[] })[] = [];
  for (const service of options.services) {
    if (options.serviceIds && !options.serviceIds.includes(service.id)) continue;
    for (const type of service.termsTypes) {
      if (options.termsTypes && !options.termsTypes.includes(type)) continue;
      const terms = service.getTerms(type);
      for (const document of terms.sourceDocuments) {
        const documentId = documentIdIn(terms, document);
        const before = firstDates.get(`${service.id}\u0000${type}\u0000${documentId}`);
        const failures: string[] = [];
        const planned: Planned[] = [];
        let listed = 0;
        try {
          options.onProgress?.(`${service.id} · ${type}${documentId ? ` #${documentId}` : ''}: listing the captures of ${document.location}`);
          const captures = (await cache.captures(options.archive, document.location, options.from, before)).filter(capture => DOCUMENT_TYPES.test(capture.mimeType));
          listed = captures.length;
          for (const capture of captures) {
            try {
              const { raw, isCached } = await cache.raw(options.archive, capture);
              if (!isCached) options.onProgress?.(`  ${capture.date.toISOString()}  ${options.archive.captureUrl(capture)}`);
              planned.push({ serviceId: service.id, termsType: type, documentId, location: document.location, capture, raw });
            } catch (error) {
              failures.push(`${capture.timestamp}: ${(error as Error).message}`);
            }
          }
        } catch (error) {
          failures.push(`the list of captures: ${(error as Error).message}`);
        }
        documents.push({ serviceId: service.id, termsType: type, documentId, location: document.location, before, listed, recorded: 0, first: undefined, last: undefined, failures, planned });
      }
    }
  }
  // the backfilled snapshots first, oldest first, then the current history as it was
  const recorded = new Map<DocumentBackfill, { count: number; first?: Date; last?: Date }>();
  const all = documents.flatMap(document => document.planned.map(planned => ({ document, planned }))).sort((a, b) => a.planned.capture.date.getTime() - b.planned.capture.date.getTime());
  for (const { document, planned } of all) {
    const result = await options.target.record({
      serviceId: planned.serviceId,
      termsType: planned.termsType,
      documentId: planned.documentId,
      fetchDate: planned.capture.date,
      mimeType: planned.raw.mimeType.split(';')[0]?.trim() || planned.capture.mimeType,
      content: planned.raw.content,
      metadata: {
        'x-engine-version': options.engineVersion,
        'x-source-document-location': planned.location,
        [BACKFILLED_FROM]: options.archiveUrl,
        [CAPTURE_URL]: options.archive.captureUrl(planned.capture),
      },
    });
    if (!result.isNew) continue;
    const counts = recorded.get(document) ?? { count: 0 };
    counts.count++;
    counts.first ??= planned.capture.date;
    counts.last = planned.capture.date;
    recorded.set(document, counts);
  }
  const snapshotIdMap = new Map<string, string>();
  let replayed = 0;
  for await (const snapshot of options.current.history()) {
    const result = await options.target.record({ ...snapshot, metadata: snapshot.metadata ?? {} });
    snapshotIdMap.set(snapshot.id, result.record.id);
    if (result.isNew) replayed++;
  }
  return {
    documents: documents.map(entry => {
      const counts = recorded.get(entry);
      return { serviceId: entry.serviceId, termsType: entry.termsType, documentId: entry.documentId, location: entry.location, before: entry.before, listed: entry.listed, recorded: counts?.count ?? 0, first: counts?.first, last: counts?.last, failures: entry.failures };
    }),
    snapshotIdMap,
    replayed,
  };
}
