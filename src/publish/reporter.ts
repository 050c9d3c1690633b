// Inaccessible terms reported as issues of the declarations repository on GitHub or GitLab, as OTA's reporter does,
// so that an OTA collection's existing issues are found and reused: one issue per terms, titled
// "`<service>` ‧ `<terms type>` ‧ not tracked anymore", labelled by what went wrong with OTA's labels. Opened when a
// terms becomes inaccessible, commented and reopened when it fails otherwise, closed with a comment when it is tracked
// again. Through the platform's client (platforms/: Octokit, gitbeaker), with a bounded number of API calls per run:
// past it, the rest waits for the next run.
import type { IssueTracker, TrackedIssue } from './platforms/issue-tracker.js';

/** OTA's managed labels (name, colour, description), marked as managed as OTA marks them. */
const MANAGED_MARKER = '- Auto-managed by OTA engine';
const NEEDS_INTERVENTION = { name: '⚠ needs intervention', color: 'FDD42A', description: 'Requires contributors intervention to restore tracking' };
const LABELS = {
  structure: { name: 'document structure changed', color: 'FFFFFF', description: 'Selectors do not match any content in the document' },
  notFound: { name: 'document not found', color: 'FFFFFF', description: 'Fetch location is outdated' },
  forbidden: { name: 'document access forbidden', color: 'FFFFFF', description: 'Fetching failed with a 403 (forbidden) HTTP code' },
  tooMany: { name: 'access limit exceeded', color: 'FFFFFF', description: 'Fetching failed with a 429 (too many requests) HTTP code' },
  http500: { name: 'server errored', color: 'FFFFFF', description: 'Fetching failed with a 500 (internal server error) HTTP code' },
  http502: { name: 'upstream server errored', color: 'FFFFFF', description: 'Fetching failed with a 502 (bad gateway) HTTP code' },
  http503: { name: 'server was unavailable', color: 'FFFFFF', description: 'Fetching failed with a 503 (service unavailable) HTTP code' },
  timeout: { name: 'document load timed out', color: 'FFFFFF', description: 'Fetching failed with a timeout error' },
  dnsLookup: { name: 'domain lookup failed', color: 'FFFFFF', description: 'Fetching failed because the domain temporarily failed to resolve on DNS' },
  dnsResolution: { name: 'domain resolution failed', color: 'FFFFFF', description: 'Fetching failed because the domain fails to resolve on DNS' },
  emptyResponse: { name: 'received empty response', color: 'FFFFFF', description: 'Fetching failed because server returned an empty response body' },
  sslInvalid: { name: 'certificate was invalid', color: 'FFFFFF', description: 'Fetching failed because the domain SSL certificate failed to verify' },
  sslExpired: { name: 'certificate expired', color: 'FFFFFF', description: 'Fetching failed because the domain SSL certificate has expired' },
  redirects: { name: 'redirected too many times', color: 'FFFFFF', description: 'Fetching failed because of too many redirects' },
  invalidSelector: { name: 'invalid selector', color: 'FFFFFF', description: 'Some selectors cannot be understood by the engine' },
  emptyContent: { name: 'document was empty', color: 'FFFFFF', description: 'Fetching failed because the server returns an empty content' },
  unknown: { name: 'failed for an unknown reason', color: 'FFFFFF', description: 'Fetching failed for an undetermined reason that needs investigation' },
  needsIntervention: NEEDS_INTERVENTION,
};
const MANAGED_NAMES = new Set(Object.values(LABELS).map(label => label.name));

/** OTA's reasons → labels, the first substring found in the reasons wins (in this order). */
const LABELS_OF_REASONS: readonly [string, readonly string[]][] = [
  ['has no match', [LABELS.structure.name, NEEDS_INTERVENTION.name]],
  ['HTTP code 404', [LABELS.notFound.name, NEEDS_INTERVENTION.name]],
  ['HTTP code 403', [LABELS.forbidden.name]],
  ['HTTP code 429', [LABELS.tooMany.name]],
  ['HTTP code 500', [LABELS.http500.name]],
  ['HTTP code 502', [LABELS.http502.name]],
  ['HTTP code 503', [LABELS.http503.name]],
  ['Timed out after', [LABELS.timeout.name]],
  ['EAI_AGAIN', [LABELS.dnsLookup.name]],
  ['ENOTFOUND', [LABELS.dnsResolution.name]],
  ['Response is empty', [LABELS.emptyResponse.name]],
  ['unable to verify the first certificate', [LABELS.sslInvalid.name]],
  ['certificate has expired', [LABELS.sslExpired.name]],
  ['maximum redirect reached', [LABELS.redirects.name]],
  ['not a valid selector', [LABELS.invalidSelector.name, NEEDS_INTERVENTION.name]],
  ['empty content', [LABELS.emptyContent.name]],
];

export function labelsOfReasons(reasons: readonly string[]): readonly string[] {
  const text = reasons.join('\n');
  return LABELS_OF_REASONS.find(([substring]) => text.includes(substring))?.[1] ?? [LABELS.unknown.name];
}

/** OTA's issue title of a terms. */
export function issueTitle(serviceId: string, termsType: string): string {
  return `\`${serviceId}\` ‧ \`${termsType}\` ‧ not tracked anymore`;
}

