// The part of two versions that a change's figures, HTML and label need: the lines between those the two texts share
// at their start and at their end, with enough unchanged lines around them for context, cut from the UTF-8 bytes
// (a byte comparison) and decoded alone. A one-word change to a 500 KB terms decodes and diffs a few KB; the
// results are those of the whole texts, since outside the window the two are the same lines.
const NEWLINE = 10;

/** Unchanged non-blank lines kept on each side of the changed lines (the HTML shows 3, the label rules read 3). */
const CONTEXT_LINES = 8;

export interface ChangeWindow {
  readonly before: string;
  readonly after: string;
  /** The line just above the window ('' at the start of the texts): it may be the text of a heading underlined in it. */
  readonly lineAbove: string;
  /** The nearest heading above the window, read only when asked (the texts above it are the same). */
  readonly headingAbove: () => string;
}

/** Bytes the two share at their start. */
export function commonPrefix(a: Buffer, b: Buffer): number {
  const shortest = Math.min(a.length, b.length);
  const block = 4096;
  let at = 0;
  while (at + block <= shortest && a.compare(b, at, at + block, at, at + block) === 0) at += block;
  while (at < shortest && a[at] === b[at]) at++;
  return at;
}

/** Bytes the two share at their end, at most `limit`. */
export function commonSuffix(a: Buffer, b: Buffer, limit: number): number {
  let length = 0;
  while (length < limit && a[a.length - 1 - length] === b[b.length - 1 - length]) length++;
  return length;
}

export const isBlank = (bytes: Buffer, start: number, end: number): boolean => {
  for (let at = start; at < end; at++) {
    const byte = bytes[at];
    if (byte !== 32 && byte !== 9 && byte !== 13) return false;
  }
  return true;
};

/** The start of the line `lines` non-blank lines above the line starting at `start`. */
function backBy(bytes: Buffer, start: number, lines: number): number {
  let at = start;
  for (let found = 0; at > 0 && found < lines; ) {
    const lineStart = at - 1 === 0 ? 0 : bytes.lastIndexOf(NEWLINE, at - 2) + 1;
    if (!isBlank(bytes, lineStart, at - 1)) found++;
    at = lineStart;
  }
  return at;
}

/** The end (after its line break) of the line `lines` non-blank lines below the line starting at `start`. */
function forwardBy(bytes: Buffer, start: number, lines: number): number {
  let at = start;
  for (let found = 0; at < bytes.length && found < lines; ) {
    const newline = bytes.indexOf(NEWLINE, at);
    const lineEnd = newline === -1 ? bytes.length : newline + 1;
    if (!isBlank(bytes, at, newline === -1 ? bytes.length : newline)) found++;
    at = lineEnd;
  }
  return at;
}

/**
 * The nearest heading above the line starting at `end`, found by reading the bytes back line by line and decoding
 * only the lines that could be one: those starting with `#`, and underlines (`===`, `---`) with the line above them.
 */
function headingAbove(bytes: Buffer, end: number, headingIn: (lines: readonly string[]) => string | undefined): string {
  let lineEnd = end - 1; // the line break ending the line above
  while (lineEnd >= 0) {
    const lineStart = lineEnd === 0 ? 0 : bytes.lastIndexOf(NEWLINE, lineEnd - 1) + 1;
    const first = bytes[lineStart];
    if (first === 35 /* # */ || first === 61 /* = */ || first === 45 /* - */) {
      const aboveStart = lineStart < 2 ? 0 : bytes.lastIndexOf(NEWLINE, lineStart - 2) + 1;
      // this line, or the one above it, if either is a heading (an underline's heading is the line above it)
      const heading = headingIn(bytes.toString('utf8', aboveStart, lineEnd).split('\n'));
      if (heading !== undefined) return heading;
    }
    lineEnd = lineStart - 1;
  }
  return '';
}

/** `headingIn` finds the nearest heading at or above the last of these lines. */
export function changeWindow(previous: Buffer, content: Buffer, headingIn: (lines: readonly string[]) => string | undefined): ChangeWindow {
  const prefix = commonPrefix(previous, content);
  // the changed lines start at the start of the line of the first byte that differs
  const changedStart = prefix === 0 ? 0 : previous.lastIndexOf(NEWLINE, prefix - 1) + 1;
  const shared = commonSuffix(previous, content, Math.min(previous.length, content.length) - changedStart);
  // and end at a line start that both texts have within the bytes they share at their end
  let fromEnd = shared;
  const lineStartIn = (bytes: Buffer, at: number): boolean => at === 0 || bytes[at - 1] === NEWLINE;
  const aligned = (length: number): boolean => lineStartIn(previous, previous.length - length) && lineStartIn(content, content.length - length);
  while (fromEnd > 0 && !aligned(fromEnd)) {
    const next = previous.indexOf(NEWLINE, previous.length - fromEnd);
    fromEnd = next === -1 ? 0 : previous.length - next - 1;
  }
  const start = backBy(previous, changedStart, CONTEXT_LINES);
  const endBefore = forwardBy(previous, previous.length - fromEnd, CONTEXT_LINES);
  const endAfter = content.length - (previous.length - endBefore);
  const above = start < 2 ? '' : previous.toString('utf8', previous.lastIndexOf(NEWLINE, start - 2) + 1, start - 1);
  return {
    before: previous.toString('utf8', start, endBefore),
    after: content.toString('utf8', start, endAfter),
    lineAbove: above,
    headingAbove: () => headingAbove(previous, start, headingIn),
  };
}
