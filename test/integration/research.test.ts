// search, trace and blame, as commands and as API routes, on a git versions repository holding three services'
// histories over three years (recorded with their dates, as tracking records them).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli } from '../../src/cli/run.js';
import { openVersions } from '../../src/record/index.js';
import { type RunningServe, startServe } from '../helpers/serve.js';
import { captureIo } from '../helpers/silent.js';
import { makeTempDir } from '../helpers/temp-dir.js';

let dir: string;
let cleanup: () => Promise<void>;
let server: RunningServe;
let api = '';

const AI = 'We may use your content to train artificial intelligence models.';
const ARBITRATION = 'Any dispute will be settled by binding arbitration.';
const intro = (name: string): string => `# ${name} Privacy Policy\n\nWe collect the data you give us.\n\nYou can ask us to delete it.`;

/** [service, day, content, technical upgrade] in the order they are recorded. */
const HISTORY: [string, string, string, boolean?][] = [
  ['Acme', '2022-03-01', intro('Acme')],
  ['Beta', '2022-06-01', intro('Beta')],
  ['Gamma', '2022-06-15', `${intro('Gamma')}\n\n${AI}`],
  ['Acme', '2023-02-10', `${intro('Acme')}\n\n${AI}`],
  ['Acme', '2023-09-01', `${intro('Acme')}\n\n${AI}\n\n${ARBITRATION}`],
  ['Beta', '2024-01-20', `${intro('Beta')}\n\n${AI}`],
  ['Acme', '2024-02-01', `${intro('Acme')}\n\n${ARBITRATION}`],
  // an engine upgrade writes every paragraph again, escaped: blame skips it
  ['Acme', '2024-03-01', `${intro('Acme').replace('# Acme', '\\# Acme')}\n\n${ARBITRATION.replace('.', '\\.')}`, true],
  ['Acme', '2024-05-01', `${intro('Acme').replace('# Acme', '\\# Acme')}\n\n${AI}\n\n${ARBITRATION.replace('.', '\\.')}`],
];

beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir());
  await mkdir(path.join(dir, 'declarations'));
  for (const name of ['Acme', 'Beta', 'Gamma']) {
    await writeFile(path.join(dir, 'declarations', `${name}.json`), JSON.stringify({ name, terms: { 'Privacy Policy': { fetch: `https://${name.toLowerCase()}.example/privacy`, select: 'main' } } }));
  }
  const versions = await openVersions({ directory: path.join(dir, 'versions-repo'), environment: { PATH: process.env.PATH, HOME: process.env.HOME } });
  for (const [serviceId, day, content, isTechnicalUpgrade] of HISTORY) {
    await versions.record({ serviceId, termsType: 'Privacy Policy', fetchDate: new Date(`${day}T10:00:00Z`), content: `${content}\n`, snapshotIds: ['0123456789abcdef0123456789abcdef01234567'], isTechnicalUpgrade: isTechnicalUpgrade === true, metadata: {} });
  }
  await versions.close();
  server = await startServe(dir, ['--no-access-log']);
  ({ api } = server);
}, 30_000);
afterAll(async () => {
  expect(await server.stop()).toBe(0);
  await cleanup();
});

async function cli(...args: string[]): Promise<{ code: number; output: string[]; written: string; errors: string }> {
  const io = captureIo(dir);
  const code = await runCli(args, io);
  return { code, output: io.output, written: io.written.join(''), errors: io.errors.join('\n') };
}

