// The live progress line of a run on a terminal: terms done of the total, failures, time left.
import type { ArchivistListener } from '../track/index.js';

export function createProgress(draw: (line: string) => void, now: () => number = Date.now): ArchivistListener {
  let total = 0;
  let done = 0;
  let failed = 0;
  let startedAt = 0;
  let label = '';
  const render = (): void => {
    const elapsedSeconds = (now() - startedAt) / 1000;
    const left = done > 0 ? Math.round((elapsedSeconds / done) * (total - done)) : undefined;
    const width = 24;
    const filled = total > 0 ? Math.round((done / total) * width) : 0;
    draw(
      `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} terms, ${failed} inaccessible${
        left === undefined ? '' : `, about ${left} s left`
      }`,
    );
  };
  return {
    onTrackingStarted(_services, terms, technicalUpgradeOnly) {
      total = terms;
      done = 0;
      failed = 0;
      startedAt = now();
      label = technicalUpgradeOnly ? 'upgrading' : 'tracking';
      render();
    },
    onTermsProcessed(_terms, isAccessible) {
      done++;
      if (!isAccessible) failed++;
      render();
    },
    onTrackingCompleted() {
      draw('');
    },
  };
}
