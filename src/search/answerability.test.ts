import { describe, expect, it } from 'vitest';
import { ANSWERABILITY_FEATURES, type RankedEvidence, answerabilityFeatures } from './answerability.js';
import type { AnalysedQuestion } from './query.js';

const question = (terms: [string, number][], overrides: Partial<AnalysedQuestion> = {}): AnalysedQuestion => ({
  original: 'q',
  text: 'q',
  corrections: [],
  terms: new Map(terms),
  answerType: undefined,
  unmentioned: [],
  ...overrides,
});
const evidence = (score: number, similarity: number, coverage: number, mayHoldAnswerType = false): RankedEvidence => ({ score, similarity, coverage, passageCoverage: coverage, mayHoldAnswerType });
const named = (row: Float64Array): Record<string, number> => Object.fromEntries(ANSWERABILITY_FEATURES.map((name, f) => [name, row[f] ?? Number.NaN]));
const story = { documentFrequency: new Map([['putin', 3], ['demand', 1]]) };

describe('answerabilityFeatures', () => {
  it('reads the first passages: the ranker’s confidence and the best meaning and word match', () => {
    const row = named(answerabilityFeatures(story, question([['putin', 1], ['demand', 1]]), [evidence(3, 0.4, 0.5), evidence(1, 0.6, 1), evidence(0, 0.1, 0), evidence(-1, 0.9, 1)], 0.3));
    expect(row).toMatchObject({ top_score: 3, score_margin: 2, top_similarity: 0.6, top_coverage: 1, off_topic_similarity: 0.3 });
    expect(row.off_topic_margin).toBeCloseTo(-0.3);
  });

  it('counts what the story never mentions: names, and the weight of words it never uses', () => {
    const row = named(answerabilityFeatures(story, question([['putin', 1], ['china', 3]], { unmentioned: ['China', '2012', 'Xi'] }), [evidence(1, 0.5, 0.25)], 0.2));
    expect(row).toMatchObject({ unmentioned: 2, unknown_term_share: 0.75 });
  });

  it('notes a kind of answer asked for that no highlighted sentence holds', () => {
    const when = question([['vote', 1]], { answerType: 'time' });
    expect(named(answerabilityFeatures(story, when, [evidence(1, 0.5, 1)], 0)).answer_type_missing).toBe(1);
    expect(named(answerabilityFeatures(story, when, [evidence(1, 0.5, 1), evidence(0, 0.4, 1, true)], 0)).answer_type_missing).toBe(0);
  });

  it('is all zeros but the off-topic terms when there is nothing to rank', () => {
    const row = named(answerabilityFeatures(story, question([]), [], 0.4));
    expect(row).toMatchObject({ top_score: 0, top_similarity: 0, off_topic_margin: 0.4 });
  });
});
