// Publishing a dataset as a GitLab release, as OTA does: a release tagged with the archive's name (on the project's
// default branch), titled and described by the dataset's README, its ZIP stored in the project's generic package
// registry and linked from the release. Through the @gitbeaker/rest client, on gitlab.com or a self-managed instance.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { gitlabClient, type GitLabOptions } from './gitlab-issues.js';
import { ReleaseError, statusOf } from './release-error.js';

export interface GitLabReleaseOptions extends GitLabOptions {
  /** The ZIP to attach; its name without `.zip` is the release's tag. */
  readonly file: string;
  /** The generic package the ZIP is stored in (the collection's name). */
  readonly packageName: string;
  readonly title: string;
  readonly body: string;
}

/** GitLab's generic packages accept letters, digits, dots, dashes and underscores in names and versions. */
const packageSafe = (text: string): string => text.replace(/[^a-zA-Z0-9._-]/g, '-');

/** Creates the release, stores the ZIP and links it; returns the release's page. */
export async function publishGitLabRelease(options: GitLabReleaseOptions): Promise<string> {
  const api = gitlabClient(options);
  const fileName = path.basename(options.file);
  const tag = fileName.replace(/\.zip$/, '');
  try {
    const project = await api.Projects.show(options.repository);
    await api.ProjectReleases.create(project.id, { tagName: tag, name: options.title, description: options.body, ref: project.default_branch });
    const stored = await api.PackageRegistry.publish(
      project.id,
      packageSafe(options.packageName),
      packageSafe(tag),
      { content: new Blob([await readFile(options.file)], { type: 'application/zip' }), filename: packageSafe(fileName) },
      { select: 'package_file', status: 'default' },
    );
    await api.ReleaseLinks.create(project.id, tag, fileName, `${project.web_url}/-/package_files/${String(stored.id)}/download`, { linkType: 'package' });
    return `${project.web_url}/-/releases/${encodeURIComponent(tag)}`;
  } catch (error) {
    throw new ReleaseError(`${options.repository}: the dataset was not published as a GitLab release${statusOf(error)}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
