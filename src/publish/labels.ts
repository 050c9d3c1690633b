// The label of a change, computed when the version is indexed, and the rule that set it. A label never hides a
// change: it says what kind it is, and every feed, list and diff still shows the change itself. The first rule
// that explains the whole change wins, in the order below.

export type ChangeLabel = 'first-record' | 'technical-upgrade' | 'formatting-only' | 'links-only' | 'dates-only' | 'substantive';

export interface LabelledChange {
  readonly label: ChangeLabel;
  /** The rule that set the label, in a sentence. */
  readonly reason: string;
}

export const LABEL_TITLES: Readonly<Record<ChangeLabel, string>> = {
  'first-record': 'First record',
  'technical-upgrade': 'Technical upgrade',
  'formatting-only': 'Formatting only',
  'links-only': 'Links only',
  'dates-only': 'Dates only',
  substantive: 'Substantive',
};

/** Whitespace, list markers and emphasis: what changes the look of the Markdown, not its words. */
function withoutFormatting(markdown: string): string {
  return markdown
    .split('\n')
    .map(line =>
      line
        .replace(/^\s*(?:[-*+]|\d+[.)])\s+/, '') // list markers
        .replace(/^#{1,6}\s+/, '') // heading markers
        .replace(/^(=+|-+)\s*$/, '') // underlines of headings
        .replace(/(\*\*|__|\*|_|~~)(?=\S)|(?<=\S)(\*\*|__|\*|_|~~)/g, ''), // emphasis
    )
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Link targets dropped, link texts kept. */
function withoutLinkTargets(text: string): string {
  return text.replace(/\]\((?:[^()\s]|\([^()\s]*\))*\)/g, ']()').replace(/<https?:\/\/[^>\s]+>/g, '<>');
}

const MONTHS = 'January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec';
const DATE_PATTERNS = [
  new RegExp(`\\b(?:${MONTHS})\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4}\\b`, 'gi'), // January 5, 2024
  new RegExp(`\\b\\d{1,2}(?:st|nd|rd|th)?\\s+(?:${MONTHS})\\.?,?\\s+\\d{4}\\b`, 'gi'), // 5 January 2024
  /\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?\b/g, // 2024-01-05
  /\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b/g, // 05/01/2024, 5.1.24
  new RegExp(`\\b(?:${MONTHS})\\s+\\d{4}\\b`, 'gi'), // January 2024
];

function withoutDates(text: string): string {
  return DATE_PATTERNS.reduce((result, pattern) => result.replace(pattern, '‹date›'), text);
}

export function labelChange(kind: 'first' | 'change' | 'upgrade', before: string, after: string): LabelledChange {
  if (kind === 'first') return { label: 'first-record', reason: 'The first version recorded of this document.' };
  if (kind === 'upgrade') {
    return { label: 'technical-upgrade', reason: 'Recorded by a technical upgrade: the declaration or the extraction changed, not the document.' };
  }
  const plainBefore = withoutFormatting(before);
  const plainAfter = withoutFormatting(after);
  if (plainBefore === plainAfter) {
    return { label: 'formatting-only', reason: 'The words are the same once whitespace, list markers, heading markers and emphasis are set aside.' };
  }
  if (withoutLinkTargets(plainBefore) === withoutLinkTargets(plainAfter)) {
    return { label: 'links-only', reason: 'Only link targets changed: the text, link texts included, is the same.' };
  }
  if (withoutDates(plainBefore) === withoutDates(plainAfter)) {
    return { label: 'dates-only', reason: 'Only dates changed (such as a "last updated" line): the rest of the text is the same.' };
  }
  return { label: 'substantive', reason: 'The words changed beyond formatting, link targets and dates.' };
}
