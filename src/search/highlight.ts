/**
 * @module highlight: the hand-weighted pick of a passage's best sentence. The ranker's features read
 * it (the sentence shown in bold is the trained sentence model's, answering-sentence.ts), and
 * `npm run train` measures the sentence model against it.
 */

export interface SentenceEvidence {
  /** Share of the question's term weight in this sentence, 0-1. */
  coverage: number;
  /** Cosine similarity of the question to this sentence. */
  similarity: number;
  hasAnswerType: boolean;
}

/**
 * Within one passage the question's own words are the surest sign of the answering sentence, so
 * coverage counts as much as similarity. Raw cosines, not rescaled ones: between two or three
 * sentences, rescaling would blow tiny differences up into decisive ones.
 */
export const HIGHLIGHT_WEIGHTS = { coverage: 1, similarity: 1, answerType: 0.1 } as const;

/** Index of the best sentence; the first on ties; -1 for none. */
export function bestSentence(sentences: readonly SentenceEvidence[]): number {
  let best = -1;
  let bestScore = -Infinity;
  sentences.forEach((s, k) => {
    const score = HIGHLIGHT_WEIGHTS.coverage * s.coverage + HIGHLIGHT_WEIGHTS.similarity * s.similarity + (s.hasAnswerType ? HIGHLIGHT_WEIGHTS.answerType : 0);
    if (score > bestScore) {
      best = k;
      bestScore = score;
    }
  });
  return best;
}
