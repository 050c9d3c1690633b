// `dataset --publish`: the ZIP released on every platform the collection is configured for, one after the other, as
// OTA does: a GitHub release (githubRepository), a GitLab release (gitlabRepository), data.gouv.fr
// (datagouvDatasetId or datagouvOrganization). Credentials come from the environment only. A platform that fails
// does not stop the others; the command then fails, naming each failure.
import { type DatasetSummary, publishGitHubRelease, publishGitLabRelease, publishOnDataGouv } from '../publish/index.js';
import type { Config } from './config.js';
import { UsageError } from './errors.js';

interface Target {
  readonly name: string;
  readonly publish: () => Promise<string>;
}

export interface DatasetRelease {
  readonly file: string;
  /** The collection's name (metadata.yml): the data.gouv.fr dataset's title and the GitLab package's name. */
  readonly collectionName: string;
  readonly summary: DatasetSummary;
}

const first = (...values: (string | undefined)[]): string | undefined => values.find(value => value !== undefined && value !== '');

/**
 * The platforms to publish on, once the dataset is made; checked before it is made: a UsageError when none is
 * configured, or one lacks its credential.
 */
export function planRelease(config: Config, env: Readonly<Record<string, string | undefined>>): (release: DatasetRelease) => Target[] {
  const githubToken = first(env.TERMS_ARCHIVE_GITHUB_TOKEN, env.OTA_ENGINE_GITHUB_TOKEN);
  const gitlabToken = first(env.TERMS_ARCHIVE_GITLAB_TOKEN, env.OTA_ENGINE_GITLAB_RELEASES_TOKEN);
  const datagouvKey = first(env.TERMS_ARCHIVE_DATAGOUV_API_KEY, env.OTA_ENGINE_DATAGOUV_API_KEY);
  const isDataGouv = config.datagouvDatasetId !== undefined || config.datagouvOrganization !== undefined;
  const missing = [
    ...(config.githubRepository !== undefined && !githubToken ? ['githubRepository is set: put a GitHub token in TERMS_ARCHIVE_GITHUB_TOKEN'] : []),
    ...(config.gitlabRepository !== undefined && !gitlabToken ? ['gitlabRepository is set: put a GitLab token in TERMS_ARCHIVE_GITLAB_TOKEN'] : []),
    ...(isDataGouv && !datagouvKey ? ['data.gouv.fr is set: put an API key in TERMS_ARCHIVE_DATAGOUV_API_KEY'] : []),
  ];
  if (missing.length > 0) throw new UsageError(`--publish: ${missing.join('; ')}`);
  if (config.githubRepository === undefined && config.gitlabRepository === undefined && !isDataGouv) {
    throw new UsageError('--publish: set githubRepository ("owner/repo"), gitlabRepository ("group/project"), or datagouvDatasetId / datagouvOrganization, with its credential in the environment');
  }
  return release => targetsOf(config, { githubToken, gitlabToken, datagouvKey }, release);
}

interface Credentials {
  readonly githubToken: string | undefined;
  readonly gitlabToken: string | undefined;
  readonly datagouvKey: string | undefined;
}

function targetsOf(config: Config, { githubToken, gitlabToken, datagouvKey }: Credentials, release: DatasetRelease): Target[] {
  // the README's title line titles a release, the rest describes it, as OTA's releases
  const [heading = '', ...rest] = (release.summary.readme ?? '').split('\n');
  const title = heading.replace(/^#\s*/, '') || release.collectionName;
  const body = rest.join('\n').trim();
  const targets: Target[] = [];
  if (config.githubRepository !== undefined && githubToken) {
    const repository = config.githubRepository;
    targets.push({ name: 'GitHub', publish: () => publishGitHubRelease({ file: release.file, repository, token: githubToken, apiUrl: config.githubApiUrl, title, body }) });
  }
  if (config.gitlabRepository !== undefined && gitlabToken) {
    const repository = config.gitlabRepository;
    targets.push({ name: 'GitLab', publish: () => publishGitLabRelease({ file: release.file, repository, token: gitlabToken, url: config.gitlabUrl, packageName: release.collectionName, title, body }) });
  }
  if ((config.datagouvDatasetId !== undefined || config.datagouvOrganization !== undefined) && datagouvKey) {
    const { firstDate, lastDate } = release.summary;
    targets.push({
      name: 'data.gouv.fr',
      publish: () =>
        publishOnDataGouv({
          apiKey: datagouvKey,
          apiUrl: config.datagouvApiUrl,
          datasetId: config.datagouvDatasetId,
          organization: config.datagouvOrganization,
          title: release.collectionName,
          description: body,
          frequency: config.datagouvFrequency,
          coverage: firstDate !== undefined && lastDate !== undefined ? { start: firstDate, end: lastDate } : undefined,
          file: release.file,
        }),
    });
  }
  return targets;
}

/** Publishes on each target in turn; says where each went; throws naming the failures once all were tried. */
export async function publishRelease(targets: readonly Target[], out: (line: string) => void): Promise<void> {
  const failures: string[] = [];
  for (const target of targets) {
    try {
      out(`Published on ${target.name}: ${await target.publish()}`);
    } catch (error) {
      failures.push(error instanceof Error ? error.message : String(error));
    }
  }
  if (failures.length > 0) throw new Error(`${failures.length === targets.length ? 'The dataset was published nowhere' : 'The dataset was not published everywhere'}: ${failures.join('; ')}`);
}
