// Publishing a dataset as a GitHub release, as OTA does: a release whose tag is the archive's name, titled and
// described by the dataset's README, with the ZIP attached. Through GitHub's official client (Octokit), against
// api.github.com or a GitHub Enterprise server (`githubApiUrl`).
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { Octokit } from '@octokit/rest';

import { SILENT } from './octokit-log.js';
import { ReleaseError, statusOf } from './release-error.js';

export interface GitHubReleaseOptions {
  /** The ZIP to attach; its name without `.zip` is the release's tag. */
  readonly file: string;
  /** `owner/repo`. */
  readonly repository: string;
  /** From the environment only. */
  readonly token: string;
  /** @default 'https://api.github.com' */
  readonly apiUrl?: string | undefined;
  readonly title: string;
  readonly body: string;
}

/** Creates the release and uploads the ZIP; returns the release's page. */
export async function publishGitHubRelease(options: GitHubReleaseOptions): Promise<string> {
  const [owner, repo, ...rest] = options.repository.split('/');
  if (!owner || !repo || rest.length > 0) throw new ReleaseError(`githubRepository: "${options.repository}" is not "owner/repo"`);
  const octokit = new Octokit({ auth: options.token, baseUrl: options.apiUrl ?? 'https://api.github.com', userAgent: 'terms-archive', log: SILENT });
  const name = path.basename(options.file);
  try {
    const release = await octokit.rest.repos.createRelease({ owner, repo, tag_name: name.replace(/\.zip$/, ''), name: options.title, body: options.body });
    await octokit.rest.repos.uploadReleaseAsset({
      owner,
      repo,
      release_id: release.data.id,
      url: release.data.upload_url,
      name,
      // the client sends the bytes as they are; its type says string
      data: (await readFile(options.file)) as unknown as string,
      headers: { 'content-type': 'application/zip' },
    });
    return release.data.html_url;
  } catch (error) {
    throw new ReleaseError(`${options.repository}: the dataset was not published as a GitHub release${statusOf(error)}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
