// The researchers' questions across the archive and through time: `search` (which terms say this, when, how many),
// `trace` (in which periods a terms held a passage) and `blame` (which version brought each paragraph).
import { type Command, Option } from 'commander';

import {
  type BlamedParagraph,
  csvOf,
  GROUPS,
  type HistoryIndex,
  LABEL_TITLES,
  type Period,
  parseIsoDate,
  runSearch,
  type SearchHit,
  type SearchResult,
  SearchSyntaxError,
  seriesChart,
  STEPS,
  type VersionRef,
} from '../../publish/index.js';
import { UsageError } from '../errors.js';
import { columns, plural } from '../format.js';
import { CYAN, painter } from '../diff-output.js';
import { closestName } from '../selection.js';
import type { CliIo } from '../setup.js';
import { helpPage } from './help.js';
import { withHistory } from './history.js';

const FORMATS = ['text', 'json', 'csv', 'svg'] as const;
type Format = (typeof FORMATS)[number];
const YELLOW_BOLD = '\u001b[1;33m';

function dateOption(text: string | undefined, option: string): Date | undefined {
  if (text === undefined) return undefined;
  const date = parseIsoDate(text);
  if (!date) throw new UsageError(`${option}: "${text}" is not an ISO 8601 date that exists (e.g. 2024-01-31 or 2024-01-31T12:00:00Z)`);
  return date;
}

/** Service IDs and terms types must be in the archive: a typo is told, with what was meant. */
function checkNames(index: HistoryIndex, serviceIds: readonly string[] | undefined, termsTypes: readonly string[] | undefined): void {
  const terms = index.passages.terms();
  const services = [...new Set(terms.map(entry => entry.serviceId))];
  const types = [...new Set(terms.map(entry => entry.termsType))];
  for (const [names, known, option, what] of [[serviceIds, services, '--services', 'a service of the archive'], [termsTypes, types, '--types', 'a terms type of the archive']] as const) {
    for (const name of names ?? []) {
      if (known.includes(name)) continue;
      const meant = closestName(name, known);
      throw new UsageError(`${option}: "${name}" is not ${what}${meant === undefined ? '' : ` (did you mean "${meant}"?)`}`);
    }
  }
}

const day = (version: VersionRef): string => version.fetchDate.slice(0, 10);
const short = (version: VersionRef): string => version.id.slice(0, 10);

/** A snippet with its matches shown: in colour on a terminal, else between « and ». */
function marked(hit: SearchHit, isTerminal: boolean): string {
  let text = '';
  let at = 0;
  for (const [start, end] of hit.highlights) {
    const match = hit.snippet.slice(start, end);
    text += hit.snippet.slice(at, start) + (isTerminal ? `${YELLOW_BOLD}${match}\u001b[0m` : `«${match}»`);
    at = end;
  }
  return (text + hit.snippet.slice(at)).replace(/\s*\n\s*/g, ' ');
}

function printSearch(io: CliIo, result: SearchResult, format: Format, title: string): void {
  if (format === 'svg') {
    if (result.kind !== 'series') throw new UsageError(`--format svg: a chart is of a count over time: add --by ${STEPS.join('|')}`);
    io.write(seriesChart(result.rows, title));
    return;
  }
  if (format === 'json') {
    io.out(JSON.stringify(result, null, 2));
    return;
  }
  if (result.kind === 'series') {
    if (format === 'csv') io.write(csvOf(['period', 'at', 'terms', 'services'], result.rows.map(row => [row.period, row.at, row.terms, row.services])));
    else for (const line of columns([['period', 'terms', 'services'], ...result.rows.map(row => [row.period, String(row.terms), String(row.services)])])) io.out(line);
    return;
  }
  if (result.kind === 'groups') {
    const other = result.by === 'service' ? 'types' : 'services';
    if (format === 'csv') io.write(csvOf([result.by, 'terms', 'matches', other], result.groups.map(group => [group.key, group.terms, group.matches, group.members.join('; ')])));
    else for (const line of columns([[result.by, 'terms', 'matches', other], ...result.groups.map(group => [group.key, String(group.terms), String(group.matches), group.members.join(', ')])])) io.out(line);
    return;
  }
  if (format === 'csv') {
    io.write(csvOf(['service', 'terms_type', 'version_id', 'fetch_date', 'until_version_id', 'until_date', 'matches', 'snippet'], result.hits.map(hit => [
      hit.serviceId, hit.termsType, hit.version.id, hit.version.fetchDate, hit.until?.id, hit.until?.fetchDate, hit.matches, hit.snippet,
    ])));
    return;
  }
  const paint = painter(io.isOutputTerminal === true);
  if (result.hits.length === 0) {
    io.out('No terms match.');
    return;
  }
  for (const hit of result.hits) {
    const when = hit.until === undefined ? `${day(hit.version)} ${short(hit.version)}` : `${day(hit.version)} → ${hit.until ? day(hit.until) : 'now'}  ${short(hit.version)}`;
    io.out(paint(CYAN, `${hit.serviceId} · ${hit.termsType}  ${when}  ${plural(hit.matches, 'paragraph')}`));
    io.out(`  ${marked(hit, io.isOutputTerminal === true)}`);
  }
  io.out(`${plural(new Set(result.hits.map(hit => `${hit.serviceId}\u0000${hit.termsType}`)).size, 'terms', 'terms')} of ${plural(new Set(result.hits.map(hit => hit.serviceId)).size, 'service')}`);
}

interface SearchOptions {
  services?: string[];
  types?: string[];
  at?: string;
  from?: string;
  to?: string;
  all?: boolean;
  by?: (typeof GROUPS)[number] | (typeof STEPS)[number];
  format: Format;
}

