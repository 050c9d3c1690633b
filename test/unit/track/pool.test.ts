import { describe, expect, it } from 'vitest';

import { runPool } from '../../../src/track/pool.js';

describe('runPool', () => {
  it('runs every item at most `concurrency` at a time, in queue order when all are ready', async () => {
    const started: number[] = [];
    let active = 0;
    let peak = 0;
    await runPool([1, 2, 3, 4, 5], {
      concurrency: 2,
      shouldGoOn: () => true,
      task: async item => {
        started.push(item);
        peak = Math.max(peak, ++active);
        await new Promise(resolve => setTimeout(resolve, 5));
        active--;
      },
    });
    expect(started).toEqual([1, 2, 3, 4, 5]);
    expect(peak).toBe(2);
  });

  it('lets a free worker pass over items that would wait, and takes them once nothing else is left', async () => {
    const started: string[] = [];
    let browserBusy = false;
    await runPool(['browser 1', 'browser 2', 'http 1', 'http 2'], {
      concurrency: 2,
      shouldGoOn: () => true,
      isReady: item => !(item.startsWith('browser') && browserBusy),
      task: async item => {
        started.push(item);
        if (item.startsWith('browser')) browserBusy = true;
        await new Promise(resolve => setTimeout(resolve, item.startsWith('browser') ? 20 : 1));
        if (item.startsWith('browser')) browserBusy = false;
      },
    });
    // the second worker skips "browser 2" while the browser is busy and fetches the plain pages meanwhile
    expect(started).toEqual(['browser 1', 'http 1', 'http 2', 'browser 2']);
  });

  it('runs the items a task adds, on every worker, even once the queue was empty', async () => {
    const started: string[] = [];
    let active = 0;
    let peak = 0;
    await runPool(['a', 'b'], {
      concurrency: 3,
      shouldGoOn: () => true,
      task: async (item, enqueue) => {
        started.push(item);
        peak = Math.max(peak, ++active);
        // "a" adds two items late, when the queue is long empty and the other workers idle
        await new Promise(resolve => setTimeout(resolve, item === 'a' ? 20 : 5));
        if (item === 'a') {
          enqueue('a1');
          enqueue('a2');
        }
        await new Promise(resolve => setTimeout(resolve, 10));
        active--;
      },
    });
    expect(started).toEqual(['a', 'b', 'a1', 'a2']);
    // a1 and a2 ran at the same time as the end of a: the idle workers took them
    expect(peak).toBe(3);
  });

  it('starts nothing more once asked to stop', async () => {
    const started: number[] = [];
    await runPool([1, 2, 3], {
      concurrency: 1,
      shouldGoOn: () => started.length < 2,
      task: item => {
        started.push(item);
        return Promise.resolve();
      },
    });
    expect(started).toEqual([1, 2]);
  });
});
