// The LICENSE of a dataset: the full text of the Open Database License 1.0, as OTA ships it, read from the SPDX
// license list (the text SPDX publishes, kept by the spdx-license-list package) rather than a copy of our own.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const LICENSE_ID = 'ODbL-1.0';

export async function odblText(): Promise<string> {
  const file = createRequire(import.meta.url).resolve(`spdx-license-list/licenses/${LICENSE_ID}.json`);
  const { licenseText } = JSON.parse(await readFile(file, 'utf8')) as { licenseText: string };
  return `${licenseText.trimEnd()}\n`;
}
