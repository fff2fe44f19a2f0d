import { describe, expect, it } from 'vitest';
import type { Span } from '../corpus/article.js';
import type { IndexedArticle } from '../index/story-index.js';
import { termsOf } from '../index/terms.js';
import { SENTENCE_FEATURES, type SentenceFeatureName, sentenceFeatures } from './answering-sentence.js';
import type { Candidate } from './candidates.js';
import { termCoverage } from './candidates.js';
import type { AnalysedQuestion } from './query.js';
import { bestRow } from './ranker.js';

const article: IndexedArticle = { id: 'deal', file: 'deal.md', title: 'Kerry and Lavrov talk on Syria', passageCount: 1 };
const question: AnalysedQuestion = { original: 'what did Kerry say about the deadline', text: 'what did Kerry say about the deadline', corrections: [], terms: new Map([['kerri', 1], ['deadlin', 2]]), answerType: undefined, unmentioned: [] };

/** A passage of the given sentences, with their evidence as gatherCandidates reads it (similarities given). */
function passage(sentences: readonly [string, number][]): Candidate {
  const text = sentences.map(([s]) => s).join(' ');
  let at = 0;
  const facts = sentences.map(([sentence, similarity]) => {
    const span: Span = [at, at + sentence.length];
    at += sentence.length + 1;
    const terms = new Set(termsOf(sentence));
    return { span, terms, coverage: termCoverage(question, terms), similarity, hasAnswerType: false, mayHaveAnswerType: false, phraseCoverage: 0, relatedCoverage: 0 };
  });
  return {
    label: 0,
    passage: { id: 'deal#2', articleId: 'deal', paragraph: 2, part: 1, text, sentences: facts.map((f) => f.span) },
    article,
    articleParagraphs: 4,
    bm25: 1,
    lexicalRank: 0,
    passageSimilarity: 0.5,
    sentences: facts,
    passageCoverage: 1,
    passageTerms: new Set(termsOf(text)),
    quoteContextCoverage: undefined,
    previousSimilarity: undefined,
    nextSimilarity: undefined,
  };
}

const named = (row: Float64Array): Record<SentenceFeatureName, number> => Object.fromEntries(SENTENCE_FEATURES.map((name, f) => [name, row[f] ?? Number.NaN])) as Record<SentenceFeatureName, number>;

const kerry = passage([
  ['Kerry spoke about the deadline with Lavrov on Monday.', 0.6],
  ['"We will not wait forever," he said.', 0.4],
  ['Talks resume in Geneva.', 0.1],
]);

describe('sentenceFeatures', () => {
  it('describes each sentence against its passage: the attribution repeats the question, the quote after it says something new', () => {
    const [attribution, quote, last] = sentenceFeatures(question, kerry).map(named);
    expect(attribution).toMatchObject({ coverage: 1, coverage_gap: 0, similarity_gap: 0, first: 1, position: 0, quote: 0, asks_what_was_said: 1, after_best_covered: 0, before_best_covered: 0 });
    expect(quote).toMatchObject({ coverage: 0, coverage_gap: -1, first: 0, position: 0.5, quote: 1, after_best_covered: 1, before_best_covered: 0, new_terms: 1 });
    expect(quote?.similarity_gap).toBeCloseTo(-0.2);
    expect(last).toMatchObject({ position: 1, after_best_covered: 0, before_best_covered: 0 });
    // "Kerry" is a title word: only "deadline" counts as the detail asked for.
    expect(attribution?.novel_coverage).toBe(1);
    expect(attribution?.new_terms).toBeGreaterThan(0);
    expect(attribution?.new_terms).toBeLessThan(1);
  });

  it('feeds the sentence model, whose scores pick the sentence shown', () => {
    const rows = sentenceFeatures(question, kerry);
    const width = SENTENCE_FEATURES.length;
    const weighting = (weights: Partial<Record<SentenceFeatureName, number>>) => ({
      features: [...SENTENCE_FEATURES],
      mean: new Array<number>(width).fill(0),
      scale: new Array<number>(width).fill(1),
      scorer: { family: 'linear' as const, weights: SENTENCE_FEATURES.map((name) => weights[name] ?? 0), bias: 0 },
    });
    expect(bestRow(weighting({ coverage: 1, similarity: 1 }), rows)).toBe(0);
    expect(bestRow(weighting({ coverage: 1, similarity: 1, after_best_covered: 1, quote: 1 }), rows)).toBe(1);
    expect(bestRow(weighting({}), rows)).toBe(0); // ties go to the first
    expect(bestRow(weighting({}), [])).toBe(-1);
  });
});
