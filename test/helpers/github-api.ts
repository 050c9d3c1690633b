// A local server answering the routes of GitHub's REST API that Octokit calls for issues, labels and releases, as
// GitHub answers them, holding its state in memory for the tests to read and to seed (an OTA collection's issues).
import { type ApiReply, type ApiRequest, type JsonApi, startJsonApi } from './json-api.js';

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

export interface GitHubApi extends JsonApi {
  readonly labels: { name: string; description: string }[];
  readonly issues: StoredIssue[];
  readonly releases: StoredRelease[];
}

/** Serves `owner/repo` to requests that carry `token`; anything else gets GitHub's 401 or 404. */
export async function startGitHubApi(repository: string, token: string): Promise<GitHubApi> {
  const labels: { name: string; description: string }[] = [];
  const issues: StoredIssue[] = [];
  const releases: StoredRelease[] = [];
  const answer = (request: ApiRequest, url: string): ApiReply => {
    const reply = (status: number, body: unknown): ApiReply => ({ status, body });
    if (request.headers.authorization !== `token ${token}`) return reply(401, { message: 'Bad credentials' });
    const body = request.json;
    const text = (key: string): string => (typeof body[key] === 'string' ? body[key] : '');
    const route = `${request.method} ${request.path.replace(`/repos/${repository}`, '/repo')}`;
    if (route === 'GET /repo/labels') return reply(200, labels);
    if (route === 'POST /repo/labels') {
      labels.push({ name: text('name'), description: text('description') });
      return reply(201, body);
    }
    if (route === 'GET /repo/issues') return reply(200, issues);
    if (route === 'POST /repo/issues') {
      const issue: StoredIssue = { number: issues.length + 1, title: text('title'), state: 'open', body: text('body'), labels: (body.labels as string[]).map(name => ({ name })), created_at: new Date().toISOString(), comments: [] };
      issues.push(issue);
      return reply(201, issue);
    }
    const onIssue = /^(PATCH|POST) \/repo\/issues\/(\d+)(\/comments)?$/.exec(route);
    const issue = issues.find(candidate => candidate.number === Number(onIssue?.[2]));
    if (onIssue && issue && onIssue[3] === '/comments') {
      issue.comments.push(text('body'));
      return reply(201, { id: issue.comments.length });
    }
    if (onIssue && issue) {
      if (typeof body.state === 'string') issue.state = body.state;
      if (Array.isArray(body.labels)) issue.labels = (body.labels as string[]).map(name => ({ name }));
      return reply(200, issue);
    }
    if (route === 'POST /repo/releases') {
      const release: StoredRelease = { id: releases.length + 1, tag: text('tag_name'), name: text('name'), body: text('body'), assets: [] };
      releases.push(release);
      return reply(201, { id: release.id, tag_name: release.tag, html_url: `https://github.example/${repository}/releases/tag/${release.tag}`, upload_url: `${url}/uploads/repos/${repository}/releases/${String(release.id)}/assets{?name,label}` });
    }
    const onAssets = /^POST \/uploads\/repo\/releases\/(\d+)\/assets$/.exec(route);
    const release = releases.find(candidate => candidate.id === Number(onAssets?.[1]));
    if (onAssets && release) {
      release.assets.push({ name: request.query.get('name') ?? '', contentType: request.headers['content-type'], bytes: request.bytes });
      return reply(201, { id: release.assets.length, name: request.query.get('name'), state: 'uploaded' });
    }
    return reply(404, { message: 'Not Found' });
  };
  return Object.assign(await startJsonApi(answer), { labels, issues, releases });
}
