/**
 * @module answerability: what the engine knows about whether the story answers a question at all,
 * as numbers for the trained answerability model (ranker.ts). Declining honestly beats quoting
 * the least irrelevant passage of a story about something else.
 */
import type { StoryIndex } from '../index/story-index.js';
import type { AnalysedQuestion } from './query.js';

export const ANSWERABILITY_FEATURES = [
  /** The ranker's score of the first passage, and its lead over the second. */
  'top_score',
  'score_margin',
  /** Among the first few passages: the best sentence similarity, sentence coverage and passage coverage. */
  'top_similarity',
  'top_coverage',
  'top_passage_coverage',
  /** A kind of answer was asked for (a time, a count, a person, a place) and no sentence of the first few passages holds one. */
  'answer_type_missing',
  /** Names and years the story never mentions (capped at 2). */
  'unmentioned',
  /** Share of the question's term weight in words the story never uses. */
  'unknown_term_share',
  /** Similarity to the nearest everyday question about other things, and its lead over the story's best. */
  'off_topic_similarity',
  'off_topic_margin',
  'question_terms_log',
] as const;

/** The answer may sit in any of the first few passages, so the strongest evidence among them counts. */
export const EVIDENCE_DEPTH = 3;

export interface RankedEvidence {
  score: number;
  similarity: number;
  coverage: number;
  passageCoverage: number;
  mayHoldAnswerType: boolean;
}

export function answerabilityFeatures(index: Pick<StoryIndex, 'documentFrequency'>, question: AnalysedQuestion, ranked: readonly RankedEvidence[], offTopicSimilarity: number): Float64Array {
  const top = ranked.slice(0, EVIDENCE_DEPTH);
  const best = (pick: (e: RankedEvidence) => number): number => (top.length === 0 ? 0 : Math.max(...top.map(pick)));
  let totalWeight = 0;
  let unknownWeight = 0;
  for (const [term, weight] of question.terms) {
    totalWeight += weight;
    if (!index.documentFrequency.has(term)) unknownWeight += weight;
  }
  const topSimilarity = best((e) => e.similarity);
  const values: Record<(typeof ANSWERABILITY_FEATURES)[number], number> = {
    top_score: ranked[0]?.score ?? 0,
    score_margin: ranked.length > 1 ? (ranked[0]?.score ?? 0) - (ranked[1]?.score ?? 0) : 0,
    top_similarity: topSimilarity,
    top_coverage: best((e) => e.coverage),
    top_passage_coverage: best((e) => e.passageCoverage),
    answer_type_missing: question.answerType !== undefined && !top.some((e) => e.mayHoldAnswerType) ? 1 : 0,
    unmentioned: Math.min(2, question.unmentioned.length),
    unknown_term_share: totalWeight > 0 ? unknownWeight / totalWeight : 0,
    off_topic_similarity: offTopicSimilarity,
    off_topic_margin: offTopicSimilarity - topSimilarity,
    question_terms_log: Math.log1p(question.terms.size),
  };
  return Float64Array.from(ANSWERABILITY_FEATURES, (name) => values[name]);
}
