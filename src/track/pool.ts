// The worker pool of a pass. Terms are taken in queue order, except that a free worker skips a terms that would
// only wait: one whose host is busy, or that needs a browser page while all are in use. Without that, workers sit
// blocked behind the browser's few pages while other sites could be fetched. Only when nothing can start at once
// does a worker take the first terms and wait for it.

export interface PoolOptions<T> {
  readonly concurrency: number;
  readonly task: (item: T) => Promise<void>;
  readonly shouldGoOn: () => boolean;
  /** Whether the item can start at once; a hint, the task still waits for what it needs. @default always */
  readonly isReady?: ((item: T) => boolean) | undefined;
}

/** Runs `task` on every item, at most `concurrency` at a time, while `shouldGoOn()`; returns how many were left. */
export async function runPool<T>(items: readonly T[], options: PoolOptions<T>): Promise<number> {
  const queue = [...items];
  const take = (): T | undefined => {
    for (let index = 0; index < queue.length; index++) {
      const item = queue[index] as T;
      if (!options.isReady || options.isReady(item)) return queue.splice(index, 1)[0];
    }
    return queue.shift();
  };
  const worker = async (): Promise<void> => {
    while (queue.length > 0 && options.shouldGoOn()) {
      const item = take();
      if (item !== undefined) await options.task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, options.concurrency), queue.length) }, worker));
  return queue.length;
}
