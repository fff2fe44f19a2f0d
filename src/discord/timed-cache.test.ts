import { describe, expect, it } from 'vitest';
import type { SearchResult } from '../search/search.js';
import { TimedCache } from './timed-cache.js';

const result = {} as SearchResult;

describe('TimedCache', () => {
  it('forgets results after their time to live', () => {
    let now = 0;
    const cache = new TimedCache<SearchResult>({ ttlMs: 1000, now: () => now });
    cache.set('a', result);
    now = 999;
    expect(cache.get('a')).toBe(result);
    now = 1000;
    expect(cache.get('a')).toBeUndefined();
  });

  it('drops the oldest results beyond its size', () => {
    const cache = new TimedCache<SearchResult>({ maxEntries: 2 });
    cache.set('a', result);
    cache.set('b', result);
    cache.set('c', result);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([undefined, result, result]);
  });
});
