// The status file a tracking pass writes, and GET /health, which a load balancer or an uptime checker reads.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli } from '../../src/cli/run.js';
import { HistoryIndex, readHealth, startApiServer, type TrackingStatus } from '../../src/publish/index.js';
import { openVersions } from '../../src/record/index.js';
import { html, startServer, type TestServer } from '../helpers/http-server.js';
import { captureIo } from '../helpers/silent.js';
import { makeTempDir } from '../helpers/temp-dir.js';

let site: TestServer;
let dir: string;
let cleanup: () => Promise<void>;
let isDown = false;

beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir());
  site = await startServer();
  site.route('/terms', () => (isDown ? { status: 503 } : { body: html('<main><h1>Terms</h1><p>The terms of the service, with words enough to be read as terms.</p></main>') }));
  site.route('/gone', { status: 404 });
  await mkdir(path.join(dir, 'declarations'));
  await writeFile(path.join(dir, 'declarations', 'Acme.json'), JSON.stringify({ name: 'Acme', terms: { 'Terms of Service': { fetch: site.url('/terms'), select: 'main' }, 'Privacy Policy': { fetch: site.url('/gone'), select: 'main' } } }));
});
afterAll(async () => {
  await site.close();
  await cleanup();
});

async function health(): Promise<{ status: number; body: { status: string; problems: string[] } }> {
  const versions = await openVersions({ directory: path.join(dir, 'versions-repo'), environment: { PATH: process.env.PATH }, isReadOnly: true });
  const index = HistoryIndex.open(versions);
  const server = await startApiServer({
    index,
    versions,
    services: [],
    metadata: { id: 'demo', name: 'Demo', raw: {} },
    engineVersion: 'test',
    health: () => readHealth(path.join(dir, 'status.json'), { now: new Date(), staleAfterMs: 3_600_000 }),
    host: '127.0.0.1',
    port: 0,
  });
  try {
    const response = await fetch(new URL('/health', server.url));
    return { status: response.status, body: (await response.json()) as { status: string; problems: string[] } };
  } finally {
    await server.close();
    index.close();
    await versions.close();
  }
}

describe('the status file and GET /health', { timeout: 30_000 }, () => {
  it('say how the last pass went, and fail when it reached nothing, or long ago', async () => {
    expect(await runCli(['track'], captureIo(dir))).toBe(0);
    const status = JSON.parse(await readFile(path.join(dir, 'status.json'), 'utf8')) as TrackingStatus;
    expect(status).toMatchObject({ version: 1, schedule: null, problems: [], lastPass: { kind: 'tracking', terms: 2, inaccessible: 1, versionsRecorded: 1 } });
    expect(Date.parse(status.lastPass.startedAt)).toBeLessThanOrEqual(Date.parse(status.updatedAt));
    expect(Date.parse(status.lastPass.startedAt)).toBeGreaterThan(Date.parse(status.updatedAt) - 30_000);
    expect(status.lastPass.failures).toEqual([{ serviceId: 'Acme', termsType: 'Privacy Policy', reason: expect.stringContaining('HTTP code 404') as string }]);
    expect(await health()).toMatchObject({ status: 200, body: { status: 'ok', problems: [] } });

    // every terms out of reach: a person should look
    isDown = true;
    expect(await runCli(['track'], captureIo(dir))).toBe(1);
    const down = await health();
    expect(down.status).toBe(503);
    expect(down.body.problems).toEqual(['the last pass reached none of its 2 terms']);

    // a tracking process that stopped writing
    isDown = false;
    expect(await runCli(['track'], captureIo(dir))).toBe(0);
    const written = JSON.parse(await readFile(path.join(dir, 'status.json'), 'utf8')) as TrackingStatus;
    await writeFile(path.join(dir, 'status.json'), JSON.stringify({ ...written, updatedAt: '2026-01-01T00:00:00.000Z' }));
    const stale = await health();
    expect(stale.status).toBe(503);
    expect(stale.body.problems).toEqual(['no pass ended since 2026-01-01T00:00:00.000Z (more than 1 h ago)']);
  });
});
