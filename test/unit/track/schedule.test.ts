import { describe, expect, it } from 'vitest';

import { isValidSchedule, type Scheduler, scheduleRuns } from '../../../src/track/schedule.js';

function manualClock(): { scheduler: Scheduler; tick: () => void; stopped: () => boolean } {
  let tick: () => void = () => undefined;
  let isStopped = false;
  return {
    scheduler: (_expression, onTick) => {
      tick = onTick;
      return {
        stop: () => {
          isStopped = true;
          return Promise.resolve();
        },
      };
    },
    tick: () => {
      tick();
    },
    stopped: () => isStopped,
  };
}

describe('scheduleRuns', () => {
  it('skips a tick that comes while a run is in progress, and says so as OTA does', async () => {
    const clock = manualClock();
    const finishers: (() => void)[] = [];
    const skipped: string[] = [];
    let runs = 0;
    const dates = [new Date('2026-01-01T00:30:00Z'), new Date('2026-01-01T12:30:00Z')];
    const schedule = scheduleRuns({
      expression: '30 */12 * * *',
      scheduler: clock.scheduler,
      now: () => dates.shift() ?? new Date('2026-01-02T00:30:00Z'),
      run: () => {
        runs++;
        return new Promise<void>(resolve => finishers.push(resolve));
      },
      onSkipped: message => skipped.push(message),
      onError: () => undefined,
    });
    clock.tick();
    clock.tick();
    expect(runs).toBe(1);
    expect(skipped).toEqual([
      'Tracking scheduled at 2026-01-01T12:30:00.000Z were blocked by an unfinished tracking started at 2026-01-01T00:30:00.000Z',
    ]);
    finishers.shift()?.();
    await new Promise(resolve => setImmediate(resolve));
    clock.tick();
    expect(runs).toBe(2);
    const stopping = schedule.stop();
    expect(clock.stopped()).toBe(true);
    finishers.shift()?.();
    await stopping; // resolves only once the run in progress has ended
  });

  it('reports a failing run and keeps the schedule', async () => {
    const clock = manualClock();
    const errors: unknown[] = [];
    const schedule = scheduleRuns({
      expression: '* * * * *',
      scheduler: clock.scheduler,
      run: () => Promise.reject(new Error('boom')),
      onSkipped: () => undefined,
      onError: error => errors.push(error),
    });
    clock.tick();
    await new Promise(resolve => setImmediate(resolve));
    clock.tick();
    await schedule.stop();
    expect(errors.map(error => (error as Error).message)).toEqual(['boom', 'boom']);
  });

  it('validates cron expressions', () => {
    expect(isValidSchedule('30 */12 * * *')).toBe(true);
    expect(isValidSchedule('every day')).toBe(false);
  });
});
