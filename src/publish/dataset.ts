// `terms-archive dataset`: the versions as a ZIP in OTA's layout (OTA-FORMAT §9), plus a versions.csv index that
// spreadsheets and pandas open directly. Streamed: an entry's content is read from git only when the ZIP writer
// reaches it, so memory stays bounded whatever the number of versions.
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { ZipFile } from 'yazl';

import type { VersionRepository } from '../record/index.js';
import { csvLine } from './csv.js';
import type { ExportRow, HistoryIndex } from './history-index.js';
import { odblText } from './license.js';
import type { CollectionMetadata } from './metadata.js';
import { NO_RENAMING, rename, type RenamingRules } from './renaming.js';

export interface DatasetOptions {
  readonly index: HistoryIndex;
  /** Where version contents are read from. */
  readonly versions: VersionRepository;
  readonly metadata: CollectionMetadata;
  /** The ZIP file to write. */
  readonly file: string;
  /** The top folder inside the ZIP (the file's name without .zip). */
  readonly folder: string;
  readonly includeTechnicalUpgrades: boolean;
  readonly releaseDate: Date;
  /** Shown in the README: where the versions repository is published. */
  readonly versionsRepository?: string | undefined;
  /** Names services and terms types had before their current ones (none by default). */
  readonly renaming?: RenamingRules;
}

export interface DatasetSummary {
  readonly versions: number;
  readonly services: number;
  readonly firstDate?: string;
  readonly lastDate?: string;
  /** Versions left out because a later one had the same file name (same terms, same second). */
  readonly replaced: number;
  /** Versions exported under another service or terms type name than they were recorded with. */
  readonly renamed: number;
  /** The README written in the archive (its first line is the title). */
  readonly readme?: string;
}

/** OTA's archive name: the title lower-cased, characters outside [a-zA-Z0-9.\-_] replaced by '-', then the date. */
export function datasetName(title: string, releaseDate: Date): string {
  return `${title.toLowerCase().replace(/[^a-zA-Z0-9.\-_]/g, '-')}-${releaseDate.toISOString().slice(0, 10)}`;
}

/** `2021-01-01T11:27:00.000Z` → `2021-01-01T11-27-00Z`. */
export function datasetFileDate(iso: string): string {
  return `${iso.slice(0, 19)}Z`.replace(/[:.]/g, '-');
}

const CSV_COLUMNS = ['service', 'terms_type', 'fetch_date', 'kind', 'label', 'lines_added', 'lines_removed', 'words_added', 'words_removed', 'version_id', 'snapshot_ids', 'file'];

