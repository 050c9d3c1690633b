// A version's change as the history index stores it: figures, sections, HTML and label, computed from the bytes of
// the version and of the one before it, on the window that holds their changed lines.
import { DiffBudget } from './bounded-diff.js';
import { changeWindow } from './change-window.js';
import { describeLineDiff, firstRecordChange, lastHeading, type RenderedChange } from './change.js';
import type { VersionKind } from './history-rows.js';
import { type LabelledChange, labelChange } from './labels.js';
import { diffByLines } from './line-diff.js';

export interface ComputedChange {
  readonly change: RenderedChange;
  readonly labelled: LabelledChange;
}

export interface ChangeRequest {
  readonly kind: VersionKind;
  /** UTF-8. */
  readonly previous: Buffer;
  readonly content: Buffer;
}

/**
 * A version's change and label, from one line diff within one budget, computed on the window of the two texts that
 * holds the changed lines (the same results as on the whole texts, for a fraction of the work).
 */
export function computeChange({ kind, previous, content }: ChangeRequest): ComputedChange {
  // a first record is the whole document: its "change" is not worth a diff
  if (kind === 'first') return { change: firstRecordChange(content.toString('utf8')), labelled: labelChange(kind, '', '') };
  const budget = new DiffBudget();
  const window = changeWindow(previous, content, lastHeading);
  const diff = diffByLines(window.before, window.after, budget);
  return { change: describeLineDiff(diff, budget, window), labelled: labelChange(kind, window.before, window.after, diff) };
}
