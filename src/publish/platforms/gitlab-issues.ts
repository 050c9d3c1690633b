// Issues on GitLab (gitlab.com or a self-managed instance), through the @gitbeaker/rest client. As OTA's GitLab
// reporter: the same titles and labels as on GitHub, labels coloured "#RRGGBB", state "opened" or "closed".
import { Gitlab } from '@gitbeaker/rest';

import type { IssueTracker, LabelSpec, TrackedIssue } from './issue-tracker.js';

interface GitLabIssue {
  readonly iid: number;
  readonly title: string;
  readonly state: string;
  readonly created_at: string;
  readonly labels: readonly (string | { readonly name: string })[];
}

const asTracked = (issue: GitLabIssue): TrackedIssue => ({
  number: issue.iid,
  title: issue.title,
  isOpen: issue.state === 'opened',
  createdAt: issue.created_at,
  labels: issue.labels.map(label => (typeof label === 'string' ? label : label.name)),
});

export interface GitLabOptions {
  /** `group/project` (subgroups included: `group/sub/project`). */
  readonly repository: string;
  readonly token: string;
  /** The instance's address, without /api/v4. @default 'https://gitlab.com' */
  readonly url?: string | undefined;
}

/** A gitbeaker client for the instance; one attempt a request (a run that fails reports it and tries next run). */
export function gitlabClient(options: GitLabOptions): InstanceType<typeof Gitlab<false>> {
  return new Gitlab({ host: options.url ?? 'https://gitlab.com', token: options.token });
}

export class GitLabIssues implements IssueTracker {
  private readonly api: InstanceType<typeof Gitlab<false>>;
  private readonly project: string;

  constructor(options: GitLabOptions) {
    this.api = gitlabClient(options);
    this.project = options.repository;
  }

  async *issuePages(): AsyncIterable<readonly TrackedIssue[]> {
    let page: number | null = 1;
    while (page !== null) {
      const response: { data: unknown; paginationInfo: { next: number | null } } = await this.api.Issues.all({ projectId: this.project, perPage: 100, page, showExpanded: true });
      yield (response.data as GitLabIssue[]).map(asTracked);
      page = response.paginationInfo.next;
    }
  }

  async labelNames(): Promise<readonly string[]> {
    const labels = await this.api.ProjectLabels.all(this.project, { perPage: 100 });
    return labels.map(label => label.name);
  }

  async createLabel(label: LabelSpec): Promise<void> {
    await this.api.ProjectLabels.create(this.project, label.name, `#${label.color}`, { description: label.description });
  }

  async createIssue(title: string, body: string, labels: readonly string[]): Promise<TrackedIssue> {
    return asTracked((await this.api.Issues.create(this.project, title, { description: body, labels: labels.join(',') })));
  }

  async reopen(issue: TrackedIssue, labels: readonly string[]): Promise<TrackedIssue> {
    return asTracked((await this.api.Issues.edit(this.project, issue.number, { ...(!issue.isOpen && { stateEvent: 'reopen' }), labels: labels.join(',') })));
  }

  async comment(issue: TrackedIssue, body: string): Promise<void> {
    await this.api.IssueNotes.create(this.project, issue.number, body);
  }

  async close(issue: TrackedIssue): Promise<TrackedIssue> {
    return asTracked((await this.api.Issues.edit(this.project, issue.number, { stateEvent: 'close' })));
  }
}
