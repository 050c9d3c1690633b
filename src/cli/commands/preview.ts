// `terms-archive preview`: a terms fetched once, with its Markdown, its figures and what each selector matched; or a
// page no declaration describes yet (--url); or a declaration change against recorded history (--against-history).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import type { Command } from 'commander';

import { compareWithHistory, previewDocument } from '../../contribute/index.js';
import { loadDeclarations, type Service, TERMS_TYPES } from '../../declarations/index.js';
import { lazyBrowser } from '../../fetch/index.js';
import { openSnapshots, openVersions } from '../../record/index.js';
import type { Config } from '../config.js';
import { UsageError } from '../errors.js';
import { plural } from '../format.js';
import { type CliIo, fetchOptionsOf, openBrowser } from '../setup.js';
import { configOf } from './global-options.js';
import { helpPage } from './help.js';
import { wholeNumberOption } from './whole-number-option.js';

export interface PreviewOptions {
  readonly url?: string;
  readonly select?: string[];
  readonly remove?: string[];
  readonly executeClientScripts?: boolean;
  readonly html?: string;
  readonly againstHistory?: number | boolean;
  readonly json?: boolean;
}

export function registerPreviewCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  const preview = program
    .command('preview')
    .description('fetch a terms once and show its Markdown, its figures and what each selector matched')
    .argument('[service]', 'service ID')
    .argument('[type]', 'terms type (default: the only one, or each in turn)')
    .option('--url <url>', 'preview a declaration in progress: the page to fetch (with --select, --remove)')
    .option('--select <selectors...>', 'with --url: CSS selectors of the text to keep')
    .option('--remove <selectors...>', 'with --url: CSS selectors of the parts to drop')
    .option('--execute-client-scripts', 'with --url: render the page in the browser')
    .option('--html <file>', 'write the page with the kept parts outlined in green and the dropped parts in red')
    .option('--against-history [n]', 're-extract the last n stored snapshots (default 5) and diff them with the recorded versions', wholeNumberOption({ minimum: 1 }))
    .option('--json', 'print the result as JSON')
    .action(async (service: string | undefined, type: string | undefined, options: PreviewOptions, command: Command) => {
      checkPreviewOptions(service, type, options);
      setExitCode(await runPreview(service, type, options, await configOf(command, io), io));
    });
  helpPage(preview, 'commands.md#preview');
}

