// Every command's --help ends with the page of the reference that documents it, as a path to the file shipped with
// the package (docs/ sits beside dist/), so it works offline and matches the installed version.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type { Command } from 'commander';

const DOCS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'docs');

/** `page` is a file of docs/, with an optional #anchor. */
export function helpPage(command: Command, page: string): Command {
  return command.addHelpText('after', `\nReference: ${path.join(DOCS, page)}`);
}
