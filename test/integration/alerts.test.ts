// Alerts where people read: one change, delivered to a receiver of each channel's payload format (a plain webhook,
// Slack, Mattermost, Discord, Matrix, ntfy) on a local server, and by email through a real SMTP server, each mail
// or one daily digest; filtered by subscription; signed with HMAC-SHA256 where a secret is set.
import { createHmac } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli } from '../../src/cli/run.js';
import { html, startServer, type TestServer } from '../helpers/http-server.js';
import { type ApiRequest, type JsonApi, startJsonApi } from '../helpers/json-api.js';
import { captureIo } from '../helpers/silent.js';
import { decoded, startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { makeTempDir } from '../helpers/temp-dir.js';

let site: TestServer;
let receiver: JsonApi;
let smtp: TestSmtp;
let dir: string;
let cleanup: () => Promise<void>;
let edition = 1;
const received: ApiRequest[] = [];
const env = (): Record<string, string> => ({ HOOK_SECRET: 'hook-secret', MATRIX_TOKEN: 'matrix-token', TERMS_ARCHIVE_SMTP_USER: 'operator', TERMS_ARCHIVE_SMTP_PASSWORD: 'mail-secret' });

beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir());
  site = await startServer();
  site.route('/terms', () => ({ body: html(`<main><h1>Terms</h1><h2>Fees</h2><p>Fees are due ${edition === 1 ? 'monthly' : 'weekly'} by card, and never refunded.</p></main>`) }));
  receiver = await startJsonApi(request => {
    received.push(request);
    return { status: 200, body: {} };
  });
  smtp = await startSmtp('operator', 'mail-secret');
  await mkdir(path.join(dir, 'declarations'));
  await writeFile(path.join(dir, 'declarations', 'Acme.json'), JSON.stringify({ name: 'Acme', terms: { 'Terms of Service': { fetch: site.url('/terms'), select: 'main' } } }));
  const alerts = [
    { channel: 'webhook', url: `${receiver.url}/hook`, secretEnv: 'HOOK_SECRET' },
    { channel: 'slack', url: `${receiver.url}/slack`, labels: ['substantive'] },
    { channel: 'mattermost', url: `${receiver.url}/mattermost` },
    { channel: 'discord', url: `${receiver.url}/discord` },
    { channel: 'matrix', homeserver: receiver.url, room: '!room:example.org', tokenEnv: 'MATRIX_TOKEN' },
    { channel: 'ntfy', url: `${receiver.url}/ntfy/terms` },
    { channel: 'webhook', url: `${receiver.url}/beta-only`, services: ['Beta'] },
    { channel: 'email', to: ['watcher@example.org'] },
    { channel: 'email', to: ['digest@example.org'], digest: 'daily' },
  ];
  await writeFile(path.join(dir, 'terms-archive.config.json'), JSON.stringify({ alerts, publicUrl: 'https://terms.example.org', smtpHost: '127.0.0.1', smtpPort: smtp.port }));
  expect(await runCli(['track'], captureIo(dir, env()))).toBe(0);
}, 60_000);
afterAll(async () => {
  await Promise.all([site.close(), receiver.close(), smtp.close()]);
  await cleanup();
});

const at = (route: string): ApiRequest[] => received.filter(request => request.path.startsWith(route));

