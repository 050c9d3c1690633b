// Paragraphs of Markdown, the unit that search, trace and blame work on: runs of non-blank lines between blank
// lines, trimmed. A version's change is read as paragraphs from the part of the two texts where they differ, cut
// from their UTF-8 bytes at blank lines that both share, so that a one-word change to a 500 KB terms splits a few
// paragraphs, not thousands; the result is that of splitting the whole texts.
import { commonPrefix, commonSuffix, isBlank } from './change-window.js';

const NEWLINE = 10;

/** The paragraphs of a Markdown text, in order. */
export function paragraphsOf(text: string): string[] {
  const paragraphs: string[] = [];
  for (const part of text.split(/\n(?:[ \t\r]*\n)+/)) {
    const paragraph = part.trim();
    if (paragraph !== '') paragraphs.push(paragraph);
  }
  return paragraphs;
}

export interface ParagraphWindow {
  /** The paragraphs of the previous text that may have changed, in order. */
  readonly before: string[];
  /** Those of the new text in their place. */
  readonly after: string[];
}

/**
 * The paragraphs where two versions differ. The window starts at the start of the paragraph holding the first byte
 * that differs (below a blank line the two share) and ends at a blank line within the bytes they share at their end:
 * outside it, the two texts split into the same paragraphs.
 */
export function paragraphWindow(previous: Buffer, content: Buffer): ParagraphWindow {
  const prefix = commonPrefix(previous, content);
  let start = prefix === 0 ? 0 : previous.lastIndexOf(NEWLINE, prefix - 1) + 1;
  while (start > 0) {
    const aboveStart = start === 1 ? 0 : previous.lastIndexOf(NEWLINE, start - 2) + 1;
    if (isBlank(previous, aboveStart, start - 1)) break;
    start = aboveStart;
  }
  const shared = commonSuffix(previous, content, Math.min(previous.length, content.length) - start);
  // the first blank line whose line break before it is among the shared bytes
  let end = previous.length;
  for (let at = previous.length - shared; at < previous.length; ) {
    const newline = previous.indexOf(NEWLINE, at);
    if (newline === -1) break;
    const lineStart = newline + 1;
    const lineEnd = previous.indexOf(NEWLINE, lineStart);
    if (lineStart < previous.length && isBlank(previous, lineStart, lineEnd === -1 ? previous.length : lineEnd)) {
      end = lineStart;
      break;
    }
    at = lineStart;
  }
  return {
    before: paragraphsOf(previous.toString('utf8', start, end)),
    after: paragraphsOf(content.toString('utf8', start, content.length - (previous.length - end))),
  };
}
