// What the issue reporter (publish/reporter.ts) needs of an issue tracker, GitHub's or GitLab's: each method is one
// API call (a page of a listing is one call), so that the reporter can keep to its budget of calls per run.

export interface TrackedIssue {
  /** The number shown in the tracker (GitHub's number, GitLab's iid). */
  readonly number: number;
  readonly title: string;
  readonly isOpen: boolean;
  /** ISO 8601. */
  readonly createdAt: string;
  readonly labels: readonly string[];
}

export interface LabelSpec {
  readonly name: string;
  /** Six hex digits, without '#'. */
  readonly color: string;
  readonly description: string;
}

export interface IssueTracker {
  /** The repository's issues, open and closed (pull requests left out), a page at a time. */
  issuePages(): AsyncIterable<readonly TrackedIssue[]>;
  /** The names of the repository's labels (one call a page of 100). */
  labelNames(): Promise<readonly string[]>;
  createLabel(label: LabelSpec): Promise<void>;
  createIssue(title: string, body: string, labels: readonly string[]): Promise<TrackedIssue>;
  /** Opens the issue if it is closed and sets its labels, in one call. */
  reopen(issue: TrackedIssue, labels: readonly string[]): Promise<TrackedIssue>;
  comment(issue: TrackedIssue, body: string): Promise<void>;
  close(issue: TrackedIssue): Promise<TrackedIssue>;
}