describe('alerts', { timeout: 60_000 }, () => {
  it('reach each channel in its own format, with the change page\'s link, filtered and signed', async () => {
    edition = 2;
    const before = received.length;
    expect(await runCli(['track'], captureIo(dir, env()))).toBe(0);
    const latest = (route: string): ApiRequest | undefined => received.slice(before).find(request => request.path.startsWith(route));
    const link = /https:\/\/terms\.example\.org\/changes\/Acme\/Terms%20of%20Service\/[0-9a-f]{40}/;

    const hook = latest('/hook');
    expect(hook?.json).toMatchObject({ event: 'version', serviceId: 'Acme', kind: 'change', label: 'substantive', sections: ['Fees'] });
    expect(hook?.json.url).toMatch(link);
    const signature = hook?.headers['x-terms-archive-signature'];
    expect(signature).toBe(`sha256=${createHmac('sha256', 'hook-secret').update(hook?.raw ?? '').digest('hex')}`);
    expect(latest('/mattermost')?.headers['x-terms-archive-signature']).toBeUndefined();

    expect(latest('/slack')?.json.text).toMatch(/^\*<https:\/\/terms\.example\.org\/changes\/\S+\|Acme Terms of Service: substantive change>\*\nSection “Fees”/);
    expect(latest('/mattermost')?.json.text).toMatch(/^\*\*\[Acme Terms of Service: substantive change\]\(https:\/\/terms\.example\.org\/changes\/\S+\)\*\*\n/);
    expect(latest('/discord')?.json).toMatchObject({ content: 'Acme Terms of Service: substantive change', embeds: [{ title: 'Acme Terms of Service: substantive change', url: expect.stringMatching(link) as string }] });
    const matrix = latest('/_matrix/');
    expect(matrix?.method).toBe('PUT');
    expect(matrix?.path).toMatch(/^\/_matrix\/client\/v3\/rooms\/!room%3Aexample\.org\/send\/m\.room\.message\/[0-9a-f]{40}$/);
    expect(matrix?.headers.authorization).toBe('Bearer matrix-token');
    expect(matrix?.json).toMatchObject({ msgtype: 'm.text', format: 'org.matrix.custom.html', body: expect.stringContaining('Acme Terms of Service: substantive change') as string });
    const ntfy = latest('/ntfy/terms');
    expect(ntfy?.raw).toMatch(/^Section “Fees”/);
    expect(ntfy?.headers.click).toMatch(link);
    expect(Buffer.from(/^=\?UTF-8\?B\?(.+)\?=$/.exec(ntfy?.headers.title as string)?.[1] ?? '', 'base64').toString()).toBe('Acme Terms of Service: substantive change');

    // first records reached every channel but Slack (substantive changes only), and nothing reached Beta's
    expect(at('/slack')).toHaveLength(1);
    expect(at('/hook')).toHaveLength(2);
    expect(at('/beta-only')).toHaveLength(0);
  });

  it('mail each change, or the day\'s changes in one digest', async () => {
    const mails = (to: string): string[] => smtp.received.filter(mail => mail.to.includes(to)).map(mail => decoded(mail.data));
    expect(mails('watcher@example.org')).toHaveLength(2);
    expect(mails('watcher@example.org')[1]).toMatch(/Subject: Acme Terms of Service: substantive change/);
    // the first digest went out at once with the first record; the change waits for a day
    expect(mails('digest@example.org')).toHaveLength(1);
    const file = path.join(dir, 'alerts-digest.json');
    const state = JSON.parse(await readFile(file, 'utf8')) as Record<string, { lastSent: string; pending: unknown[] }>;
    expect(state['8']?.pending).toHaveLength(1);
    // a day later, the next pass sends it
    await writeFile(file, JSON.stringify({ 8: { ...state['8'], lastSent: new Date(Date.now() - 25 * 3_600_000).toISOString() } }));
    expect(await runCli(['track'], captureIo(dir, env()))).toBe(0);
    const digests = mails('digest@example.org');
    expect(digests).toHaveLength(2);
    expect(digests[1]).toMatch(/Subject: 1 change of the terms you follow/);
    expect(digests[1]).toMatch(/- Acme Terms of Service \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\), substantive: Section “Fees”/);
  });

  it('refuse a subscription that cannot work before anything runs, naming its field', async () => {
    const io = captureIo(dir, { ...env(), MATRIX_TOKEN: '' });
    expect(await runCli(['track'], io)).toBe(2);
    expect(io.errors.join('\n')).toContain('alerts[4].tokenEnv: the environment variable MATRIX_TOKEN is not set');
    const bad = captureIo(dir, { ...env(), TERMS_ARCHIVE_ALERTS: JSON.stringify([{ channel: 'telegram', url: 'https://example.org' }]) });
    expect(await runCli(['track'], bad)).toBe(2);
    expect(bad.errors.join('\n')).toContain('alerts[0].channel: expected one of webhook, slack, mattermost, discord, matrix, ntfy, email');
  });
});
