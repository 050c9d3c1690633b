// Run reports by email, through a real SMTP server on 127.0.0.1 (the smtp-server package) that asks for a login.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli } from '../../src/cli/run.js';
import { html, startServer, type TestServer } from '../helpers/http-server.js';
import { captureIo } from '../helpers/silent.js';
import { decoded, startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { makeTempDir } from '../helpers/temp-dir.js';

let site: TestServer;
let dir: string;
let cleanup: () => Promise<void>;
let smtp: TestSmtp;

beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir());
  site = await startServer();
  site.route('/terms', { body: html('<main><h1>Terms</h1><p>The terms of the service, with words enough to be read as terms.</p></main>') });
  site.route('/gone', { status: 404 });
  smtp = await startSmtp('operator', 'mail-secret');
  await mkdir(path.join(dir, 'declarations'));
  await writeFile(path.join(dir, 'metadata.yml'), 'id: demo\nname: Demo Terms\ntagline: Terms we watch\nlanguages: [en]\njurisdictions: [EU]\n');
});
afterAll(async () => {
  await Promise.all([site.close(), smtp.close()]);
  await cleanup();
});

describe('run reports by email', { timeout: 30_000 }, () => {
  it('are sent when a pass needs a look (or always when asked), and a failure to send never fails the run', async () => {
    await writeFile(path.join(dir, 'declarations', 'Acme.json'), JSON.stringify({ name: 'Acme', terms: { 'Terms of Service': { fetch: site.url('/gone'), select: 'main' } } }));
    const env = { TERMS_ARCHIVE_EMAIL_TO: 'ops@example.org, oncall@example.org', TERMS_ARCHIVE_SMTP_HOST: '127.0.0.1', TERMS_ARCHIVE_SMTP_PORT: String(smtp.port), TERMS_ARCHIVE_SMTP_USER: 'operator', TERMS_ARCHIVE_SMTP_PASSWORD: 'mail-secret' };
    // every terms out of reach: the report goes out
    expect(await runCli(['track'], captureIo(dir, env))).toBe(1);
    const report = smtp.received.at(-1);
    expect(report?.to).toEqual(['ops@example.org', 'oncall@example.org']);
    expect(report?.from).toBe('bot@terms-archive.invalid');
    expect(report?.data).toMatch(/^Subject: \[Demo Terms\] 1 problem: the last pass reached none of its 1 terms/m);
    expect(decoded(report?.data)).toContain('- Acme · Terms of Service:');
    expect(decoded(report?.data)).toContain('HTTP code 404');

    // all is well: no mail, unless asked for after every pass
    await writeFile(path.join(dir, 'declarations', 'Acme.json'), JSON.stringify({ name: 'Acme', terms: { 'Terms of Service': { fetch: site.url('/terms'), select: 'main' } } }));
    const count = smtp.received.length;
    expect(await runCli(['track'], captureIo(dir, env))).toBe(0);
    expect(smtp.received.length).toBe(count);
    expect(await runCli(['track'], captureIo(dir, { ...env, TERMS_ARCHIVE_EMAIL_WHEN: 'always' }))).toBe(0);
    expect(smtp.received.length).toBeGreaterThan(count);
    // a long subject is folded over two header lines
    expect(smtp.received.at(-1)?.data.replace(/\r\n[ \t]+/g, ' ')).toMatch(/^Subject: \[Demo Terms\] tracking pass: 0 versions and 0 snapshots recorded, 0 of 1 terms inaccessible/m);

    // a wrong password: said on standard error, the run's exit code unchanged
    const io = captureIo(dir, { ...env, TERMS_ARCHIVE_EMAIL_WHEN: 'always', TERMS_ARCHIVE_SMTP_PASSWORD: 'wrong' });
    expect(await runCli(['track'], io)).toBe(0);
    expect(io.errors.join('\n')).toMatch(/The run report was not emailed to ops@example\.org, oncall@example\.org: .*Invalid username or password/);
    expect(io.errors.join('\n')).not.toContain('wrong');
  });
});
