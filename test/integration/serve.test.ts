// `serve` as it runs beside tracking for months: declarations, metadata and versions added while it runs are taken
// in without a restart; bad parameters get a short JSON answer; the read API answers browsers of other origins; each
// request is a line of the access log.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli } from '../../src/cli/run.js';
import { html, startServer, type TestServer } from '../helpers/http-server.js';
import { type RunningServe, startServe } from '../helpers/serve.js';
import { captureIo } from '../helpers/silent.js';
import { makeTempDir } from '../helpers/temp-dir.js';

let site: TestServer;
let dir: string;
let cleanup: () => Promise<void>;
let server: RunningServe;
let io: RunningServe['io'];
let api = '';

const PAGE = (name: string): string => html(`<main><h1>${name} terms</h1><p>The terms of the service, with words enough to be read as terms.</p></main>`);

beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir());
  site = await startServer();
  site.route('/acme', { body: PAGE('Acme') });
  site.route('/beta', { body: PAGE('Beta') });
  await mkdir(path.join(dir, 'declarations'));
  await writeFile(path.join(dir, 'declarations', 'Acme.json'), JSON.stringify({ name: 'Acme', terms: { 'Terms of Service': { fetch: site.url('/acme'), select: 'main' } } }));
  await writeFile(path.join(dir, 'metadata.yml'), 'id: demo\nname: Demo collection\n');
  expect(await runCli(['track'], captureIo(dir))).toBe(0);
  server = await startServe(dir, ['--refresh', '1']);
  ({ io, api } = server);
}, 30_000);
afterAll(async () => {
  expect(await server.stop()).toBe(0);
  await site.close();
  await cleanup();
});

const get = (route: string, init?: RequestInit): Promise<Response> => fetch(`${api}${route}`, init);

describe('serve', { timeout: 30_000 }, () => {
  it('takes in a service, its versions and a new collection name while it runs', async () => {
    expect(await (await get('/services')).json()).toEqual([{ id: 'Acme', name: 'Acme', terms: [{ type: 'Terms of Service' }] }]);
    expect((await get('/feed/Beta')).status).toBe(404);
    await writeFile(path.join(dir, 'declarations', 'Beta.json'), JSON.stringify({ name: 'Beta', terms: { 'Privacy Policy': { fetch: site.url('/beta'), select: 'main' } } }));
    await writeFile(path.join(dir, 'metadata.yml'), 'id: demo\nname: Renamed collection\n');
    expect(await runCli(['track', '--services', 'Beta'], captureIo(dir))).toBe(0);
    await expect.poll(async () => ((await (await get('/services')).json()) as { id: string }[]).map(service => service.id), { timeout: 10_000 }).toEqual(['Acme', 'Beta']);
    await expect.poll(async () => (await (await get('/feed/Beta/Privacy%20Policy')).text()).includes('<entry>'), { timeout: 10_000 }).toBe(true);
    expect(await (await get('/feed/Beta/Privacy%20Policy')).text()).toContain('<title>Beta Privacy Policy — Renamed collection</title>');
    expect(io.output).toContain('Collection reloaded: 2 services');
  });

  it('refuses impossible dates and unknown booleans in a short JSON answer', async () => {
    const impossible = await get('/version/Acme/Terms%20of%20Service/2026-02-30');
    expect([impossible.status, await impossible.json()]).toEqual([400, { error: 'Invalid date "2026-02-30": expected an ISO 8601 date that exists, e.g. 2024-01-31T12:00:00Z' }]);
    const diff = await get('/diff/Acme/Terms%20of%20Service?to=2026-02-29');
    expect(diff.status).toBe(400);
    const boolean = await get('/versions/Acme/Terms%20of%20Service?technicalUpgrades=yes');
    expect([boolean.status, await boolean.json()]).toEqual([400, { error: '"technicalUpgrades" must be true or false, not "yes"' }]);
    const long = await get(`/diff/Acme/Terms%20of%20Service?format=${'x'.repeat(5000)}`);
    const body = (await long.json()) as { error: string };
    expect(long.status).toBe(400);
    expect(body.error.length).toBeLessThan(200);
  });

  it('lets browsers of any origin read the API, and logs each request in a line', async () => {
    const response = await get('/services', { headers: { Origin: 'https://research.example.org' } });
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const preflight = await get('/feed', { method: 'OPTIONS', headers: { Origin: 'https://research.example.org', 'Access-Control-Request-Method': 'GET' } });
    expect([preflight.status, preflight.headers.get('access-control-allow-methods')]).toEqual([204, 'GET, HEAD']);
    expect((await get('/services', { method: 'POST' })).status).toBe(405);
    await expect.poll(() => io.output.filter(line => / POST \/api\/v1\/services 405 \d+ B \d+ ms$/.test(line)).length).toBe(1);
    expect(io.output.some(line => /^\d{4}-\d\d-\d\dT[\d:.]+Z GET \/api\/v1\/services 200 \d+ B \d+ ms$/.test(line))).toBe(true);
  });
});
