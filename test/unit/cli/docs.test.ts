// The reference stays true: every command and option the CLI has is documented in docs/commands.md, in the
// command's own section, and each --help points at a page and a section that exist.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { createProgram, runCli } from '../../../src/cli/run.js';
import { captureIo } from '../../helpers/silent.js';

const docs = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../docs');
const reference = readFileSync(path.join(docs, 'commands.md'), 'utf8');

/** The text of a `## heading` section of a Markdown page. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  if (start === -1) return '';
  const end = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, end === -1 ? undefined : end);
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as dashes. */
function anchorOf(heading: string): string {
  return heading.toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
}

const program = createProgram(captureIo(process.cwd()), () => undefined);

describe('docs/commands.md', () => {
  it.each(program.commands.map(command => [command.name(), command] as const))('documents %s and each of its options', (name, command) => {
    const text = section(reference, name);
    expect(text, `a "## ${name}" section`).not.toBe('');
    for (const option of command.options) expect(text, `${name} ${option.long ?? option.flags}`).toContain(`\`${option.long ?? ''}`);
  });

  it('documents the global options', () => {
    const text = section(reference, 'Global options');
    for (const option of program.options) expect(text).toContain(option.long ?? '');
  });

  it.each([[[] as string[]], ...program.commands.map(command => [[command.name()]])])('links %j --help to a section that exists', async args => {
    const io = captureIo(process.cwd());
    expect(await runCli([...args, '--help'], io)).toBe(0);
    const match = /\nReference: (\S+)\n?$/.exec(io.written.join(''));
    expect(match, 'a Reference line').not.toBeNull();
    const [file = '', anchor] = (match?.[1] ?? '').split('#');
    expect(path.dirname(file)).toBe(docs);
    expect(existsSync(file)).toBe(true);
    if (anchor !== undefined) {
      const headings = [...readFileSync(file, 'utf8').matchAll(/^#{1,6} (.+)$/gm)].map(heading => anchorOf(heading[1] ?? ''));
      expect(headings).toContain(anchor);
    }
  });
});
