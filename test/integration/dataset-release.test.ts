// `dataset --publish`: a GitHub release made with GitHub's official client (Octokit) against a local server that
// answers the two routes it calls (create a release, upload its asset), as GitHub's API answers them.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli } from '../../src/cli/run.js';
import { html, startServer, type TestServer } from '../helpers/http-server.js';
import { captureIo } from '../helpers/silent.js';
import { makeTempDir } from '../helpers/temp-dir.js';

let site: TestServer;
let dir: string;
let cleanup: () => Promise<void>;
let github: http.Server;
let apiUrl: string;
const calls: { method: string; path: string; authorization: string | undefined; body: Buffer; contentType: string | undefined }[] = [];

beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir());
  site = await startServer();
  site.route('/terms', { body: html('<main><h1>Terms</h1><p>The terms of the service, with words enough to be read as terms.</p></main>') });
  github = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', apiUrl);
      calls.push({ method: request.method ?? '', path: `${url.pathname}${url.search}`, authorization: request.headers.authorization, body: Buffer.concat(chunks), contentType: request.headers['content-type'] });
      if (request.headers.authorization !== 'token gh-test-token') {
        response.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Bad credentials' }));
        return;
      }
      if (request.method === 'POST' && url.pathname === '/repos/acme/terms-versions/releases') {
        const { tag_name: tag } = JSON.parse(Buffer.concat(chunks).toString()) as { tag_name: string };
        response.writeHead(201, { 'content-type': 'application/json' }).end(
          JSON.stringify({ id: 7, tag_name: tag, html_url: `https://github.example/acme/terms-versions/releases/tag/${tag}`, upload_url: `${apiUrl}/uploads/repos/acme/terms-versions/releases/7/assets{?name,label}` }),
        );
        return;
      }
      if (request.method === 'POST' && url.pathname === '/uploads/repos/acme/terms-versions/releases/7/assets') {
        response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 1, name: url.searchParams.get('name'), state: 'uploaded' }));
        return;
      }
      response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Not Found' }));
    });
  });
  await new Promise<void>(resolve => github.listen(0, '127.0.0.1', () => { resolve(); }));
  apiUrl = `http://127.0.0.1:${String((github.address() as AddressInfo).port)}`;
  await mkdir(path.join(dir, 'declarations'));
  await writeFile(path.join(dir, 'declarations', 'Acme.json'), JSON.stringify({ name: 'Acme', terms: { 'Terms of Service': { fetch: site.url('/terms'), select: 'main' } } }));
  await writeFile(path.join(dir, 'metadata.yml'), 'id: demo\nname: Demo Terms\n');
  expect(await runCli(['track'], captureIo(dir))).toBe(0);
});
afterAll(async () => {
  await Promise.all([site.close(), new Promise(resolve => github.close(resolve))]);
  await cleanup();
});

describe('dataset --publish', { timeout: 30_000 }, () => {
  it('makes a GitHub release tagged and titled as OTA\'s, with the ZIP attached', async () => {
    const env = { TERMS_ARCHIVE_GITHUB_REPOSITORY: 'acme/terms-versions', TERMS_ARCHIVE_GITHUB_API_URL: apiUrl, TERMS_ARCHIVE_GITHUB_TOKEN: 'gh-test-token' };
    const io = captureIo(dir, env);
    expect(await runCli(['dataset', '--out', 'demo-terms-2026-12-01.zip', '--publish'], io)).toBe(0);
    expect(io.output.at(-1)).toBe('Released on GitHub: https://github.example/acme/terms-versions/releases/tag/demo-terms-2026-12-01');
    const [create, upload] = calls;
    expect(JSON.parse(create?.body.toString() ?? '{}')).toMatchObject({ tag_name: 'demo-terms-2026-12-01', name: expect.stringMatching(/^Open Terms Archive — Demo Terms — [A-Z][a-z]+ \d{1,2}, \d{4}$/) as string, body: expect.stringContaining('1 service providers') as string });
    const uploaded = new URL(upload?.path ?? '/', apiUrl);
    expect([uploaded.pathname, uploaded.searchParams.get('name')]).toEqual(['/uploads/repos/acme/terms-versions/releases/7/assets', 'demo-terms-2026-12-01.zip']);
    expect(upload?.contentType).toBe('application/zip');
    expect(upload?.body.equals(await readFile(path.join(dir, 'demo-terms-2026-12-01.zip')))).toBe(true);
  });

  it('says what is missing, and what the server answered', async () => {
    const missing = captureIo(dir, { TERMS_ARCHIVE_GITHUB_REPOSITORY: 'acme/terms-versions' });
    expect(await runCli(['dataset', '--out', 'x.zip', '--publish'], missing)).toBe(2);
    expect(missing.errors.join('\n')).toContain('--publish: set githubRepository ("owner/repo") and the token in TERMS_ARCHIVE_GITHUB_TOKEN');
    const refused = captureIo(dir, { TERMS_ARCHIVE_GITHUB_REPOSITORY: 'acme/terms-versions', TERMS_ARCHIVE_GITHUB_API_URL: apiUrl, TERMS_ARCHIVE_GITHUB_TOKEN: 'wrong' });
    expect(await runCli(['dataset', '--out', 'y.zip', '--publish'], refused)).toBe(1);
    expect(refused.errors.join('\n')).toContain('acme/terms-versions: the dataset was not published as a GitHub release (HTTP 401): Bad credentials');
    expect(refused.errors.join('\n')).not.toContain('wrong');
  });
});
