// The changes between two versions of a terms, in the three formats the CLI's `diff` and the API's /diff route
// give: a unified patch (or words marked {+added+} and [-removed-]), HTML, and JSON. One renderer for both, so
// that what a researcher reads in a terminal and what a page fetches are the same thing.
import { DiffBudget } from './bounded-diff.js';
import { describeChange, escapeHtml } from './change.js';
import type { IndexedVersion } from './history-rows.js';
import { type ChangeLabel, LABEL_TITLES, labelChange } from './labels.js';

export type DiffFormat = 'unified' | 'html' | 'json';

export const DIFF_FORMATS: readonly DiffFormat[] = ['unified', 'html', 'json'];

export interface VersionDiffInput {
  readonly serviceId: string;
  readonly termsType: string;
  /** The older version; undefined to diff from nothing (a first record). */
  readonly from: IndexedVersion | undefined;
  readonly to: IndexedVersion;
  readonly before: string;
  readonly after: string;
  /** Whether `from` is the version just before `to` (then `to`'s own label describes the change). */
  readonly isConsecutive: boolean;
  /** Word by word instead of line by line. */
  readonly words: boolean;
}

export interface VersionDiff {
  readonly label: ChangeLabel;
  readonly labelReason: string;
  /** The two versions hold the same text. */
  readonly isEmpty: boolean;
  render(format: DiffFormat): { readonly contentType: string; readonly body: string };
}

/** Whether `from` comes after `to`: a range the wrong way round. */
export function isReversed(from: IndexedVersion | undefined, to: IndexedVersion): boolean {
  return from !== undefined && from.fetchDate > to.fetchDate;
}

export function diffVersions(input: VersionDiffInput): VersionDiff {
  const { from, to, before, after } = input;
  // a range over several versions is labelled by what changed over the whole range, not by its last version
  const labelled = input.isConsecutive ? { label: to.label, reason: to.labelReason } : labelChange(from ? 'change' : 'first', before, after);
  const file = `${input.serviceId}/${input.termsType}.md`;
  // one budget for whatever this diff renders: past it, the texts are shown as replaced whole
  const budget = new DiffBudget();
  const parts = (): { added?: boolean; removed?: boolean; value: string }[] => (input.words ? budget.words(before, after) : budget.lines(before, after));
  return {
    label: labelled.label,
    labelReason: labelled.reason,
    isEmpty: before === after,
    render(format) {
      if (format === 'json') {
        const body = {
          from: from ? { id: from.id, fetchDate: from.fetchDate, label: from.label } : null,
          to: { id: to.id, fetchDate: to.fetchDate, label: to.label, labelReason: to.labelReason },
          label: labelled.label,
          labelReason: labelled.reason,
          changes: parts().map(part => ({ added: part.added === true, removed: part.removed === true, value: part.value })),
        };
        return { contentType: 'application/json; charset=utf-8', body: `${JSON.stringify(body, null, 2)}\n` };
      }
      if (format === 'html') {
        const change = input.words
          ? `<pre>${parts().map(part => (part.added ? `<ins>${escapeHtml(part.value)}</ins>` : part.removed ? `<del>${escapeHtml(part.value)}</del>` : escapeHtml(part.value))).join('')}</pre>`
          : describeChange(before, after, budget).html;
        const title = escapeHtml(`${input.serviceId} · ${input.termsType}`);
        return {
          contentType: 'text/html; charset=utf-8',
          body: `<!doctype html><meta charset="utf-8"><title>${title}</title><p>${escapeHtml(LABEL_TITLES[labelled.label])}: ${escapeHtml(labelled.reason)}</p>${change}\n`,
        };
      }
      const body = input.words
        ? `${parts().map(part => (part.added ? `{+${part.value}+}` : part.removed ? `[-${part.value}-]` : part.value)).join('')}\n`
        : budget.patch(file, before, after, from?.id ?? '(none)', to.id);
      return { contentType: 'text/plain; charset=utf-8', body };
    },
  };
}