function readme(metadata: CollectionMetadata, summary: DatasetSummary, options: DatasetOptions): string {
  const release = options.releaseDate.toLocaleDateString('en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
  return `# Open Terms Archive — ${metadata.name} — ${release}

This dataset consolidates the contractual documents of ${summary.services} service providers, in all their versions
from ${summary.firstDate ?? '—'} to ${summary.lastDate ?? '—'} (${summary.versions} versions${options.includeTechnicalUpgrades ? ', technical upgrades included' : ', technical upgrades left out'}).
${options.versionsRepository ? `\nIts versions come from ${options.versionsRepository}.\n` : ''}
## Layout

\`\`\`
${options.folder}/
├── README.md
├── LICENSE
├── versions.csv                  one row per version: service, terms type, date, kind, label, lines and words +/−, ids
└── <service id>/
    └── <terms type>/
        └── <fetch date>.md       e.g. 2021-01-01T11-27-00Z.md
\`\`\`

## License

This dataset is made available under the Open Database License (ODbL) v1.0: see LICENSE.
`;
}

/** Entries added to the ZIP writer ahead of the one it is writing: the rest wait, so memory stays bounded. */
const WINDOW = 64;

/**
 * The text's bytes in a buffer of their own, not a slice of Node's shared 8 KB pool: a pooled slice would keep its
 * whole slab alive as long as any small long-lived buffer cut from the same slab (a ZIP entry's name) lives.
 */
function ownBuffer(text: string): Buffer {
  const buffer = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
  buffer.write(text, 'utf8');
  return buffer;
}

interface Entry {
  readonly row: ExportRow;
  readonly serviceId: string;
  readonly termsType: string;
  /** Its path in the ZIP, under the top folder. */
  readonly path: string;
}

export async function writeDataset(options: DatasetOptions): Promise<DatasetSummary> {
  const zip = new ZipFile();
  const written = pipeline(zip.outputStream, createWriteStream(options.file));
  const csvFile = `${options.file}.versions.csv.tmp`;
  const csv = createWriteStream(csvFile);
  csv.write(`\ufeff${CSV_COLUMNS.join(',')}\r\n`); // a BOM, so that spreadsheets read UTF-8; pandas skips it
  const services = new Set<string>();
  let versions = 0;
  let replaced = 0;
  let renamed = 0;
  let firstDate: string | undefined;
  let lastDate: string | undefined;
  let reached = 0;
  let resume: (() => void) | undefined;
  const entryOptions = { compressionLevel: 9, mtime: options.releaseDate };

  const add = async ({ row, serviceId, termsType, path }: Entry): Promise<void> => {
    versions++;
    services.add(serviceId);
    firstDate ??= row.fetchDate;
    lastDate = row.fetchDate;
    const line = csvLine([serviceId, termsType, row.fetchDate, row.kind, row.label, row.linesAdded, row.linesRemoved, row.wordsAdded, row.wordsRemoved, row.id, row.snapshotIds.join(' '), path]);
    if (!csv.write(line)) await new Promise<void>(resolve => csv.once('drain', () => { resolve(); }));
    // the content is read only when the writer reaches this entry
    zip.addReadStreamLazy(`${options.folder}/${path}`, entryOptions, callback => {
      reached++;
      resume?.();
      options.versions.read(row.id, row.serviceId, row.termsType).then(
        content => {
          // a PassThrough lets go of the bytes once they are read; yazl keeps each entry's stream until the end
          const stream = new PassThrough();
          stream.end(ownBuffer(content ?? ''));
          callback(null, stream);
        },
        (error: unknown) => { callback(error instanceof Error ? error : new Error(String(error)), new PassThrough().end()); },
      );
    });
    while (versions - reached > WINDOW) await new Promise<void>(resolve => (resume = resolve));
  };

  // Versions of one second are held together: two with the same file name (the same terms, or two services renamed
  // to one name) would be two ZIP entries of one name, and only the later one is kept (OTA writes both).
  let second = '';
  let ofSecond: Entry[] = [];
  const addSecond = async (): Promise<void> => {
    const last = new Map(ofSecond.map((entry, position) => [entry.path, position]));
    for (const [position, entry] of ofSecond.entries()) {
      if (last.get(entry.path) === position) await add(entry);
      else replaced++;
    }
    ofSecond = [];
  };
  try {
    for (const row of options.index.exportRows(options.includeTechnicalUpgrades)) {
      const named = rename(options.renaming ?? NO_RENAMING, row.serviceId, row.termsType);
      if (named.serviceId !== row.serviceId || named.termsType !== row.termsType) renamed++;
      if (row.fetchDate.slice(0, 19) !== second) {
        await addSecond();
        second = row.fetchDate.slice(0, 19);
      }
      ofSecond.push({ row, ...named, path: `${named.serviceId}/${named.termsType}/${datasetFileDate(row.fetchDate)}.md` });
    }
    await addSecond();
    await new Promise<void>((resolve, reject) => csv.end((error?: Error | null) => { if (error) reject(error); else resolve(); }));
    const summary: DatasetSummary = { versions, services: services.size, ...(firstDate && { firstDate }), ...(lastDate && { lastDate }), replaced, renamed };
    zip.addFile(csvFile, `${options.folder}/versions.csv`, entryOptions);
    const readmeText = readme(options.metadata, summary, options);
    zip.addBuffer(Buffer.from(readmeText), `${options.folder}/README.md`, entryOptions);
    zip.addBuffer(Buffer.from(await odblText()), `${options.folder}/LICENSE`, entryOptions);
    zip.end();
    await written;
    return { ...summary, readme: readmeText };
  } finally {
    await rm(csvFile, { force: true });
  }
}
