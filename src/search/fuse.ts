/**
 * @module fuse: one relevance score from lexical and semantic evidence. Each signal is first put
 * on a 0-1 scale within the candidate set (BM25 relative to the best match, cosine min-max), so
 * neither dominates by its units; then a weighted sum. Pure, so it is tested on hand-made numbers.
 */

export interface CandidateFeatures {
  /** BM25 score of the passage; 0 when the lexical side did not find it. */
  bm25: number;
  /** Best cosine similarity of the question to the passage or one of its sentences. */
  similarity: number;
  /** Share of the question's (IDF-weighted) terms present in the best sentence, 0-1. */
  coverage: number;
  /** Whether a sentence holds the kind of answer asked for (a date for "when", ...). */
  hasAnswerType: boolean;
}

/**
 * The dense side carries most weight: it is the only signal for paraphrases that share no word
 * with the passage. The lexical side (document and sentence level) sharpens exact matches of
 * names and rare words, where a small encoder is weakest.
 */
export const FUSION_WEIGHTS = { bm25: 0.2, coverage: 0.2, similarity: 0.6, answerType: 0.1 } as const;

/**
 * Similarities are rescaled as if the best one were at least this high. A real match scores
 * 0.5-0.8 with use-lite; when even the best candidate is below, stretching the candidates to the
 * full 0-1 range would turn noise into a decisive signal and drown an exact name match.
 */
export const SIMILARITY_FLOOR = 0.6;

export function fuse(candidates: readonly CandidateFeatures[], weights: typeof FUSION_WEIGHTS = FUSION_WEIGHTS): number[] {
  if (candidates.length === 0) return [];
  const bestBm25 = Math.max(...candidates.map((c) => c.bm25));
  const similarities = candidates.map((c) => c.similarity);
  const lowest = Math.min(...similarities);
  const range = Math.max(...similarities, SIMILARITY_FLOOR) - lowest;
  return candidates.map(
    (c) =>
      weights.bm25 * (bestBm25 > 0 ? c.bm25 / bestBm25 : 0) +
      weights.coverage * c.coverage +
      weights.similarity * (range > 0 ? (c.similarity - lowest) / range : 1) +
      weights.answerType * (c.hasAnswerType ? 1 : 0),
  );
}

/** Reciprocal-rank fusion (k = 60, as in Cormack et al.): the usual baseline, kept to compare against. */
export function reciprocalRankFusion(scoreLists: readonly (readonly number[])[], k = 60): number[] {
  const fused = new Array<number>(scoreLists[0]?.length ?? 0).fill(0);
  for (const scores of scoreLists) {
    const order = scores.map((_, i) => i).sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0));
    order.forEach((candidate, rank) => {
      fused[candidate] = (fused[candidate] ?? 0) + 1 / (k + rank + 1);
    });
  }
  return fused;
}
