// Politeness: at most N requests at a time to one host, with a pause between two requests to it, however many
// terms are tracked in parallel. Different hosts never wait for each other.
import { PassStoppedError } from './inaccessible-content-error.js';

export interface HostLimiterOptions {
  /** Requests in flight per host. @default 1 */
  readonly perHost: number;
  /** Pause after a request to a host before the next one to it starts, in ms. @default 0 */
  readonly delayMs: number;
}

interface HostState {
  active: number;
  lastEndedAt: number;
  readonly waiting: (() => void)[];
}

export class HostLimiter {
  private readonly hosts = new Map<string, HostState>();
  private readonly options: HostLimiterOptions;

  constructor(options: HostLimiterOptions) {
    this.options = { perHost: Math.max(1, options.perHost), delayMs: Math.max(0, options.delayMs) };
  }

  /**
   * Runs `task` when the URL's host has a free slot and its pause is over. When `shouldStart` says no at that moment
   * (the pass is stopping), the slot is given back and PassStoppedError thrown instead.
   */
  async run<T>(url: string, task: () => Promise<T>, shouldStart?: () => boolean): Promise<T> {
    const state = this.stateOf(hostOf(url));
    await this.acquire(state);
    try {
      if (shouldStart && !shouldStart()) throw new PassStoppedError();
      return await task();
    } finally {
      state.active--;
      state.lastEndedAt = Date.now();
      state.waiting.shift()?.();
    }
  }

  /** Whether a request to the URL's host would start without waiting for a slot. */
  isFree(url: string): boolean {
    const state = this.hosts.get(hostOf(url));
    return !state || state.active < this.options.perHost;
  }

  private async acquire(state: HostState): Promise<void> {
    while (state.active >= this.options.perHost) await new Promise<void>(resolve => state.waiting.push(resolve));
    state.active++;
    const wait = state.lastEndedAt + this.options.delayMs - Date.now();
    if (wait > 0 && this.options.delayMs > 0) await new Promise(resolve => setTimeout(resolve, wait));
  }

  private stateOf(host: string): HostState {
    let state = this.hosts.get(host);
    if (!state) {
      state = { active: 0, lastEndedAt: 0, waiting: [] };
      this.hosts.set(host, state);
    }
    return state;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
