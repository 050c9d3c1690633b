// Issues for inaccessible terms (publish/reporter.ts), attached to tracking after the technical-upgrade pass, as
// OTA attaches its reporter: a failure of the upgrade pass opens no issue. Reports run beside the pass and are
// awaited at its end; a report that fails is one line on standard error and never fails the run.
import { type InaccessibleTerms, IssueReporter } from '../publish/index.js';
import type { Archivist } from '../track/index.js';
import type { Config } from './config.js';
import type { CliContext } from './setup.js';

export interface IssueReporting {
  /** Starts reporting (after the upgrade pass). */
  attach(): void;
  /** Waits for this pass's reports, then readies the next pass. */
  afterPass(): Promise<void>;
}

const NO_REPORTING: IssueReporting = { attach: () => undefined, afterPass: () => Promise.resolve() };

/** `owner/repo` of a GitHub remote URL (https://github.com/o/r.git, git@github.com:o/r.git, ssh://git@github.com/o/r). */
function gitHubRepositoryOf(remote: string | undefined): string | undefined {
  return /github\.com[:/]([^/\s]+\/[^/\s]+?)(?:\.git)?\/?$/.exec(remote ?? '')?.[1];
}

const asSelectors = (value: unknown): string => (value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value));

export function issueReporting(archivist: Archivist, config: Config, context: CliContext): IssueReporting {
  const token = context.env.TERMS_ARCHIVE_GITHUB_TOKEN || context.env.OTA_ENGINE_GITHUB_TOKEN;
  if (config.issuesRepository === undefined || !token) return NO_REPORTING;
  const repository = config.issuesRepository;
  const reporter = new IssueReporter({ repository, token, apiUrl: config.githubApiUrl, maxCalls: config.reporterMaxCalls });
  const snapshots = gitHubRepositoryOf(config.snapshotsRemote);
  const pending: Promise<void>[] = [];
  const run = (task: () => Promise<void>): void => {
    pending.push(task().catch((error: unknown) => { context.err(`Issue reporting on ${repository} failed: ${error instanceof Error ? error.message : String(error)}`); }));
  };
  const tracked = (isNew: boolean) => (version: { serviceId: string; termsType: string }) => {
    run(() => reporter.reportTracked(version.serviceId, version.termsType, isNew));
  };
  return {
    attach: () => {
      archivist.attach(
        {
          onInaccessibleContent: (error, terms) => {
            const report: InaccessibleTerms = {
              serviceId: terms.serviceId,
              serviceName: terms.serviceName,
              termsType: terms.type,
              reasons: error.reasons,
              documents: terms.sourceDocuments.map(document => ({ location: document.location, select: asSelectors(document.contentSelectors), remove: asSelectors(document.insignificantContentSelectors) })),
              links: [
                { title: 'Declaration', url: `https://github.com/${repository}/blob/main/declarations/${encodeURIComponent(terms.serviceId)}.json` },
                ...(snapshots === undefined ? [] : [{ title: 'Latest snapshots', url: `https://github.com/${snapshots}/tree/main/${encodeURIComponent(terms.serviceId)}` }]),
              ],
            };
            run(() => reporter.reportInaccessible(report));
          },
          onFirstVersionRecorded: tracked(true),
          onVersionRecorded: tracked(true),
          onVersionNotChanged: tracked(false),
        },
        'issue-reporting',
      );
    },
    afterPass: async () => {
      await Promise.all(pending.splice(0));
      if (reporter.skipped > 0) context.err(`Issue reporting on ${repository}: ${String(reporter.skipped)} reports wait for the next run (at most ${String(config.reporterMaxCalls)} API calls a run)`);
      reporter.newRun();
    },
  };
}
