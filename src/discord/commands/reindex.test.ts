import { describe, expect, it } from 'vitest';
import type { BuildSummary } from '../../index/build-index.js';
import { MESSAGE_CONTENT_LIMIT } from '../limits.js';
import { summaryText } from './reindex.js';

const summary = (skipped: BuildSummary['skipped']): BuildSummary => ({ upToDate: false, articles: 3, passages: 40, embedded: 2, reused: 38, skipped, seconds: 1.25 });

describe('summaryText', () => {
  it('names each skipped file with its reason', () => {
    const text = summaryText(summary([{ file: 'a`b.txt', reason: 'empty' }]));
    expect(text).toBe('Reindex finished; new questions use the new index.\nArticles: 3 · passages: 40 (2 new, 38 reused) · 1.3 s\nSkipped `a\'b.txt`: empty');
  });

  it('puts what the shards did right under the outcome', () => {
    const text = summaryText(summary([]), 'All 2 shards now answer from this index.');
    expect(text.split('\n').slice(0, 2)).toEqual(['Reindex finished; new questions use the new index.', 'All 2 shards now answer from this index.']);
  });

  it('fits in one Discord message however many files were skipped, saying how many it left out', () => {
    const skipped = Array.from({ length: 500 }, (_, k) => ({ file: `broken-${k}.txt`, reason: 'not valid UTF-8 text (save it as UTF-8)' }));
    const text = summaryText(summary(skipped));
    expect(text.length).toBeLessThanOrEqual(MESSAGE_CONTENT_LIMIT);
    const shown = text.split('\n').filter((line) => line.startsWith('Skipped')).length;
    expect(shown).toBeGreaterThan(10);
    expect(text.split('\n').at(-1)).toBe(`…and ${500 - shown} more skipped files (all are named in the bot's log).`);
  });
});
