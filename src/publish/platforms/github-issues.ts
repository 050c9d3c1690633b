// Issues on GitHub, through its official client (Octokit), against api.github.com or a GitHub Enterprise server.
import { Octokit } from '@octokit/rest';

import type { IssueTracker, LabelSpec, TrackedIssue } from './issue-tracker.js';
import { SILENT } from './octokit-log.js';

interface GitHubIssue {
  readonly number: number;
  readonly title: string;
  readonly state: string;
  readonly created_at: string;
  readonly labels: readonly (string | { readonly name?: string })[];
  readonly pull_request?: unknown;
}

const asTracked = (issue: GitHubIssue): TrackedIssue => ({
  number: issue.number,
  title: issue.title,
  isOpen: issue.state === 'open',
  createdAt: issue.created_at,
  labels: issue.labels.map(label => (typeof label === 'string' ? label : (label.name ?? ''))).filter(name => name !== ''),
});

export interface GitHubIssuesOptions {
  /** `owner/repo`. */
  readonly repository: string;
  readonly token: string;
  /** @default 'https://api.github.com' */
  readonly apiUrl?: string | undefined;
}

export class GitHubIssues implements IssueTracker {
  private readonly octokit: Octokit;
  private readonly owner: string;
  private readonly repo: string;

  constructor(options: GitHubIssuesOptions) {
    [this.owner = '', this.repo = ''] = options.repository.split('/');
    this.octokit = new Octokit({ auth: options.token, baseUrl: options.apiUrl ?? 'https://api.github.com', userAgent: 'terms-archive', log: SILENT, request: { retries: 0 } });
  }

  async *issuePages(): AsyncIterable<readonly TrackedIssue[]> {
    for await (const page of this.octokit.paginate.iterator(this.octokit.rest.issues.listForRepo, { owner: this.owner, repo: this.repo, state: 'all', per_page: 100 })) {
      yield (page.data as GitHubIssue[]).filter(issue => issue.pull_request === undefined).map(asTracked);
    }
  }

  async labelNames(): Promise<readonly string[]> {
    const labels = await this.octokit.paginate(this.octokit.rest.issues.listLabelsForRepo, { owner: this.owner, repo: this.repo, per_page: 100 });
    return labels.map(label => label.name);
  }

  async createLabel(label: LabelSpec): Promise<void> {
    await this.octokit.rest.issues.createLabel({ owner: this.owner, repo: this.repo, ...label });
  }

  async createIssue(title: string, body: string, labels: readonly string[]): Promise<TrackedIssue> {
    return asTracked((await this.octokit.rest.issues.create({ owner: this.owner, repo: this.repo, title, body, labels: [...labels] })).data);
  }

  async reopen(issue: TrackedIssue, labels: readonly string[]): Promise<TrackedIssue> {
    return asTracked((await this.octokit.rest.issues.update({ owner: this.owner, repo: this.repo, issue_number: issue.number, state: 'open', labels: [...labels] })).data);
  }

  async comment(issue: TrackedIssue, body: string): Promise<void> {
    await this.octokit.rest.issues.createComment({ owner: this.owner, repo: this.repo, issue_number: issue.number, body });
  }

  async close(issue: TrackedIssue): Promise<TrackedIssue> {
    return asTracked((await this.octokit.rest.issues.update({ owner: this.owner, repo: this.repo, issue_number: issue.number, state: 'closed' })).data);
  }
}
