import { describe, expect, it } from 'vitest';
import type { Span } from '../corpus/article.js';
import type { IndexedArticle } from '../index/story-index.js';
import { termsOf } from '../index/terms.js';
import type { Candidate, CandidateSet } from './candidates.js';
import { FEATURE_NAMES, type FeatureName, candidateFeatures } from './features.js';
import type { AnalysedQuestion } from './query.js';

const article: IndexedArticle = { id: 'deal', file: 'deal.md', title: 'Russia offers Syria weapons deal', passageCount: 5 };

function candidate(paragraph: number, text: string, evidence: Partial<Candidate> & { coverage?: number; similarity?: number; hasAnswerType?: boolean; mayHaveAnswerType?: boolean } = {}): Candidate {
  const span: Span = [0, text.length];
  const { coverage = 0, similarity = 0.2, hasAnswerType = false, mayHaveAnswerType = hasAnswerType, ...rest } = evidence;
  return {
    label: paragraph - 1,
    passage: { id: `deal#${paragraph}`, articleId: 'deal', paragraph, part: 1, text, sentences: [span] },
    article,
    articleParagraphs: 5,
    bm25: 0,
    lexicalRank: undefined,
    passageSimilarity: similarity,
    sentences: [{ span, terms: new Set(termsOf(text)), coverage, similarity, hasAnswerType, mayHaveAnswerType, phraseCoverage: 0, relatedCoverage: 0 }],
    passageCoverage: coverage,
    passageTerms: new Set(termsOf(text)),
    quoteContextCoverage: undefined,
    previousSimilarity: undefined,
    nextSimilarity: undefined,
    ...rest,
  };
}

function question(text: string, terms: [string, number][], answerType?: AnalysedQuestion['answerType']): AnalysedQuestion {
  return { original: text, text, corrections: [], terms: new Map(terms), answerType, unmentioned: [] };
}

function features(set: Omit<CandidateSet, 'queryVector' | 'timings'>): Record<FeatureName, number>[] {
  const rows = candidateFeatures({ ...set, queryVector: new Float32Array(), timings: { embedMs: 0, lexicalMs: 0, vectorMs: 0, evidenceMs: 0 } });
  return rows.map((row) => Object.fromEntries(FEATURE_NAMES.map((name, f) => [name, row[f] ?? Number.NaN])) as Record<FeatureName, number>);
}

describe('candidateFeatures', () => {
  it('puts each signal relative to the best candidate of the same question', () => {
    const [lead, detail] = features({
      question: question('what did Putin demand', [['putin', 2], ['demand', 1]]),
      candidates: [
        candidate(1, 'Russia offered a deal.', { bm25: 8, lexicalRank: 0, similarity: 0.4, coverage: 2 / 3 }),
        candidate(4, 'Putin said the U.S. must renounce force.', { bm25: 2, lexicalRank: 3, similarity: 0.6, coverage: 1 / 3 }),
      ],
    });
    expect(lead).toMatchObject({ bm25_relative: 1, lexical_rank: 1, lead: 1, position: 0, sentence_similarity_gap: expect.closeTo(-0.2) });
    expect(detail).toMatchObject({ bm25_relative: 0.25, lexical_rank: 0.25, lead: 0, position: 0.75, sentence_similarity_gap: 0, dense_rank: 1 });
    expect(detail?.sentence_coverage_gap).toBeCloseTo(-1 / 3);
    expect(lead?.title_coverage).toBe(0);
  });

  it('marks quotes, and quotes when the question asks what someone said', () => {
    const quoted = candidate(3, '"We will not wait," Kerry told reporters.');
    const [asked] = features({ question: question('what did Kerry say', [['kerri', 1]]), candidates: [quoted] });
    const [notAsked] = features({ question: question('where is Kerry', [['kerri', 1]]), candidates: [quoted] });
    expect(asked).toMatchObject({ quote: 1, quote_asked: 1 });
    expect(notAsked).toMatchObject({ quote: 1, quote_asked: 0 });
  });

  it('tells a passage that holds the kind of answer asked for from one that lacks it', () => {
    const [dated, undated, possible] = features({
      question: question('when is the vote', [['vote', 1]], 'time'),
      candidates: [candidate(2, 'The vote is on Wednesday.', { hasAnswerType: true }), candidate(3, 'The vote was delayed.'), candidate(4, 'The vote is off until 2028.', { mayHaveAnswerType: true })],
    });
    expect(dated).toMatchObject({ answer_type_best_sentence: 1, answer_type_any_sentence: 1, answer_type_possible_any_sentence: 1, answer_type_missing: 0 });
    expect(undated).toMatchObject({ answer_type_best_sentence: 0, answer_type_any_sentence: 0, answer_type_possible_any_sentence: 0, answer_type_missing: 1 });
    expect(possible).toMatchObject({ answer_type_any_sentence: 0, answer_type_possible_any_sentence: 1, answer_type_missing: 0 });
  });

  it('counts the question’s words outside the headline separately: they name the detail asked for', () => {
    const [lead, detail] = features({
      question: question('what weapons deal did syria accept from Lavrov', [['weapon', 1], ['deal', 1], ['SYRIA', 1], ['accept', 1], ['lavrov', 1]]),
      candidates: [candidate(1, 'Syria accepted the weapons deal.', { coverage: 0.8 }), candidate(4, 'Lavrov proposed it on Monday.', { coverage: 0.2 })],
    });
    // The lead matched four words of five, but only one of the two the headline does not hold.
    expect(lead).toMatchObject({ passage_coverage: 0.8, sentence_novel_coverage: 0.5, passage_novel_coverage: 0.5, lead: 1 });
    expect(detail).toMatchObject({ passage_coverage: 0.2, sentence_novel_coverage: 0.5, passage_novel_coverage: 0.5 });
  });

  it('reads the title, the article and the neighbouring paragraphs', () => {
    const [row] = features({
      question: question('syria weapons deal', [['SYRIA', 1], ['weapon', 1], ['deal', 2]]),
      candidates: [candidate(2, 'Text.', { previousSimilarity: 0.5, nextSimilarity: 0.1 }), candidate(3, 'More.', { similarity: 0.3 })],
    });
    expect(row).toMatchObject({ title_coverage: 1, article_share: 1, previous_similarity: 0.5, next_similarity: 0.1 });
    expect(row?.article_similarity_gap).toBe(0);
  });

  it('gives every candidate a full row of finite numbers', () => {
    const rows = candidateFeatures({
      question: question('x', []),
      queryVector: new Float32Array(),
      candidates: [candidate(1, 'A.'), candidate(5, 'B.')],
      timings: { embedMs: 0, lexicalMs: 0, vectorMs: 0, evidenceMs: 0 },
    });
    for (const row of rows) {
      expect(row).toHaveLength(FEATURE_NAMES.length);
      expect([...row].every(Number.isFinite)).toBe(true);
    }
  });
});
