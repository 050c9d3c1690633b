import { describe, expect, it } from 'vitest';

import { HostLimiter } from '../../../src/track/host-limiter.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>(done => {
    resolve = done;
  });
  return { promise, resolve };
}

const settle = (): Promise<void> => new Promise(resolve => setImmediate(resolve));

describe('HostLimiter', () => {
  it('runs one request at a time per host, and hosts in parallel', async () => {
    const limiter = new HostLimiter({ perHost: 1, delayMs: 0 });
    const started: string[] = [];
    const gates = new Map<string, { promise: Promise<void>; resolve: () => void }>();
    const request = (url: string): Promise<void> =>
      limiter.run(url, () => {
        started.push(url);
        const gate = deferred();
        gates.set(url, gate);
        return gate.promise;
      });
    const all = Promise.all([request('https://a.example/1'), request('https://a.example/2'), request('https://b.example/1')]);
    await settle();
    expect(started).toEqual(['https://a.example/1', 'https://b.example/1']);
    gates.get('https://a.example/1')?.resolve();
    await settle();
    expect(started).toEqual(['https://a.example/1', 'https://b.example/1', 'https://a.example/2']);
    gates.get('https://a.example/2')?.resolve();
    gates.get('https://b.example/1')?.resolve();
    await all;
  });

  it('allows N at a time with perHost N, and frees the slot when a request fails', async () => {
    const limiter = new HostLimiter({ perHost: 2, delayMs: 0 });
    let active = 0;
    let peak = 0;
    const request = (fail: boolean): Promise<void> =>
      limiter.run('https://a.example/', async () => {
        active++;
        peak = Math.max(peak, active);
        await settle();
        active--;
        if (fail) throw new Error('failed');
      });
    const results = await Promise.allSettled([request(true), request(false), request(false), request(true), request(false)]);
    expect(peak).toBe(2);
    expect(results.map(result => result.status)).toEqual(['rejected', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
  });
});
