// `terms-archive extract`: runs the extraction of one stored snapshot and prints the Markdown, exactly the
// bytes a version would hold. The conformance scorer and contributors use it.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { type Command, Option } from 'commander';
import mime from 'mime';

import { loadServiceFiles, type SourceDocument } from '../../declarations/index.js';
import { extract } from '../../extract/index.js';
import { UsageError } from '../errors.js';
import { helpPage } from './help.js';

export interface ExtractCommandOptions {
  readonly declaration: string;
  readonly snapshot: string;
  readonly location?: string;
  readonly type?: string;
  readonly filters?: string;
  readonly history?: string;
  readonly date?: string;
  readonly mimeType?: string;
  /** `jsdom` runs OTA's reference parser instead of the light DOM (slower, same output). */
  readonly engine?: 'light' | 'jsdom';
}

export function registerExtractCommand(program: Command, io: { write: (text: string) => void; cwd: string }): void {
  const extractCommand = program
    .command('extract')
    .description('extract the Markdown of one snapshot with a declaration, and print it')
    .requiredOption('--declaration <file>', 'service declaration (JSON)')
    .requiredOption('--snapshot <file>', 'snapshot file (HTML, or PDF by its .pdf extension)')
    .option('--location <url>', 'URL the snapshot was fetched from; picks the document of a combined terms')
    .option('--type <termsType>', 'terms type to use (default: the only one declared)')
    .option('--filters <file>', 'filters module (default: <declaration>.filters.js beside the declaration)')
    .option('--history <file>', 'history file (default: <declaration>.history.json beside the declaration)')
    .option('--date <iso>', 'fetch date of the snapshot: resolves the declaration and filters in force then')
    .option('--mime-type <type>', 'MIME type of the snapshot (default: from its file extension)')
    .addOption(new Option('--engine <engine>', 'HTML parser: the light DOM, or jsdom as OTA (same output, slower)').choices(['light', 'jsdom']))
    .action(async (options: ExtractCommandOptions) => {
      io.write(await runExtract(options, io.cwd));
    });
  helpPage(extractCommand, 'commands.md#extract');
}

export async function runExtract(options: ExtractCommandOptions, cwd: string): Promise<string> {
  const declarationPath = path.resolve(cwd, options.declaration);
  const base = declarationPath.replace(/\.json$/, '');
  const id = path.basename(base);
  const loaded = await loadServiceFiles(
    {
      id,
      declarationPath,
      historyPath: options.history ? path.resolve(cwd, options.history) : `${base}.history.json`,
      filtersPath: options.filters ? path.resolve(cwd, options.filters) : `${base}.filters.js`,
      filtersHistoryPath: `${base}.filters.history.js`,
    },
    { displayRoot: cwd },
  );
  if (!loaded.service) throw new UsageError(loaded.errors.map(error => error.message).join('\n'));
  const service = loaded.service;
  const type = options.type ?? onlyTermsType(service.termsTypes, service.declarationFile);
  if (!service.termsTypes.includes(type)) {
    throw new UsageError(`${service.declarationFile} declares no "${type}" terms (it declares: ${service.termsTypes.join(', ')})`);
  }
  const date = options.date === undefined ? undefined : parseDate(options.date);
  const terms = service.getTerms(type, date);
  const sourceDocument = pickSourceDocument(terms.sourceDocuments, options.location, service.declarationFile);
  const mimeType = options.mimeType ?? mime.getType(options.snapshot) ?? 'text/html';
  const snapshotPath = path.resolve(cwd, options.snapshot);
  const bytes = await readFile(snapshotPath).catch((error: unknown) => {
    throw new UsageError(`cannot read the snapshot ${snapshotPath}: ${(error as Error).message}`);
  });
  const content = mimeType === 'application/pdf' ? new Uint8Array(bytes) : bytes.toString('utf8');
  return extract({ content, mimeType, sourceDocument, ...(options.engine && { engine: options.engine }) });
}

function onlyTermsType(types: readonly string[], file: string): string {
  const [first, ...others] = types;
  if (first === undefined || others.length > 0) {
    throw new UsageError(`${file} declares ${types.length} terms types: choose one with --type (${types.join(', ')})`);
  }
  return first;
}

function pickSourceDocument(documents: readonly SourceDocument[], location: string | undefined, file: string): SourceDocument {
  if (documents.length === 1 && documents[0]) {
    const [only] = documents;
    return location ? { ...only, location } : only;
  }
  const match = documents.find(document => document.location === location);
  if (!match) {
    throw new UsageError(
      `${file}: these terms combine ${documents.length} documents; name one with --location (${documents.map(d => d.location).join(', ')})`,
    );
  }
  return match;
}

function parseDate(value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new UsageError(`--date: "${value}" is not a date (use ISO 8601, e.g. 2024-01-31T12:00:00Z)`);
  return date;
}
