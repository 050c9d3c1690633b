// The contributors' commands: `validate`, `lint`, `schema`, and `preview` (in preview.ts).
import path from 'node:path';

import type { Command } from 'commander';

import { formatReport, initCollection, InitError, lintDeclarations, modifiedDeclarations, validateCollection, validateMetadata } from '../../contribute/index.js';
import { listServiceIds, loadDeclarations, publishedSchema } from '../../declarations/index.js';
import { lazyBrowser } from '../../fetch/index.js';
import { UnknownBaseError } from '../../record/index.js';
import type { Config } from '../config.js';
import { UsageError } from '../errors.js';
import { plural } from '../format.js';
import { checkSelection } from '../selection.js';
import { type CliIo, fetchOptionsOf, openBrowser } from '../setup.js';
import { ENGINE_VERSION } from '../version.js';
import { registerPreviewCommand } from './preview.js';
import { configOf } from './global-options.js';
import { helpPage } from './help.js';

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

export function registerContributeCommands(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  const init = program
    .command('init')
    .description('make a new collection: declarations/, metadata.yml, config, package.json, .gitignore, a CI workflow')
    .argument('[dir]', 'the folder (default: the current one; created when missing)')
    .option('--id <id>', "the collection's ID (default: from the folder's name)")
    .option('--name <name>', "the collection's display name (default: from the ID)")
    .action(async (dir: string | undefined, options: { id?: string; name?: string }) => {
      const directory = path.resolve(io.cwd, dir ?? '.');
      let written: string[];
      try {
        written = await initCollection(directory, { id: options.id, name: options.name, toolVersion: ENGINE_VERSION });
      } catch (error) {
        if (error instanceof InitError) throw new UsageError(error.message);
        throw error;
      }
      for (const file of written) io.out(`created ${path.join(path.relative(io.cwd, directory) || '.', file)}`);
      io.out('Next: add a declaration in declarations/, check it with "terms-archive validate", then "terms-archive track".');
    });
  helpPage(init, 'commands.md#init');

  const validate = program
    .command('validate')
    .description('check declarations: schema and rules, then fetch each terms twice and check what it extracts')
    .argument('[scope]', '"metadata": check metadata.yml against OTA\'s schema instead')
    .option('--services <serviceIds...>', 'only these service IDs')
    .option('--types <termsTypes...>', 'only these terms types')
    .option('--schema-only', 'static checks only: fetch nothing')
    .option('--modified [base]', 'only the services whose files changed since a git base (default: the upstream branch)')
    .option('--json', 'print the report as JSON')
    .action(async (scope: string | undefined, options: ValidateOptions, command: Command) => {
      if (scope !== undefined && scope !== 'metadata') throw new UsageError(`validate: unknown scope "${scope}" (the only one is "metadata")`);
      const config = await configOf(command, io);
      setExitCode(scope === 'metadata' ? await runValidateMetadata(config, io) : await runValidate(options, config, io));
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

  registerPreviewCommand(program, io, setExitCode);
}

/** Filters are code that tracking runs: a change to one is said first, so that reviewers read it. */
function filterNotice(files: readonly string[], config: Config): string[] {
  return files.map(file => `! review   ${path.relative(config.collectionDir, path.join(config.declarationsDir, file))} changed: filters are code that tracking runs with its rights; read it before merging`);
}

async function runValidate(options: ValidateOptions, config: Config, io: CliIo): Promise<number> {
  let serviceIds = options.services;
  let changedFilters: readonly string[] = [];
  if (options.modified !== undefined) {
    try {
      const modified = await modifiedDeclarations(config.declarationsDir, typeof options.modified === 'string' ? options.modified : undefined, io.env);
      const existing = await listServiceIds(config.declarationsDir);
      serviceIds = modified.serviceIds.filter(id => existing.includes(id) && (!options.services || options.services.includes(id)));
      changedFilters = modified.filterFiles;
    } catch (error) {
      if (error instanceof UnknownBaseError) throw new UsageError(`--modified: ${error.message}`);
      throw error;
    }
    if (!options.json) for (const line of filterNotice(changedFilters, config)) io.out(line);
    if (serviceIds.length === 0) {
      io.out(options.json ? JSON.stringify({ services: 0, findings: [], terms: [], errors: 0, warnings: 0, changedFilters }) : 'No declaration changed.');
      return 0;
    }
  }
  if (options.services !== undefined || options.types !== undefined) {
    const loaded = await loadDeclarations(config.declarationsDir, { displayRoot: config.collectionDir, areFiltersRun: false });
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
    io.out(options.json ? JSON.stringify({ ...report, ...(options.modified !== undefined && { changedFilters }) }, null, 2) : formatReport(report));
    return report.errors > 0 ? 1 : 0;
  } finally {
    await browser.close();
  }
}

async function runValidateMetadata(config: Config, io: CliIo): Promise<number> {
  const { file, issues } = await validateMetadata(config.collectionDir);
  const shown = path.relative(config.collectionDir, file);
  if (issues === undefined) {
    io.out(`✗ ${shown}: missing (OTA's collections describe themselves there; "terms-archive init" writes one)`);
    return 1;
  }
  for (const issue of issues) io.out(`✗ ${shown}${issue.path ? ` › ${issue.path}` : ''}: ${issue.message}`);
  io.out(issues.length === 0 ? `✓ ${shown}: valid against OTA's metadata schema` : `${plural(issues.length, 'problem')} in ${shown}`);
  return issues.length === 0 ? 0 : 1;
}

async function runLint(options: LintOptions, config: Config, io: CliIo): Promise<number> {
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
