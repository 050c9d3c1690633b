import { describe, expect, it } from 'vitest';

import { createProgress } from '../../../src/cli/progress.js';
import type { Terms } from '../../../src/declarations/index.js';

describe('progress line', () => {
  it('counts terms done and failed, estimates the time left, and clears at the end', () => {
    const lines: string[] = [];
    let clock = 0;
    const progress = createProgress(line => lines.push(line), () => clock);
    const terms = {} as Terms;
    progress.onTrackingStarted?.(2, 4, false);
    clock = 2000;
    progress.onTermsProcessed?.(terms, true);
    clock = 4000;
    progress.onTermsProcessed?.(terms, false);
    progress.onTrackingCompleted?.(2, 4, false, {
      technicalUpgradeOnly: false,
      services: 2,
      terms: 4,
      snapshotsRecorded: 0,
      versionsRecorded: 0,
      unconfirmed: 0,
      held: 0,
      inaccessible: 1,
      notStarted: 0,
      durationMs: 4000,
    });
    expect(lines).toEqual([
      'tracking [........................] 0/4 terms, 0 inaccessible',
      'tracking [######..................] 1/4 terms, 0 inaccessible, about 6 s left',
      'tracking [############............] 2/4 terms, 1 inaccessible, about 4 s left',
      '',
    ]);
  });
});
