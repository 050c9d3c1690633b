// `terms-archive init`: a new collection, laid out as OTA's: declarations/, metadata.yml (valid against OTA's
// schema, its placeholders said so), the config file, a package.json whose scripts call this tool, a .gitignore that
// keeps the repositories and the quarantine out, and a CI workflow that validates the declarations a pull request
// changes. Nothing is overwritten: a folder that already holds a collection is refused.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { ArchiverError } from '../archiver-error.js';

/** The folder already holds a collection, or an option is not valid: nothing was written. */
export class InitError extends ArchiverError {
  override name = 'InitError';
}

export interface InitOptions {
  /** The collection's ID (lower case, digits and `-`), by default from the folder's name. */
  readonly id?: string | undefined;
  /** Its display name, by default from the ID. */
  readonly name?: string | undefined;
  /** The version of this tool the package.json depends on. */
  readonly toolVersion: string;
}

/** A folder name as an OTA collection ID: lower case, other characters replaced by `-`. */
export function collectionIdOf(folder: string): string {
  const id = folder
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return id === '' ? 'collection' : id;
}

const yamlString = (value: string): string => JSON.stringify(value);

function files(id: string, name: string, toolVersion: string): Record<string, string> {
  return {
    'metadata.yml': `# The collection, as OTA describes one (terms-archive validate metadata checks it). Its name and tagline title
# the feeds and the viewer. Edit the tagline, languages (ISO 639-1) and jurisdictions (ISO 3166) to your scope.
id: ${id}
name: ${yamlString(name)}
tagline: ${yamlString(`Terms of service and privacy policies tracked by ${name}`)}
languages:
  - en
jurisdictions:
  - EU
`,
    'terms-archive.config.json': `${JSON.stringify({ declarationsDir: 'declarations', snapshotsDir: 'snapshots-repo', versionsDir: 'versions-repo', quarantineDir: 'quarantine' }, null, 2)}\n`,
    'package.json': `${JSON.stringify(
      {
        name: `${id}-declarations`,
        private: true,
        description: `The declarations of ${name}`,
        scripts: {
          validate: 'terms-archive validate',
          'validate:modified': 'terms-archive validate --modified',
          'validate:metadata': 'terms-archive validate metadata',
          lint: 'terms-archive lint',
          track: 'terms-archive track',
          start: 'terms-archive track --schedule "30 */12 * * *"',
          serve: 'terms-archive serve',
          dataset: 'terms-archive dataset',
        },
        dependencies: { 'terms-archive': `^${toolVersion}` },
      },
      null,
      2,
    )}\n`,
    '.gitignore': `# the repositories are published on their own (snapshotsRemote, versionsRemote), never in the declarations
snapshots-repo/
versions-repo/
quarantine/
status.json
alerts-digest.json
node_modules/
*.zip
# what backfill and rebuild-versions build beside the repositories
backfill-cache/
backfilled/
*.before-backfill-*/
*.before-rebuild-*/
versions-repo.rebuilt/
`,
    '.github/workflows/validate.yml': `# Checks the declarations a pull request adds or changes: schema, rules, and a fetch of each changed terms.
name: Validate declarations
on:
  pull_request:
jobs:
  validate:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - run: npm install --no-audit --no-fund
      - run: npx terms-archive validate metadata
      - run: npx terms-archive lint
      - run: npx terms-archive validate --modified "origin/\${{ github.base_ref }}"
`,
    'declarations/.gitkeep': '',
  };
}

/** Writes a new collection into `directory` (created when missing) and returns the files written, relative to it. */
export async function initCollection(directory: string, options: InitOptions): Promise<string[]> {
  const existing = await readdir(directory).catch(() => [] as string[]);
  const taken = ['declarations', 'metadata.yml', 'terms-archive.config.json', 'package.json'].filter(name => existing.includes(name));
  if (taken.length > 0) throw new InitError(`${directory} already holds ${taken.join(', ')}: nothing was written (init makes a new collection; it never overwrites one)`);
  const id = options.id ?? collectionIdOf(path.basename(path.resolve(directory)));
  if (!/^[a-z0-9][a-z0-9-]*$/.test(id)) throw new InitError(`--id: "${id}" is not a collection ID (lower-case letters, digits and "-")`);
  const name = options.name ?? id.split('-').map(word => word.charAt(0).toUpperCase() + word.slice(1)).join(' ');
  const written: string[] = [];
  for (const [file, content] of Object.entries(files(id, name, options.toolVersion))) {
    await mkdir(path.dirname(path.join(directory, file)), { recursive: true });
    await writeFile(path.join(directory, file), content, { flag: 'wx' });
    written.push(file);
  }
  return written;
}
