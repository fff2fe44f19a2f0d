import { describe, expect, it } from 'vitest';
import { type CandidateFeatures, FUSION_WEIGHTS, SIMILARITY_FLOOR, fuse, reciprocalRankFusion } from './fuse.js';

const candidate = (overrides: Partial<CandidateFeatures>): CandidateFeatures => ({ bm25: 0, similarity: 0.3, coverage: 0, hasAnswerType: false, ...overrides });

describe('fuse', () => {
  it('scales each signal within the candidates, so units do not matter', () => {
    const small = fuse([candidate({ bm25: 2, similarity: 0.7 }), candidate({ bm25: 1, similarity: 0.3 })]);
    const large = fuse([candidate({ bm25: 200, similarity: 0.7 }), candidate({ bm25: 100, similarity: 0.3 })]);
    expect(small).toEqual(large);
    expect(small[0]).toBeCloseTo(FUSION_WEIGHTS.bm25 + FUSION_WEIGHTS.similarity);
    expect(small[1]).toBeCloseTo(FUSION_WEIGHTS.bm25 / 2);
  });

  it('lets a strong semantic match without shared words beat a weak lexical one', () => {
    const [paraphrase = 0, wordMatch = 0] = fuse([
      candidate({ similarity: 0.65 }),
      candidate({ bm25: 3, similarity: 0.2, coverage: 0.3 }),
    ]);
    expect(paraphrase).toBeGreaterThan(wordMatch);
  });

  it('breaks a tie in favour of the sentence that holds the kind of answer asked for', () => {
    const [withDate = 0, without = 0] = fuse([candidate({ hasAnswerType: true }), candidate({})]);
    expect(withDate - without).toBeCloseTo(FUSION_WEIGHTS.answerType);
  });

  it('does not stretch weak similarities to full weight, so an exact name match can win', () => {
    const [nameMatch = 0, vague = 0] = fuse([candidate({ bm25: 5, coverage: 1, similarity: 0.1 }), candidate({ similarity: 0.35 })]);
    expect(nameMatch).toBeGreaterThan(vague);
    expect(vague).toBeCloseTo((FUSION_WEIGHTS.similarity * (0.35 - 0.1)) / (SIMILARITY_FLOOR - 0.1));
  });

  it('handles no candidates, one candidate, and no lexical matches', () => {
    expect(fuse([])).toEqual([]);
    expect(fuse([candidate({ similarity: 0.7 })])).toEqual([FUSION_WEIGHTS.similarity]);
    expect(fuse([candidate({ similarity: 0.1 }), candidate({ similarity: 0.4 })]).every(Number.isFinite)).toBe(true);
  });
});

describe('reciprocalRankFusion', () => {
  it('sums 1/(k + rank) over the lists', () => {
    expect(reciprocalRankFusion([[3, 1, 2], [0.1, 0.9, 0.5]], 1)).toEqual([1 / 2 + 1 / 4, 1 / 4 + 1 / 2, 1 / 3 + 1 / 3]);
  });
});
