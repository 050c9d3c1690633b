// Issues for inaccessible terms (publish/reporter.ts) on GitHub or GitLab, attached to tracking after the technical-upgrade pass, as
// OTA attaches its reporter: a failure of the upgrade pass opens no issue. Reports run beside the pass and are
// awaited at its end; a report that fails is one line on standard error and never fails the run.
import { GitHubIssues, GitLabIssues, type InaccessibleTerms, IssueReporter, type IssueTracker } from '../publish/index.js';
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

/**
 * The path of a repository on `host` from its remote URL (https://host/o/r.git, git@host:o/r.git, ssh://git@host/o/r;
 * on GitLab, subgroups included).
 */
export function repositoryPathOn(host: string, remote: string | undefined): string | undefined {
  const match = /^(?:[a-z+]+:\/\/)?(?:[^@/]+@)?([^/:]+)(?::\d+)?[:/](.+?)(?:\.git)?\/?$/.exec(remote ?? '');
  return match?.[1] === host && match[2]?.includes('/') === true ? match[2] : undefined;
}

interface Platform {
  readonly tracker: IssueTracker;
  /** The web page of a file, and of a folder, on the main branch of a repository of the platform. */
  readonly file: (repository: string, path: string) => string;
  readonly folder: (repository: string, path: string) => string;
  readonly host: string;
}

function platformOf(config: Config, env: CliContext['env'], repository: string): Platform | undefined {
  if (config.issuesPlatform === 'gitlab') {
    const token = env.TERMS_ARCHIVE_GITLAB_TOKEN || env.OTA_ENGINE_GITLAB_TOKEN;
    if (!token) return undefined;
    const web = config.gitlabUrl.replace(/\/+$/, '');
    return {
      tracker: new GitLabIssues({ repository, token, url: web }),
      file: (project, file) => `${web}/${project}/-/blob/main/${file}`,
      folder: (project, folder) => `${web}/${project}/-/tree/main/${folder}`,
      host: new URL(web).hostname,
    };
  }
  const token = env.TERMS_ARCHIVE_GITHUB_TOKEN || env.OTA_ENGINE_GITHUB_TOKEN;
  if (!token) return undefined;
  return {
    tracker: new GitHubIssues({ repository, token, apiUrl: config.githubApiUrl }),
    file: (project, file) => `https://github.com/${project}/blob/main/${file}`,
    folder: (project, folder) => `https://github.com/${project}/tree/main/${folder}`,
    host: 'github.com',
  };
}

const asSelectors = (value: unknown): string => (value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value));

export function issueReporting(archivist: Archivist, config: Config, context: CliContext): IssueReporting {
  if (config.issuesRepository === undefined) return NO_REPORTING;
  const repository = config.issuesRepository;
  const platform = platformOf(config, context.env, repository);
  if (platform === undefined) return NO_REPORTING;
  const reporter = new IssueReporter({ tracker: platform.tracker, maxCalls: config.reporterMaxCalls });
  const snapshots = repositoryPathOn(platform.host, config.snapshotsRemote);
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
                { title: 'Declaration', url: platform.file(repository, `declarations/${encodeURIComponent(terms.serviceId)}.json`) },
                ...(snapshots === undefined ? [] : [{ title: 'Latest snapshots', url: platform.folder(snapshots, encodeURIComponent(terms.serviceId)) }]),
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