function periodLine(period: Period): string[] {
  return [
    `${period.from.fetchDate.slice(0, 19)}Z`,
    short(period.from),
    LABEL_TITLES[period.from.label],
    period.until ? `removed ${period.until.fetchDate.slice(0, 19)}Z` : 'still present',
    period.until ? `${short(period.until)} ${LABEL_TITLES[period.until.label]}` : '',
  ];
}

function blameLines(paragraphs: readonly BlamedParagraph[]): string[] {
  return columns(paragraphs.map(paragraph => {
    const [first = ''] = paragraph.text.split('\n');
    return [
      paragraph.since ? short(paragraph.since) : '?'.repeat(10),
      paragraph.since ? day(paragraph.since) : '(not indexed)',
      paragraph.since ? LABEL_TITLES[paragraph.since.label] : '',
      first.length > 90 ? `${first.slice(0, 89)}…` : first,
    ];
  }), '  ');
}

export function registerResearchCommands(program: Command, io: CliIo): void {
  const search = program
    .command('search')
    .description('find a text in the versions in force (latest by default) or over all history: the terms, versions and snippets')
    .argument('<query>', 'words, "a phrase", prefix*, AND / OR / NOT, NEAR(a b, 5): within one paragraph')
    .option('--services <serviceIds...>', 'only these service IDs')
    .option('--types <types...>', 'only these terms types')
    .addOption(new Option('--at <date>', 'the versions in force at this date (ISO 8601)').conflicts(['all', 'from', 'to']))
    .option('--all', 'over all history: each period in which a terms matched')
    .option('--from <date>', 'over history from this date (with --by day|month|year: the first period)')
    .option('--to <date>', 'over history up to this date (with --by day|month|year: the last period)')
    .addOption(new Option('--by <what>', 'sum up per service or terms type, or count the terms matching at the end of each period').choices([...GROUPS, ...STEPS]))
    .addOption(new Option('--format <format>', 'text, json, csv, or svg (a chart, with --by day|month|year)').choices(FORMATS).default('text'))
    .action(async (query: string, options: SearchOptions, command: Command) => {
      await withHistory(command, io, ({ index }) => {
        checkNames(index, options.services, options.types);
        const at = dateOption(options.at, '--at');
        const from = dateOption(options.from, '--from');
        const to = dateOption(options.to, '--to');
        if (from && to && from > to) throw new UsageError(`--from (${options.from ?? ''}) is after --to (${options.to ?? ''}): swap them`);
        const history = options.all === true || from !== undefined || to !== undefined ? { from, to } : undefined;
        let result: SearchResult;
        try {
          result = runSearch(index, { text: query, serviceIds: options.services, termsTypes: options.types, at, history, by: options.by, from, to });
        } catch (error) {
          if (error instanceof SearchSyntaxError || error instanceof RangeError) throw new UsageError(`<query>: ${error.message}`);
          throw error;
        }
        const scope = options.types?.length === 1 ? `${options.types[0] ?? ''}s` : 'terms';
        printSearch(io, result, options.format, `${scope} matching ${query}`);
        return Promise.resolve();
      });
    });
  helpPage(search, 'commands.md#search');

  const trace = program
    .command('trace')
    .description('the periods in which a terms held a passage: the version that brought it, each removal and return')
    .argument('<service>', 'service ID')
    .argument('<type>', 'terms type')
    .argument('<text>', 'the passage: its words in order (case, accents and punctuation ignored); paragraphs separated by a blank line')
    .option('--json', 'the periods as JSON')
    .action(async (serviceId: string, type: string, text: string, options: { json?: boolean }, command: Command) => {
      await withHistory(command, io, ({ index }) => {
        if (!index.latest(serviceId, type)) throw new UsageError(`no version recorded for ${serviceId} ${type}`);
        const periods = index.passages.trace(serviceId, type, text);
        if (periods === undefined) throw new UsageError('<text>: the passage has no words to look for');
        if (options.json) io.out(JSON.stringify(periods, null, 2));
        else if (periods.length === 0) io.out(`${serviceId} ${type} never held this passage.`);
        else for (const line of columns(periods.map(periodLine))) io.out(line.trimEnd());
        return Promise.resolve();
      });
    });
  helpPage(trace, 'commands.md#trace');

  const blame = program
    .command('blame')
    .description('each paragraph of a version with the version that brought it (technical upgrades skipped)')
    .argument('<service>', 'service ID')
    .argument('<type>', 'terms type')
    .option('--at <dateOrId>', 'the version in force at this date, or with this commit id (default: the latest)')
    .option('--json', 'one JSON object per paragraph')
    .action(async (serviceId: string, type: string, options: { at?: string; json?: boolean }, command: Command) => {
      await withHistory(command, io, async ({ index, versions }) => {
        let version;
        try {
          version = options.at === undefined ? index.latest(serviceId, type) : index.resolve(serviceId, type, options.at);
        } catch (error) {
          throw new UsageError(`--at: ${(error as Error).message}`);
        }
        if (!version) throw new UsageError(`no version of ${serviceId} ${type}${options.at === undefined ? '' : ` at or before ${options.at}`}`);
        const content = (await versions.read(version.id, serviceId, type)) ?? '';
        const paragraphs = index.passages.blame(serviceId, type, version.id, content);
        if (options.json) {
          for (const paragraph of paragraphs) io.out(JSON.stringify(paragraph));
          return;
        }
        const paint = painter(io.isOutputTerminal === true);
        io.out(paint(CYAN, `${serviceId} · ${type}: ${version.id.slice(0, 10)} (${version.fetchDate})`));
        for (const line of blameLines(paragraphs)) io.out(line);
      });
    });
  helpPage(blame, 'commands.md#blame');
}
