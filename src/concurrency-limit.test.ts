import { describe, expect, it } from 'vitest';
import { limitConcurrency } from './concurrency-limit.js';

describe('limitConcurrency', () => {
  it('runs at most max tasks at once, the rest in arrival order, and survives failures', async () => {
    const limited = limitConcurrency(2);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const task = (k: number) => async (): Promise<number> => {
      started.push(k);
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= 1;
      if (k === 1) throw new Error('task 1 fails');
      return k;
    };
    const results = await Promise.allSettled([0, 1, 2, 3, 4, 5].map((k) => limited(task(k))));
    expect(peak).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : 'failed'))).toEqual([0, 'failed', 2, 3, 4, 5]);
    expect(await limited(async () => 'still usable')).toBe('still usable');
  });
});
