// The worker pool of a pass. Terms are taken in queue order, except that a free worker skips a terms that would
// only wait: one whose host is busy, or that needs a browser page while all are in use. Without that, workers sit
// blocked behind the browser's few pages while other sites could be fetched. Only when nothing can start at once
// does a worker take the first terms and wait for it. A task may add items (a change to confirm): workers stay until
// no task is running and the queue is empty.

export interface PoolOptions<T> {
  readonly concurrency: number;
  /** Runs one item; `enqueue` adds an item to this pool's queue. */
  readonly task: (item: T, enqueue: (item: T) => void) => Promise<void>;
  readonly shouldGoOn: () => boolean;
  /** Whether the item can start at once; a hint, the task still waits for what it needs. @default always */
  readonly isReady?: ((item: T) => boolean) | undefined;
}

/** Runs `task` on every item, at most `concurrency` at a time, while `shouldGoOn()`; returns how many were left. */
export async function runPool<T>(items: readonly T[], options: PoolOptions<T>): Promise<number> {
  const queue = [...items];
  let running = 0;
  let wake: (() => void) | undefined;
  let changed = new Promise<void>(resolve => (wake = resolve));
  const notify = (): void => {
    wake?.();
    changed = new Promise<void>(resolve => (wake = resolve));
  };
  const enqueue = (item: T): void => {
    queue.push(item);
    notify();
  };
  const take = (): T | undefined => {
    for (let index = 0; index < queue.length; index++) {
      const item = queue[index] as T;
      if (!options.isReady || options.isReady(item)) return queue.splice(index, 1)[0];
    }
    return queue.shift();
  };
  const worker = async (): Promise<void> => {
    while (options.shouldGoOn()) {
      if (queue.length === 0) {
        if (running === 0) return;
        // another task may still add an item: wait for it, or for the last task to end
        await changed;
        continue;
      }
      const item = take();
      if (item === undefined) continue;
      running++;
      try {
        await options.task(item, enqueue);
      } finally {
        running--;
        notify();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  return queue.length;
}
