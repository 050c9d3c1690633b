// Snippets of search results, cut in JavaScript from the matching paragraph: FTS5's snippet() runs the whole query
// again for each result (0.14 ms each on 3,000 versions), while the words a query looks for are few and a paragraph
// is short. Words are compared as FTS5's unicode61 tokenizer compares them: case and accents ignored.

export interface QueryTerm {
  readonly word: string;
  readonly isPrefix: boolean;
}

export interface Snippet {
  readonly snippet: string;
  /** [start, end) offsets of the matched words in the snippet; neighbours separated by spaces only are joined. */
  readonly highlights: [number, number][];
}

const OPERATORS = new Set(['AND', 'OR', 'NOT', 'NEAR']);
const WORD = /[\p{L}\p{N}]+/gu;

/** A word as the tokenizer compares it; ASCII words (most) skip the Unicode normalisation. */
export const folded = (word: string): string => (/^\p{ASCII}*$/u.test(word) ? word.toLowerCase() : word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase());

/** The words of an FTS5 query that a matching paragraph holds: operators and what NOT excludes are left out. */
export function queryTerms(query: string): QueryTerm[] {
  const terms: QueryTerm[] = [];
  // phrases, parenthesised groups, and bare words (with a * for a prefix)
  // NEAR(a b, 5): the distance is not a word
  const parts: string[] = query.replace(/,\s*\d+\s*\)/g, ')').match(/"(?:[^"]|"")*"?|\(|\)|[^\s()"]+/g) ?? [];
  let excluded = false;
  let depth = 0;
  let excludedDepth = -1;
  for (const [index, part] of parts.entries()) {
    if (part === '(') {
      depth++;
      continue;
    }
    if (part === ')') {
      depth--;
      if (excludedDepth > depth) excludedDepth = -1;
      continue;
    }
    if (OPERATORS.has(part) || /^NEAR\b/.test(part)) {
      if (part === 'NOT') excluded = true;
      continue;
    }
    if (excluded) {
      excluded = false;
      // NOT (a OR b) excludes the whole group
      if (depth > 0 && excludedDepth === -1 && parts[index - 1] === '(') excludedDepth = depth;
      continue;
    }
    if (excludedDepth !== -1 && depth >= excludedDepth) continue;
    const isPrefix = part.endsWith('*');
    const words = part.replace(/^[\w-]+:/, '').match(WORD) ?? [];
    words.forEach((word, at) => terms.push({ word: folded(word), isPrefix: isPrefix && at === words.length - 1 }));
  }
  return terms;
}

/** Paragraphs longer than this are tokenised only around their first match. */
const WINDOW_FROM = 600;

/** About `size` words of the paragraph around its first match, with the matches marked. */
export function snippetOf(text: string, terms: readonly QueryTerm[], size = 24): Snippet {
  // a long paragraph (a table, a list) is read only around the first place its lower-cased text holds a query word
  if (text.length > WINDOW_FROM) {
    const lower = text.toLowerCase();
    const found = Math.min(...terms.map(term => lower.indexOf(term.word)).filter(at => at >= 0));
    if (Number.isFinite(found)) {
      const start = Math.max(0, found - 300);
      const window = snippetIn(text, start, Math.min(text.length, found + 300), terms, size);
      if (window.highlights.length > 0) return window;
    }
  }
  return snippetIn(text, 0, text.length, terms, size);
}

function snippetIn(text: string, windowStart: number, windowEnd: number, terms: readonly QueryTerm[], size: number): Snippet {
  const tokens: { start: number; end: number; word: string }[] = [];
  for (const match of text.slice(windowStart, windowEnd).matchAll(WORD)) {
    tokens.push({ start: windowStart + match.index, end: windowStart + match.index + match[0].length, word: folded(match[0]) });
  }
  // a word cut by the window's edges is not one
  if (windowStart > 0 && tokens[0]?.start === windowStart) tokens.shift();
  if (windowEnd < text.length && tokens.at(-1)?.end === windowEnd) tokens.pop();
  const isMatch = (word: string): boolean => terms.some(term => (term.isPrefix ? word.startsWith(term.word) : word === term.word));
  const matched = tokens.map(token => isMatch(token.word));
  const first = Math.max(0, matched.indexOf(true));
  const from = tokens.length <= size ? 0 : Math.max(0, Math.min(first - Math.floor(size / 4), tokens.length - size));
  const to = Math.min(tokens.length, from + size);
  const start = from === 0 && windowStart === 0 ? 0 : (tokens[from]?.start ?? 0);
  const end = to >= tokens.length && windowEnd === text.length ? text.length : (tokens[to - 1]?.end ?? text.length);
  const prefix = start > 0 ? '…' : '';
  const snippet = `${prefix}${text.slice(start, end)}${end < text.length ? '…' : ''}`;
  const highlights: [number, number][] = [];
  for (let index = from; index < to; index++) {
    const token = tokens[index];
    if (!token || !matched[index]) continue;
    const range: [number, number] = [token.start - start + prefix.length, token.end - start + prefix.length];
    const last = highlights.at(-1);
    if (last && /^\s+$/.test(snippet.slice(last[1], range[0])) && matched[index - 1]) last[1] = range[1];
    else highlights.push(range);
  }
  return { snippet, highlights };
}
