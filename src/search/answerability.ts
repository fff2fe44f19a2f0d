/**
 * @module answerability: does the story answer the question at all? Declining honestly beats
 * quoting the least irrelevant passage of a story about something else.
 */
import { STATED_ANSWER_TYPES } from './answer-type.js';
import type { AnalysedQuestion } from './query.js';

export interface Decision {
  answered: boolean;
  /** Why the question was declined, for logs and evaluation. */
  reason?: string;
}

export interface BestEvidence {
  similarity: number;
  coverage: number;
  /** Whether the passage's best sentence holds the kind of answer asked for. */
  highlightHasAnswerType: boolean;
}

export const ANSWERABILITY_THRESHOLDS = {
  /** Below both this similarity and this coverage, a question shares neither meaning nor words with the story. */
  similarity: 0.33,
  coverage: 0.25,
  /** Declined when an everyday off-topic question is this much closer to it than the story is... */
  offTopicMargin: 0.2,
  /** ...unless the story holds this share of its words (then it is about the story, however phrased). */
  strongCoverage: 0.5,
} as const;

/** The answer may sit in any of the first few passages, so the strongest evidence among them counts. */
export const EVIDENCE_DEPTH = 3;

/**
 * @param offTopicSimilarity the question's highest similarity to the everyday off-topic questions,
 *   or undefined to skip that check
 */
export function decide(question: AnalysedQuestion, top: readonly BestEvidence[], offTopicSimilarity?: number): Decision {
  const considered = top.slice(0, EVIDENCE_DEPTH);
  if (considered.length === 0) return { answered: false, reason: 'the story has no passages' };
  const best = {
    similarity: Math.max(...considered.map((e) => e.similarity)),
    coverage: Math.max(...considered.map((e) => e.coverage)),
    highlightHasAnswerType: considered.some((e) => e.highlightHasAnswerType),
  };
  if (question.unmentioned.length > 0) return { answered: false, reason: `the story never mentions ${question.unmentioned.join(', ')}` };
  if (best.similarity < ANSWERABILITY_THRESHOLDS.similarity && best.coverage < ANSWERABILITY_THRESHOLDS.coverage) {
    return { answered: false, reason: `best passage too far (similarity ${best.similarity.toFixed(2)}, coverage ${best.coverage.toFixed(2)})` };
  }
  const { offTopicMargin, strongCoverage } = ANSWERABILITY_THRESHOLDS;
  if (offTopicSimilarity !== undefined && best.coverage < strongCoverage && best.similarity - offTopicSimilarity < -offTopicMargin) {
    return { answered: false, reason: `closer to everyday questions about other things (${offTopicSimilarity.toFixed(2)}) than to the story (${best.similarity.toFixed(2)})` };
  }
  const asked = question.answerType;
  if (asked !== undefined && STATED_ANSWER_TYPES.has(asked) && !best.highlightHasAnswerType) {
    return { answered: false, reason: `no passage states the ${asked} asked for` };
  }
  return { answered: true };
}
