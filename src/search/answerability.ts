/**
 * @module answerability: does the story answer the question at all? Declining honestly beats
 * quoting the least irrelevant passage of a story about something else.
 */
import type { AnalysedQuestion } from './query.js';

export interface Decision {
  answered: boolean;
  /** Why the question was declined, for logs and evaluation. */
  reason?: string;
}

export interface BestEvidence {
  similarity: number;
  coverage: number;
}

/** Below both, a question shares neither meaning nor words with the story. */
export const ANSWERABILITY_THRESHOLDS = { similarity: 0.36, coverage: 0.25 } as const;

/** The answer may sit in any of the first few passages, so the strongest evidence among them counts. */
export const EVIDENCE_DEPTH = 3;

export function decide(question: AnalysedQuestion, top: readonly BestEvidence[]): Decision {
  const considered = top.slice(0, EVIDENCE_DEPTH);
  if (considered.length === 0) return { answered: false, reason: 'the story has no passages' };
  const best: BestEvidence = {
    similarity: Math.max(...considered.map((e) => e.similarity)),
    coverage: Math.max(...considered.map((e) => e.coverage)),
  };
  if (question.unmentioned.length > 0) return { answered: false, reason: `the story never mentions ${question.unmentioned.join(', ')}` };
  if (best.similarity < ANSWERABILITY_THRESHOLDS.similarity && best.coverage < ANSWERABILITY_THRESHOLDS.coverage) {
    return { answered: false, reason: `best passage too far (similarity ${best.similarity.toFixed(2)}, coverage ${best.coverage.toFixed(2)})` };
  }
  return { answered: true };
}
