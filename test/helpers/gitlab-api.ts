// A local server answering the routes of GitLab's REST API (v4) that @gitbeaker/rest calls for issues, labels,
// releases and generic packages, as GitLab answers them, holding its state in memory for the tests to read and seed.
import { type ApiReply, type ApiRequest, formFile, type JsonApi, startJsonApi } from './json-api.js';

export interface GitLabIssue {
  iid: number;
  title: string;
  state: 'opened' | 'closed';
  description: string;
  labels: string[];
  created_at: string;
  notes: string[];
}

export interface GitLabRelease {
  readonly tag: string;
  readonly name: string;
  readonly description: string;
  readonly ref: string;
  readonly links: { name: string; url: string; linkType: string }[];
}

export interface GitLabApi extends JsonApi {
  readonly labels: { name: string; color: string; description: string }[];
  readonly issues: GitLabIssue[];
  readonly releases: GitLabRelease[];
  readonly packages: { id: number; name: string; version: string; fileName: string; bytes: Buffer }[];
}

const PAGE = 100;
const labelsOf = (value: unknown): string[] => (typeof value === 'string' && value !== '' ? value.split(',') : []);

/** Serves project `repository` (its path, URL-encoded as gitbeaker sends it, or its id 7) to requests with `token`. */
export async function startGitLabApi(repository: string, token: string): Promise<GitLabApi> {
  const labels: GitLabApi['labels'] = [];
  const issues: GitLabIssue[] = [];
  const releases: GitLabRelease[] = [];
  const packages: GitLabApi['packages'] = [];
  const answer = async (request: ApiRequest, url: string): Promise<ApiReply> => {
    if (request.headers['private-token'] !== token) return { status: 401, body: { message: '401 Unauthorized' } };
    const prefix = [`/api/v4/projects/${encodeURIComponent(repository)}`, '/api/v4/projects/7'].find(candidate => request.path === candidate || request.path.startsWith(`${candidate}/`));
    if (prefix === undefined) return { status: 404, body: { message: '404 Project Not Found' } };
    const route = `${request.method} ${request.path.slice(prefix.length)}`;
    const text = (key: string): string => (typeof request.json[key] === 'string' ? request.json[key] : '');
    if (route === 'GET ') return { status: 200, body: { id: 7, path_with_namespace: repository, default_branch: 'main', web_url: `${url}/${repository}` } };
    if (route === 'GET /labels') return { status: 200, body: labels };
    if (route === 'POST /labels') {
      labels.push({ name: text('name'), color: text('color'), description: text('description') });
      return { status: 201, body: request.json };
    }
    if (route === 'GET /issues') {
      const page = Number(request.query.get('page') ?? 1);
      const next = page * PAGE < issues.length ? String(page + 1) : '';
      return { status: 200, body: issues.slice((page - 1) * PAGE, page * PAGE), headers: { 'x-page': String(page), 'x-next-page': next, 'x-per-page': String(PAGE), 'x-total': String(issues.length) } };
    }
    if (route === 'POST /issues') {
      const issue: GitLabIssue = { iid: issues.length + 1, title: text('title'), state: 'opened', description: text('description'), labels: labelsOf(request.json.labels), created_at: new Date().toISOString(), notes: [] };
      issues.push(issue);
      return { status: 201, body: issue };
    }
    const onIssue = /^(PUT|POST) \/issues\/(\d+)(\/notes)?$/.exec(route);
    const issue = issues.find(candidate => candidate.iid === Number(onIssue?.[2]));
    if (onIssue && issue && onIssue[3] === '/notes') {
      issue.notes.push(text('body'));
      return { status: 201, body: { id: issue.notes.length, body: text('body') } };
    }
    if (onIssue && issue) {
      if (request.json.state_event === 'reopen') issue.state = 'opened';
      if (request.json.state_event === 'close') issue.state = 'closed';
      if (request.json.labels !== undefined) issue.labels = labelsOf(request.json.labels);
      return { status: 200, body: issue };
    }
    if (route === 'POST /releases') {
      if (releases.some(release => release.tag === text('tag_name'))) return { status: 409, body: { message: 'Release already exists' } };
      releases.push({ tag: text('tag_name'), name: text('name'), description: text('description'), ref: text('ref'), links: [] });
      return { status: 201, body: { tag_name: text('tag_name'), name: text('name') } };
    }
    const onPackage = /^PUT \/packages\/generic\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(route);
    const file = onPackage ? await formFile(request.form, 'file') : undefined;
    if (onPackage && file) {
      packages.push({ id: packages.length + 1, name: onPackage[1] ?? '', version: onPackage[2] ?? '', fileName: onPackage[3] ?? '', bytes: file.bytes });
      return { status: 201, body: { id: packages.length, file_name: onPackage[3], size: file.bytes.length } };
    }
    const onLinks = /^POST \/releases\/([^/]+)\/assets\/links$/.exec(route);
    const release = releases.find(candidate => candidate.tag === decodeURIComponent(onLinks?.[1] ?? ''));
    if (onLinks && release) {
      release.links.push({ name: text('name'), url: text('url'), linkType: text('link_type') });
      return { status: 201, body: { id: release.links.length, name: text('name'), url: text('url') } };
    }
    return { status: 404, body: { message: '404 Not Found' } };
  };
  return Object.assign(await startJsonApi(answer), { labels, issues, releases, packages });
}
