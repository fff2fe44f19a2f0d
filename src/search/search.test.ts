import { describe, expect, it } from 'vitest';
import { reciprocalRankFusion } from './search.js';

describe('reciprocalRankFusion', () => {
  it('sums 1/(k + rank) over the lists', () => {
    expect(reciprocalRankFusion([[3, 1, 2], [0.1, 0.9, 0.5]], 1)).toEqual([1 / 2 + 1 / 4, 1 / 4 + 1 / 2, 1 / 3 + 1 / 3]);
  });
});
