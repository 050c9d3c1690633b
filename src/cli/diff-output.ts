// Diffs printed for people: added lines (or {+words+}) in green, removed ones (or [-words-]) in red on a terminal.
const RED = '\u001b[31m';
const GREEN = '\u001b[32m';
export const CYAN = '\u001b[36m';
const RESET = '\u001b[0m';

/** Wraps `text` in a colour when printing to a terminal. */
export function painter(isTerminal: boolean): (code: string, text: string) => string {
  return (code, text) => (isTerminal ? `${code}${text}${RESET}` : text);
}

/** A unified diff or a word diff, coloured on a terminal. */
export function paintDiff(body: string, words: boolean, isTerminal: boolean): string {
  const paint = painter(isTerminal);
  if (words) return body.replace(/\{\+[\s\S]*?\+\}/g, match => paint(GREEN, match)).replace(/\[-[\s\S]*?-\]/g, match => paint(RED, match));
  return body
    .split('\n')
    .map(line => (line.startsWith('+') && !line.startsWith('+++') ? paint(GREEN, line) : line.startsWith('-') && !line.startsWith('---') ? paint(RED, line) : line))
    .join('\n');
}
