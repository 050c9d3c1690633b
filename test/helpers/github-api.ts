// A local server answering the routes of GitHub's REST API that Octokit calls for issues, labels and releases, as
// GitHub answers them, holding its state in memory for the tests to read and to seed (an OTA collection's issues).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StoredIssue {
  number: number;
  title: string;
  state: string;
  body: string;
  labels: { name: string }[];
  created_at: string;
  comments: string[];
}

export interface StoredRelease {
  readonly id: number;
  readonly tag: string;
  readonly name: string;
  readonly body: string;
  readonly assets: { readonly name: string; readonly contentType: string | undefined; readonly bytes: Buffer }[];
}

export interface GitHubApi {
  readonly url: string;
  readonly labels: { name: string; description: string }[];
  readonly issues: StoredIssue[];
  readonly releases: StoredRelease[];
  /** Requests answered, the refused ones included. */
  readonly calls: number;
  close(): Promise<void>;
}

/** Serves `owner/repo` to requests that carry `token`; anything else gets GitHub's 401 or 404. */
export async function startGitHubApi(repository: string, token: string): Promise<GitHubApi> {
  const labels: { name: string; description: string }[] = [];
  const issues: StoredIssue[] = [];
  const releases: StoredRelease[] = [];
  let calls = 0;
  let url = '';
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      calls++;
      const reply = (code: number, value: unknown): void => {
        response.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      };
      if (request.headers.authorization !== `token ${token}`) {
        reply(401, { message: 'Bad credentials' });
        return;
      }
      const address = new URL(request.url ?? '/', url);
      const raw = Buffer.concat(chunks);
      const body = (request.headers['content-type'] ?? '').startsWith('application/json') && raw.length > 0 ? (JSON.parse(raw.toString()) as Record<string, unknown>) : {};
      const text = (key: string): string => (typeof body[key] === 'string' ? body[key] : '');
      const route = `${request.method ?? ''} ${address.pathname.replace(`/repos/${repository}`, '/repo')}`;
      if (route === 'GET /repo/labels') { reply(200, labels); return; }
      if (route === 'POST /repo/labels') {
        labels.push({ name: text('name'), description: text('description') });
        reply(201, body); return;
      }
      if (route === 'GET /repo/issues') { reply(200, issues); return; }
      if (route === 'POST /repo/issues') {
        const issue: StoredIssue = { number: issues.length + 1, title: text('title'), state: 'open', body: text('body'), labels: (body.labels as string[]).map(name => ({ name })), created_at: new Date().toISOString(), comments: [] };
        issues.push(issue);
        reply(201, issue); return;
      }
      const onIssue = /^(PATCH|POST) \/repo\/issues\/(\d+)(\/comments)?$/.exec(route);
      const issue = issues.find(candidate => candidate.number === Number(onIssue?.[2]));
      if (onIssue && issue && onIssue[3] === '/comments') {
        issue.comments.push(text('body'));
        reply(201, { id: issue.comments.length }); return;
      }
      if (onIssue && issue) {
        if (typeof body.state === 'string') issue.state = body.state;
        if (Array.isArray(body.labels)) issue.labels = (body.labels as string[]).map(name => ({ name }));
        reply(200, issue); return;
      }
      if (route === 'POST /repo/releases') {
        const release: StoredRelease = { id: releases.length + 1, tag: text('tag_name'), name: text('name'), body: text('body'), assets: [] };
        releases.push(release);
        reply(201, { id: release.id, tag_name: release.tag, html_url: `https://github.example/${repository}/releases/tag/${release.tag}`, upload_url: `${url}/uploads/repos/${repository}/releases/${String(release.id)}/assets{?name,label}` }); return;
      }
      const onAssets = /^POST \/uploads\/repo\/releases\/(\d+)\/assets$/.exec(route);
      const release = releases.find(candidate => candidate.id === Number(onAssets?.[1]));
      if (onAssets && release) {
        release.assets.push({ name: address.searchParams.get('name') ?? '', contentType: request.headers['content-type'], bytes: raw });
        reply(201, { id: release.assets.length, name: address.searchParams.get('name'), state: 'uploaded' }); return;
      }
      reply(404, { message: 'Not Found' });
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => { resolve(); }));
  url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  return {
    url,
    labels,
    issues,
    releases,
    get calls() {
      return calls;
    },
    close: () => new Promise(resolve => server.close(() => { resolve(); })),
  };
}
