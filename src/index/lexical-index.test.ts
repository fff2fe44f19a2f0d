import { describe, expect, it } from 'vitest';
import { LexicalIndex } from './lexical-index.js';
import { termOf } from './terms.js';

const passages = [
  'Kerry met Lavrov in Geneva on Saturday.',
  'Putin told RT that the U.S. must renounce the use of force.',
  'The chairman of the Nobel committee announced the prize.',
  'Kerry and Kerry again: Kerry said the talks went well, and Lavrov agreed.',
];

describe('LexicalIndex', () => {
  const index = LexicalIndex.build(passages);

  it('ranks passages by BM25, rewarding passages that match more query terms', () => {
    const hits = index.search('What did Kerry and Lavrov say?', 10);
    expect(hits.map((h) => h.passage)).toEqual([3, 0]);
    expect(hits[0]?.score).toBeGreaterThan(hits[1]?.score ?? Infinity);
  });

  it('matches a longer term by its prefix, at a lower weight than an exact match', () => {
    expect(index.search('chai', 10)).toEqual([]); // under five letters: no prefix search
    const [hit] = index.search('Who chairs it?', 10);
    expect(hit?.passage).toBe(2);
    expect(hit?.score).toBeLessThan(index.search('chairman', 10)[0]?.score ?? 0);
  });

  it('tells whether a passage holds a term, from the postings alone', () => {
    const kerry = termOf('Kerry') ?? '';
    expect([0, 1, 2, 3].map((passage) => index.holds(kerry, passage))).toEqual([true, false, false, true]);
    expect(index.holds(termOf('renounce') ?? '', 1)).toBe(true);
    expect(index.holds('no-such-term', 0)).toBe(false);
    expect(index.holds(kerry, 4)).toBe(false);
  });

  it('returns nothing for words it does not know, and respects the limit', () => {
    expect(index.search('banana bread recipe', 10)).toEqual([]);
    expect(index.search('Kerry', 1)).toHaveLength(1);
  });

  it('survives a round trip through bytes, and rejects truncated bytes', () => {
    const bytes = index.toBytes();
    expect(LexicalIndex.fromBytes(bytes).search('renounce force', 5)).toEqual(index.search('renounce force', 5));
    expect(() => LexicalIndex.fromBytes(bytes.subarray(0, bytes.byteLength - 3))).toThrow('truncated');
  });
});