describe('search, trace and blame', { timeout: 30_000 }, () => {
  it('searches the versions in force now, at a date, and over history', async () => {
    const now = await cli('search', '"artificial intelligence"');
    expect(now.code).toBe(0);
    expect(now.output.filter(line => line.includes(' · '))).toEqual([
      expect.stringMatching(/^Acme · Privacy Policy {2}2024-05-01 [0-9a-f]{10} {2}1 paragraph$/),
      expect.stringMatching(/^Beta · Privacy Policy {2}2024-01-20 /),
      expect.stringMatching(/^Gamma · Privacy Policy {2}2022-06-15 /),
    ]);
    expect(now.output).toContain(`  ${AI.replace('artificial intelligence', '«artificial intelligence»')}`);
    expect(now.output.at(-1)).toBe('3 terms of 3 services');

    const in2023 = await cli('search', 'train*', '--at', '2023-06-01');
    expect(in2023.output.filter(line => line.includes(' · ')).map(line => line.split(' · ')[0])).toEqual(['Acme', 'Gamma']);
    const arbitrationOrAi = await cli('search', 'arbitration NOT intelligence', '--at', '2024-02-15', '--format', 'json');
    const parsed = JSON.parse(arbitrationOrAi.output.join('\n')) as { kind: string; hits: { serviceId: string; version: { fetchDate: string } }[] };
    expect(parsed.kind).toBe('hits');
    expect(parsed.hits.map(hit => [hit.serviceId, hit.version.fetchDate])).toEqual([['Acme', '2024-02-01T10:00:00.000Z']]);

    const history = await cli('search', 'artificial', '--services', 'Acme', '--all', '--format', 'csv');
    expect(history.written.split('\r\n').slice(0, 3).map(line => line.split(',').slice(0, 6).join(','))).toEqual([
      'service,terms_type,version_id,fetch_date,until_version_id,until_date',
      expect.stringMatching(/^Acme,Privacy Policy,[0-9a-f]{40},2023-02-10T10:00:00.000Z,[0-9a-f]{40},2024-02-01T10:00:00.000Z$/),
      expect.stringMatching(/^Acme,Privacy Policy,[0-9a-f]{40},2024-05-01T10:00:00.000Z,,$/),
    ]);
  });

  it('counts per service and per year, as CSV and as an SVG chart', async () => {
    const perService = await cli('search', 'data', '--by', 'service', '--format', 'csv');
    expect(perService.written).toBe('service,terms,matches,types\r\nAcme,1,1,Privacy Policy\r\nBeta,1,1,Privacy Policy\r\nGamma,1,1,Privacy Policy\r\n');
    const perYear = await cli('search', '"artificial intelligence"', '--by', 'year', '--from', '2021-01-01', '--to', '2024-12-31', '--format', 'csv');
    // at the end of 2022 Gamma; of 2023 Acme and Gamma; of 2024 all three (Acme's was away from February to May)
    expect(perYear.written).toBe('period,at,terms,services\r\n2021,2021-12-31T23:59:59.999Z,0,0\r\n2022,2022-12-31T23:59:59.999Z,1,1\r\n2023,2023-12-31T23:59:59.999Z,2,2\r\n2024,2024-12-31T00:00:00.000Z,3,3\r\n');
    const chart = await cli('search', '"artificial intelligence"', '--by', 'month', '--from', '2022-01-01', '--to', '2024-06-30', '--format', 'svg');
    expect(chart.code).toBe(0);
    expect(chart.written).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(chart.written.match(/<rect x=/g)).toHaveLength(30);
    expect(chart.written).toContain('<title>2024-03: 2 terms, 2 services</title>');
    const notOverTime = await cli('search', 'data', '--format', 'svg');
    expect(notOverTime.code).toBe(2);
    expect(notOverTime.errors).toContain('--format svg: a chart is of a count over time');
  });

  it('refuses an unreadable query, an unknown service and a date that does not exist, saying why', async () => {
    const unreadable = await cli('search', '"unclosed');
    expect(unreadable.code).toBe(2);
    expect(unreadable.errors).toMatch(/<query>: the query cannot be read/);
    const typo = await cli('search', 'data', '--services', 'acme');
    expect(typo.code).toBe(2);
    expect(typo.errors).toContain('--services: "acme" is not a service of the archive (did you mean "Acme"?)');
    const date = await cli('search', 'data', '--at', '2023-02-30');
    expect(date.errors).toContain('--at: "2023-02-30" is not an ISO 8601 date that exists');
  });

  it('traces a passage through its removal and return', async () => {
    const trace = await cli('trace', 'Acme', 'Privacy Policy', 'use your content to train artificial intelligence');
    expect(trace.code).toBe(0);
    expect(trace.output).toEqual([
      expect.stringMatching(/^2023-02-10T10:00:00Z {2}[0-9a-f]{10} {2}Substantive {2}removed 2024-02-01T10:00:00Z {2}[0-9a-f]{10} Substantive$/),
      expect.stringMatching(/^2024-05-01T10:00:00Z {2}[0-9a-f]{10} {2}Substantive {2}still present$/),
    ]);
    const never = await cli('trace', 'Beta', 'Privacy Policy', ARBITRATION);
    expect(never.output).toEqual(['Beta Privacy Policy never held this passage.']);
  });

  it('blames each paragraph on the version that brought it, skipping the technical upgrade', async () => {
    const blame = await cli('blame', 'Acme', 'Privacy Policy', '--json');
    const paragraphs = blame.output.map(line => JSON.parse(line) as { text: string; since: { fetchDate: string } });
    expect(paragraphs.map(paragraph => [paragraph.text.slice(0, 20), paragraph.since.fetchDate.slice(0, 10)])).toEqual([
      ['\\# Acme Privacy Poli', '2022-03-01'],
      ['We collect the data ', '2022-03-01'],
      ['You can ask us to de', '2022-03-01'],
      ['We may use your cont', '2024-05-01'],
      ['Any dispute will be ', '2023-09-01'],
    ]);
    const older = await cli('blame', 'Acme', 'Privacy Policy', '--at', '2023-12-31');
    expect(older.output.slice(1).map(line => line.slice(12, 22))).toEqual(['2022-03-01', '2022-03-01', '2022-03-01', '2023-02-10', '2023-09-01']);
  });

  it('answers the same questions from the API', async () => {
    const get = async (route: string): Promise<{ status: number; body: Record<string, unknown> }> => {
      const response = await fetch(`${api}${route}`);
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const search = await get('/search?q=%22artificial%20intelligence%22&at=2023-06-01');
    expect(search.status).toBe(200);
    expect(search.body).toMatchObject({ kind: 'hits', total: 2, hits: [{ serviceId: 'Acme', snippet: AI, highlights: [[AI.indexOf('artificial'), AI.indexOf(' models')]] }, { serviceId: 'Gamma' }] });
    expect((await get('/search?q=data&by=service&types=Privacy%20Policy')).body).toMatchObject({ kind: 'groups', by: 'service', groups: [{ key: 'Acme', terms: 1 }, { key: 'Beta' }, { key: 'Gamma' }] });
    expect((await get('/search?q=artificial&by=year&from=2022-01-01&to=2023-12-31')).body).toMatchObject({ kind: 'series', rows: [{ period: '2022', terms: 1 }, { period: '2023', terms: 2 }] });
    expect((await get('/search?q=%22open')).status).toBe(400);
    expect((await get('/search')).body).toEqual({ error: '"q" is required: words, "a phrase", prefix*, AND / OR / NOT' });
    expect((await get('/search?q=data&services=Nobody')).status).toBe(404);
    expect((await get('/search?q=data&at=2024-01-01&all=true')).status).toBe(400);

    const trace = await get(`/trace/Acme/Privacy%20Policy?text=${encodeURIComponent('binding arbitration')}`);
    expect((trace.body.periods as { from: { fetchDate: string }; until: unknown }[]).map(period => [period.from.fetchDate.slice(0, 10), period.until])).toEqual([['2023-09-01', null]]);
    expect((await get('/trace/Nobody/Privacy%20Policy?text=x')).status).toBe(404);
    const blame = await get('/blame/Acme/Privacy%20Policy?at=2023-03-01');
    expect((blame.body.paragraphs as { since: { fetchDate: string } }[]).map(paragraph => paragraph.since.fetchDate.slice(0, 10))).toEqual(['2022-03-01', '2022-03-01', '2022-03-01', '2023-02-10']);
    expect((await get('/blame/Acme/Privacy%20Policy?at=yesterday')).status).toBe(400);
  });
});
