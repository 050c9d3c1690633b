// Runs on a cron schedule with node-cron. A tick that fires while the previous run is still going is skipped
// (not queued) and reported, as OTA does (OTA-FORMAT §10).
import cron from 'node-cron';

export interface ScheduleOptions {
  /** A cron expression, e.g. "30 *\/12 * * *"; checked by `isValidSchedule` first. */
  readonly expression: string;
  readonly run: () => Promise<void>;
  readonly onSkipped: (message: string) => void;
  readonly onError: (error: unknown) => void;
  /** @default () => new Date() */
  readonly now?: () => Date;
  /** Calls `tick` at each time of the expression; @default node-cron (tests pass their own clock). */
  readonly scheduler?: Scheduler;
}

/** Something that calls `tick` on a cron expression until stopped. */
export type Scheduler = (expression: string, tick: () => void) => { stop(): Promise<void> };

const nodeCronScheduler: Scheduler = (expression, tick) => {
  const task = cron.schedule(expression, tick);
  return {
    stop: async () => {
      await task.stop();
      await task.destroy();
    },
  };
};

export interface Schedule {
  /** Stops the ticks and resolves once the run in progress, if any, has ended. */
  stop(): Promise<void>;
}

export function isValidSchedule(expression: string): boolean {
  return cron.validate(expression);
}

export function scheduleRuns(options: ScheduleOptions): Schedule {
  const now = options.now ?? (() => new Date());
  let running: { startedAt: Date; done: Promise<void> } | undefined;
  const ticks = (options.scheduler ?? nodeCronScheduler)(options.expression, () => {
    if (running) {
      options.onSkipped(
        `Tracking scheduled at ${now().toISOString()} were blocked by an unfinished tracking started at ${running.startedAt.toISOString()}`,
      );
      return;
    }
    const startedAt = now();
    const done = options
      .run()
      .catch(options.onError)
      .finally(() => {
        running = undefined;
      });
    running = { startedAt, done };
  });
  return {
    stop: async () => {
      await ticks.stop();
      await running?.done;
    },
  };
}