/** Options that go together, and those that do not: none is silently ignored. */
function checkPreviewOptions(service: string | undefined, type: string | undefined, options: PreviewOptions): void {
  const pageOptions = [options.select && '--select', options.remove && '--remove', options.executeClientScripts && '--execute-client-scripts'].filter(Boolean);
  if (options.url !== undefined && service !== undefined) {
    throw new UsageError(`preview: give a service ID or --url, not both (--url previews a page that no declaration describes yet)`);
  }
  if (options.url === undefined && service === undefined) throw new UsageError('preview: give a service ID, or --url with --select');
  if (options.url === undefined && pageOptions.length > 0) {
    throw new UsageError(`${pageOptions.join(', ')}: only with --url; a declared terms is previewed with its own selectors (edit its declaration to try others)`);
  }
  if (options.url !== undefined && type !== undefined) throw new UsageError(`preview: a terms type goes with a service ID, not with --url`);
  if (options.url !== undefined && options.select === undefined && !/\.pdf(?:$|[?#])/i.test(options.url)) {
    throw new UsageError('--url: give --select too (the CSS selector of the text to keep); only a PDF needs none');
  }
  if (options.againstHistory !== undefined && options.html !== undefined) {
    throw new UsageError('--html outlines a page as fetched now, and --against-history fetches nothing: use one or the other');
  }
  if (options.againstHistory !== undefined && options.url !== undefined) {
    throw new UsageError('--against-history compares a declared terms with its history: give a service ID, not --url');
  }
}

async function runPreview(serviceId: string | undefined, type: string | undefined, options: PreviewOptions, config: Config, io: CliIo): Promise<number> {
  const { service, cleanup } = await previewService(serviceId, options, config);
  const browser = lazyBrowser(() => openBrowser(config));
  try {
    const types = type !== undefined ? [type] : service.termsTypes;
    if (type !== undefined && !service.termsTypes.includes(type)) {
      throw new UsageError(`${service.declarationFile} declares no "${type}" (it declares: ${service.termsTypes.join(', ')})`);
    }
    if (options.againstHistory !== undefined) return await previewAgainstHistory(service, types, options, config, io);
    const results = [];
    for (const termsType of types) {
      for (const document of service.getTerms(termsType).sourceDocuments) {
        const preview = await previewDocument(document, { getBrowser: () => browser.get() }, fetchOptionsOf(config), options.html !== undefined);
        results.push({ termsType, ...preview });
      }
    }
    if (options.html !== undefined) {
      const page = results.find(result => result.annotatedHtml !== undefined);
      if (!page?.annotatedHtml) throw new UsageError('--html: no HTML document to show (PDFs have no page to outline)');
      await writeFile(path.resolve(config.collectionDir, options.html), page.annotatedHtml);
    }
    if (options.json) {
      // the outlined page goes to --html, not into the JSON
      io.out(JSON.stringify(results, (key, value: unknown) => (key === 'annotatedHtml' ? undefined : value), 2));
      return 0;
    }
    for (const result of results) {
      io.out(`# ${service.id} · ${result.termsType} — ${result.location} (${result.mimeType})`);
      io.out(`${plural(result.figures.characters, 'character')}, ${plural(result.figures.headings, 'heading')}, ${plural(result.figures.links, 'link')}`);
      for (const match of result.selectors) io.out(`${match.role} ${match.selector}: ${plural(match.matches, 'match', 'matches')}`);
      if (result.skip) {
        io.out(
          result.skip.matched === undefined
            ? `skip rules: ${String(result.skip.rules)}, none matches this page`
            : `SKIPPED: ${result.skip.matched}: tracking would neither record this page nor extract it`,
        );
      }
      io.out('');
      io.out(result.markdown);
      io.out('');
    }
    if (options.html !== undefined) io.out(`Outlined page written to ${options.html}`);
    return 0;
  } finally {
    await browser.close();
    await cleanup();
  }
}

/** The service to preview: a declared one, or one made from --url/--select/--remove (validated the same way). */
async function previewService(serviceId: string | undefined, options: PreviewOptions, config: Config): Promise<{ service: Service; cleanup: () => Promise<void> }> {
  if (options.url === undefined) {
    if (serviceId === undefined) throw new UsageError('preview: give a service ID, or --url with --select');
    const loaded = await loadDeclarations(config.declarationsDir, { displayRoot: config.collectionDir, termsTypes: TERMS_TYPES, serviceIds: [serviceId] });
    if (loaded.errors.length > 0) throw new UsageError(loaded.errors.map(error => error.message).join('\n'));
    const [service] = loaded.services;
    if (!service) throw new UsageError(`no declaration for the service ID "${serviceId}" in ${config.declarationsDir}`);
    return { service, cleanup: () => Promise.resolve() };
  }
  const folder = await mkdtemp(path.join(os.tmpdir(), 'terms-archive-preview-'));
  const declaration = {
    name: 'Preview',
    terms: {
      'Terms of Service': {
        fetch: options.url,
        ...(options.select && { select: options.select.length === 1 ? options.select[0] : options.select }),
        ...(options.remove && { remove: options.remove.length === 1 ? options.remove[0] : options.remove }),
        ...(options.executeClientScripts && { executeClientScripts: true }),
      },
    },
  };
  await writeFile(path.join(folder, 'Preview.json'), JSON.stringify(declaration));
  const cleanup = (): Promise<void> => rm(folder, { recursive: true, force: true });
  const loaded = await loadDeclarations(folder, { displayRoot: folder });
  const [service] = loaded.services;
  if (!service) {
    await cleanup();
    throw new UsageError(loaded.errors.map(error => asOptionError(error.message)).join('\n'));
  }
  return { service, cleanup };
}

/** A declaration error of the page made from --url, --select and --remove, said in the options' words. */
function asOptionError(message: string): string {
  const options: Record<string, string> = { fetch: '--url', select: '--select', remove: '--remove', executeClientScripts: '--execute-client-scripts' };
  return message.replace(/^Preview\.json › terms\["Terms of Service"\]\.?(\w*)[^:]*:/, (_, field: string) => `${options[field] ?? 'preview'}:`);
}

async function previewAgainstHistory(service: Service, types: readonly string[], options: PreviewOptions, config: Config, io: CliIo): Promise<number> {
  const count = typeof options.againstHistory === 'number' ? options.againstHistory : 5;
  const repositoryOptions = { environment: io.env, isReadOnly: true };
  const repositories = {
    snapshots: await openSnapshots({ ...repositoryOptions, directory: config.snapshotsDir }),
    versions: await openVersions({ ...repositoryOptions, directory: config.versionsDir }),
  };
  try {
    return await compareAll(service, types, count, repositories, options, io);
  } finally {
    await Promise.all([repositories.snapshots.close(), repositories.versions.close()]);
  }
}

async function compareAll(
  service: Service,
  types: readonly string[],
  count: number,
  repositories: Parameters<typeof compareWithHistory>[1],
  options: PreviewOptions,
  io: CliIo,
): Promise<number> {
  const all = [];
  for (const termsType of types) {
    const comparisons = await compareWithHistory(service.getTerms(termsType), repositories, count);
    all.push({ termsType, comparisons });
    if (options.json) continue;
    io.out(`# ${service.id} · ${termsType}: the last ${plural(comparisons.length, 'snapshot')} extracted with the declaration as it is now`);
    for (const comparison of comparisons) {
      const header = `## snapshot ${comparison.snapshotId.slice(0, 12)} of ${comparison.fetchDate.toISOString()}, against version ${comparison.versionId?.slice(0, 12) ?? '(none)'}`;
      if (comparison.error) io.out(`${header}: cannot be extracted: ${comparison.error}`);
      else if (comparison.diff === '') io.out(`${header}: no change`);
      else io.out(`${header}: would change\n${comparison.diff}`);
    }
  }
  if (options.json) io.out(JSON.stringify(all, null, 2));
  return 0;
}
