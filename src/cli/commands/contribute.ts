// The contributors' commands: `validate`, `lint` and `preview` (with `--against-history`).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import type { Command } from 'commander';

import { compareWithHistory, formatReport, lintDeclarations, modifiedServiceIds, previewDocument, validateCollection } from '../../contribute/index.js';
import { listServiceIds, loadDeclarations, publishedSchema, type Service, TERMS_TYPES } from '../../declarations/index.js';
import { lazyBrowser } from '../../fetch/index.js';
import { openSnapshots, openVersions, UnknownBaseError } from '../../record/index.js';
import type { Config } from '../config.js';
import { UsageError } from '../errors.js';
import { plural } from '../format.js';
import { checkSelection } from '../selection.js';
import { type CliContext, fetchOptionsOf, openBrowser } from '../setup.js';
import { configOf } from './global-options.js';
import { helpPage } from './help.js';
import { wholeNumberOption } from './whole-number-option.js';

type Io = CliContext & { readonly write: (text: string) => void };

interface ValidateOptions {
  readonly services?: string[];
  readonly types?: string[];
  readonly schemaOnly?: boolean;
  readonly modified?: string | boolean;
  readonly json?: boolean;
}

interface LintOptions {
  readonly services?: string[];
  readonly fix?: boolean;
}

interface PreviewOptions {
  readonly url?: string;
  readonly select?: string[];
  readonly remove?: string[];
  readonly executeClientScripts?: boolean;
  readonly html?: string;
  readonly againstHistory?: number | boolean;
  readonly json?: boolean;
}

export function registerContributeCommands(program: Command, io: Io, setExitCode: (code: number) => void): void {
  const validate = program
    .command('validate')
    .description('check declarations: schema and rules, then fetch each terms twice and check what it extracts')
    .option('--services <serviceIds...>', 'only these service IDs')
    .option('--types <termsTypes...>', 'only these terms types')
    .option('--schema-only', 'static checks only: fetch nothing')
    .option('--modified [base]', 'only the services whose files changed since a git base (default: the upstream branch)')
    .option('--json', 'print the report as JSON')
    .action(async (options: ValidateOptions, command: Command) => {
      setExitCode(await runValidate(options, await configOf(command, io), io));
    });
  helpPage(validate, 'commands.md#validate');

  const lint = program
    .command('lint')
    .description('check that declaration files are in canonical form (key order, 2-space indentation, final newline)')
    .option('--services <serviceIds...>', 'only these service IDs')
    .option('--fix', 'rewrite the files that are not')
    .action(async (options: LintOptions, command: Command) => {
      setExitCode(await runLint(options, await configOf(command, io), io));
    });
  helpPage(lint, 'commands.md#lint');

  const schema = program
    .command('schema')
    .description('print the JSON Schema of declaration files (or of history files), for editors and other tools')
    .option('--history', 'the schema of <Service ID>.history.json files')
    .action((options: { history?: boolean }) => {
      io.write(`${JSON.stringify(publishedSchema(options.history ? 'history' : 'declaration'), null, 2)}\n`);
    });
  helpPage(schema, 'declarations.md');

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

async function runValidate(options: ValidateOptions, config: Config, io: Io): Promise<number> {
  let serviceIds = options.services;
  if (options.modified !== undefined) {
    try {
      const modified = await modifiedServiceIds(config.declarationsDir, typeof options.modified === 'string' ? options.modified : undefined, io.env);
      const existing = await listServiceIds(config.declarationsDir);
      serviceIds = modified.filter(id => existing.includes(id) && (!options.services || options.services.includes(id)));
    } catch (error) {
      if (error instanceof UnknownBaseError) throw new UsageError(`--modified: ${error.message}`);
      throw error;
    }
    if (serviceIds.length === 0) {
      io.out(options.json ? JSON.stringify({ services: 0, findings: [], terms: [], errors: 0, warnings: 0 }) : 'No declaration changed.');
      return 0;
    }
  }
  if (options.services !== undefined || options.types !== undefined) {
    const loaded = await loadDeclarations(config.declarationsDir, { displayRoot: config.collectionDir });
    const loadedIds = new Set(loaded.services.map(service => service.id));
    checkSelection(loaded.services, { serviceIds: options.services, termsTypes: options.types }, (await listServiceIds(config.declarationsDir)).filter(id => !loadedIds.has(id)));
  }
  const browser = lazyBrowser(() => openBrowser(config));
  try {
    const report = await validateCollection({
      declarationsDir: config.declarationsDir,
      displayRoot: config.collectionDir,
      serviceIds,
      termsTypes: options.types,
      schemaOnly: options.schemaOnly === true,
      fetchOptions: fetchOptionsOf(config),
      fetchDependencies: { getBrowser: () => browser.get() },
    });
    io.out(options.json ? JSON.stringify(report, null, 2) : formatReport(report));
    return report.errors > 0 ? 1 : 0;
  } finally {
    await browser.close();
  }
}

async function runLint(options: LintOptions, config: Config, io: Io): Promise<number> {
  const results = await lintDeclarations({ declarationsDir: config.declarationsDir, displayRoot: config.collectionDir, serviceIds: options.services, fix: options.fix === true });
  for (const result of results) {
    if (result.status === 'needs-formatting') io.out(`✗ ${result.file}: not in canonical form (run lint --fix)`);
    if (result.status === 'reformatted') io.out(`✓ ${result.file}: reformatted`);
    if (result.status === 'unreadable') io.out(`✗ ${result.file}: ${result.reason ?? 'unreadable'}`);
  }
  const failing = results.filter(result => result.status === 'needs-formatting' || result.status === 'unreadable').length;
  io.out(`${plural(results.length, 'file')}: ${failing === 0 ? 'all canonical' : `${failing} to fix`}`);
  return failing > 0 ? 1 : 0;
}

async function runPreview(serviceId: string | undefined, type: string | undefined, options: PreviewOptions, config: Config, io: Io): Promise<number> {
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

async function previewAgainstHistory(service: Service, types: readonly string[], options: PreviewOptions, config: Config, io: Io): Promise<number> {
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
  io: Io,
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