export interface InaccessibleTerms {
  readonly serviceId: string;
  readonly serviceName: string;
  readonly termsType: string;
  readonly reasons: readonly string[];
  /** Each source document: where it is fetched and the selectors it uses. */
  readonly documents: readonly { readonly location: string; readonly select: string; readonly remove: string }[];
  /** Links for the issue: the declaration, the latest snapshot (when the snapshots repository is on GitHub). */
  readonly links: readonly { readonly title: string; readonly url: string }[];
}

export interface ReporterOptions {
  /** Where the issues are kept: GitHub's or GitLab's issues of the declarations repository. */
  readonly tracker: IssueTracker;
  /** API calls at most per run. @default 100 */
  readonly maxCalls?: number;
  readonly now?: () => Date;
}

export class IssueReporter {
  private readonly tracker: IssueTracker;
  private calls = 0;
  private readonly maxCalls: number;
  private issues: Promise<Map<string, TrackedIssue>> | undefined;
  private labelsReady: Promise<void> | undefined;
  /** Reports skipped because the run's API calls were spent. */
  skipped = 0;

  constructor(private readonly options: ReporterOptions) {
    this.tracker = options.tracker;
    this.maxCalls = options.maxCalls ?? 100;
  }

  /** Starts a new run: the API call budget is whole again, and issues are read again. */
  newRun(): void {
    this.calls = 0;
    this.skipped = 0;
    this.issues = undefined;
  }

  private spend(count = 1): boolean {
    if (this.calls + count > this.maxCalls) {
      this.skipped++;
      return false;
    }
    this.calls += count;
    return true;
  }

  /** Every issue of the repository by title (the oldest of a title, as OTA keeps the longest history). */
  private loadIssues(): Promise<Map<string, TrackedIssue>> {
    this.issues ??= (async () => {
      const byTitle = new Map<string, TrackedIssue>();
      for await (const page of this.tracker.issuePages()) {
        this.calls++;
        for (const issue of page) {
          const known = byTitle.get(issue.title);
          if (!known || issue.createdAt < known.createdAt) byTitle.set(issue.title, issue);
        }
      }
      return byTitle;
    })();
    return this.issues;
  }

  /** OTA's labels, created on the repository when missing (once per process). */
  private ensureLabels(): Promise<void> {
    this.labelsReady ??= (async () => {
      this.calls++;
      const existing = new Set(await this.tracker.labelNames());
      for (const label of Object.values(LABELS)) {
        if (existing.has(label.name) || !this.spend()) continue;
        await this.tracker.createLabel({ ...label, description: `${label.description} ${MANAGED_MARKER}` });
      }
    })();
    return this.labelsReady;
  }

  /** Opens the terms' issue, or reopens and comments it when its labels changed or it was closed. */
  async reportInaccessible(terms: InaccessibleTerms): Promise<void> {
    await this.ensureLabels();
    const issues = await this.loadIssues();
    const title = issueTitle(terms.serviceId, terms.termsType);
    const labels = [...labelsOfReasons(terms.reasons)];
    const body = this.description(terms);
    const issue = issues.get(title);
    if (!issue) {
      if (!this.spend()) return;
      issues.set(title, await this.tracker.createIssue(title, body, labels));
      return;
    }
    // already open with these labels: the failure was reported
    if (issue.isOpen && labels.every(label => issue.labels.includes(label))) return;
    if (!this.spend(2)) return;
    const kept = issue.labels.filter(label => !MANAGED_NAMES.has(label));
    issues.set(title, await this.tracker.reopen(issue, [...labels, ...kept]));
    await this.tracker.comment(issue, body);
  }

  /** Closes the terms' open issue, if any, saying that tracking resumed. */
  async reportTracked(serviceId: string, termsType: string, isNewVersion: boolean): Promise<void> {
    const issues = await this.loadIssues();
    const title = issueTitle(serviceId, termsType);
    const issue = issues.get(title);
    if (!issue?.isOpen || !this.spend(2)) return;
    await this.tracker.comment(issue, `**Tracking resumed!** ${isNewVersion ? 'A new version has been recorded.' : 'No changes were detected in the last run.'}`);
    issues.set(title, await this.tracker.close(issue));
  }

  private description(terms: InaccessibleTerms): string {
    const date = (this.options.now?.() ?? new Date()).toISOString().replace('T', ' ').slice(0, 19);
    return [
      `## The \`${terms.termsType}\` of \`${terms.serviceName}\` could not be tracked on ${date} UTC`,
      '',
      'Nothing is recorded for these terms until this is fixed; their latest snapshot, when there is one, is kept.',
      '',
      '### What went wrong',
      '',
      ...terms.reasons.map(reason => `- \`${reason.replace(/`/g, "'")}\``),
      '',
      '### The source documents',
      '',
      ...terms.documents.map(document => `- [ ] ${document.location}${document.select ? ` — select \`${document.select}\`` : ''}${document.remove ? `, remove \`${document.remove}\`` : ''}`),
      '',
      'Check that each one opens in a browser. If it moved, update its location; if its content is there, update the selectors (`terms-archive preview` shows what they extract); if the terms are gone, move them to the service\'s history file.',
      '',
      '### References',
      '',
      ...terms.links.map(link => `- [${link.title}](${link.url})`),
      '',
    ].join('\n');
  }
}
