/**
 * @module features: what the ranker knows about each candidate passage, as numbers. Relative
 * features (a gap to the best candidate, a rank) make one question's candidates comparable to
 * another's; the list and its order are part of the trained model (`FEATURE_NAMES` is checked
 * against the model file at start-up).
 */
import type { IndexedArticle } from '../index/story-index.js';
import { ASKS_WHAT_WAS_SAID, termsOfTitle, withoutTitle } from './answering-sentence.js';
import { type Candidate, type CandidateSet, QUOTE, termCoverage } from './candidates.js';
import { bestSentence } from './highlight.js';
import type { AnalysedQuestion } from './query.js';

export const FEATURE_NAMES = [
  /** BM25 over the best BM25 among the candidates (0 when the lexical side did not find it). */
  'bm25_relative',
  'bm25_log',
  /** 1 / (1 + rank) among the lexical hits; 0 when not among them. */
  'lexical_rank',
  'passage_similarity',
  'passage_similarity_gap',
  /** Best cosine of the question with one of the passage's sentences. */
  'sentence_similarity',
  'sentence_similarity_gap',
  /** 1 / (1 + rank) by passage similarity among the candidates. */
  'dense_rank',
  /** Share of the question's IDF-weighted terms in the passage's best sentence. */
  'sentence_coverage',
  'sentence_coverage_gap',
  'passage_coverage',
  /** Share of the question's neighbouring word pairs that a sentence has close together, in order (best sentence). */
  'sentence_phrase_coverage',
  /**
   * The same two coverages counting only the question's words that are not in the article's title:
   * a story's headline words are everywhere in it (its lead repeats them), the other words say
   * which detail is asked for.
   */
  'sentence_novel_coverage',
  'passage_novel_coverage',
  /** The most of the question's term weight a sentence holds only as related words (synonyms, derivations: related-terms.ts). */
  'sentence_related_coverage',
  /** The best sentence (by coverage and similarity) holds the kind of answer asked for. */
  'answer_type_best_sentence',
  'answer_type_any_sentence',
  /** ...or may hold one (a name no tagger knew, a duration for "when"). */
  'answer_type_possible_any_sentence',
  /** A kind of answer was asked for and no sentence may hold one. */
  'answer_type_missing',
  /** The passage quotes someone. */
  'quote',
  /** ...and the question asks what someone said. */
  'quote_asked',
  /**
   * For a passage that quotes, the question's term weight in it and the paragraph before (0 for
   * others): news names the speaker once, then quotes on.
   */
  'quote_context_coverage',
  /** The first paragraph of its article: news leads repeat the headline's words, not always the answer. */
  'lead',
  /** Paragraph position in its article, 0 (first) to 1 (last). */
  'position',
  'length_log',
  /** Share of the question's term weight in the article's title. */
  'title_coverage',
  /** The best bm25_relative among candidates of the same article. */
  'article_bm25',
  /** The best sentence similarity among candidates of the same article, minus the best overall. */
  'article_similarity_gap',
  /** Share of the candidates that come from the same article. */
  'article_share',
  /** Similarity of the previous / next paragraph (0 at the article's edges): a quote's speaker is often named just before. */
  'previous_similarity',
  'next_similarity',
] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];

function ranksBy(values: readonly number[]): number[] {
  const order = values.map((_, k) => k).sort((a, b) => (values[b] ?? 0) - (values[a] ?? 0) || a - b);
  const ranks = new Array<number>(values.length);
  order.forEach((candidate, rank) => (ranks[candidate] = rank));
  return ranks;
}

const max = (values: Iterable<number>): number => {
  let best = -Infinity;
  for (const value of values) if (value > best) best = value;
  return best;
};

function bestSentenceOf(candidate: Candidate) {
  return candidate.sentences[bestSentence(candidate.sentences)];
}

/** One row of FEATURE_NAMES.length numbers per candidate, in the candidates' order. */
export function candidateFeatures({ question, candidates }: CandidateSet): Float64Array[] {
  const bestBm25 = max(candidates.map((c) => c.bm25));
  const sentenceSimilarity = candidates.map((c) => max(c.sentences.map((s) => s.similarity)));
  const sentenceCoverage = candidates.map((c) => Math.max(0, max(c.sentences.map((s) => s.coverage))));
  const bestPassageSimilarity = max(candidates.map((c) => c.passageSimilarity));
  const bestSentenceSimilarity = max(sentenceSimilarity);
  const bestSentenceCoverage = max(sentenceCoverage);
  const denseRanks = ranksBy(candidates.map((c) => c.passageSimilarity));
  const bm25Relative = candidates.map((c) => (bestBm25 > 0 ? c.bm25 / bestBm25 : 0));
  const byArticle = new Map<string, number[]>();
  candidates.forEach((c, k) => {
    const members = byArticle.get(c.article.id);
    if (members) members.push(k);
    else byArticle.set(c.article.id, [k]);
  });
  const asksWhatWasSaid = ASKS_WHAT_WAS_SAID.test(question.text);
  const asksAnswerType = question.answerType !== undefined;

  const novelQuestions = new Map<IndexedArticle, AnalysedQuestion>();
  const novelQuestionFor = (article: IndexedArticle): AnalysedQuestion => {
    let novel = novelQuestions.get(article);
    if (!novel) {
      novel = withoutTitle(question, termsOfTitle(article));
      novelQuestions.set(article, novel);
    }
    return novel;
  };

  return candidates.map((c, k) => {
    const novel = novelQuestionFor(c.article);
    const sameArticle = byArticle.get(c.article.id) ?? [k];
    const best = bestSentenceOf(c);
    const anyAnswerType = c.sentences.some((s) => s.hasAnswerType);
    const anyPossibleAnswerType = c.sentences.some((s) => s.mayHaveAnswerType);
    const quote = QUOTE.test(c.passage.text);
    const values: Record<FeatureName, number> = {
      bm25_relative: bm25Relative[k] ?? 0,
      bm25_log: Math.log1p(c.bm25),
      lexical_rank: c.lexicalRank === undefined ? 0 : 1 / (1 + c.lexicalRank),
      passage_similarity: c.passageSimilarity,
      passage_similarity_gap: c.passageSimilarity - bestPassageSimilarity,
      sentence_similarity: sentenceSimilarity[k] ?? 0,
      sentence_similarity_gap: (sentenceSimilarity[k] ?? 0) - bestSentenceSimilarity,
      dense_rank: 1 / (1 + (denseRanks[k] ?? 0)),
      sentence_coverage: sentenceCoverage[k] ?? 0,
      sentence_coverage_gap: (sentenceCoverage[k] ?? 0) - bestSentenceCoverage,
      passage_coverage: c.passageCoverage,
      sentence_phrase_coverage: Math.max(0, ...c.sentences.map((s) => s.phraseCoverage)),
      sentence_novel_coverage: Math.max(0, ...c.sentences.map((s) => termCoverage(novel, s.terms))),
      passage_novel_coverage: termCoverage(novel, c.passageTerms),
      sentence_related_coverage: Math.max(0, ...c.sentences.map((s) => s.relatedCoverage)),
      answer_type_best_sentence: best?.hasAnswerType ? 1 : 0,
      answer_type_any_sentence: anyAnswerType ? 1 : 0,
      answer_type_possible_any_sentence: anyPossibleAnswerType ? 1 : 0,
      answer_type_missing: asksAnswerType && !anyPossibleAnswerType ? 1 : 0,
      quote: quote ? 1 : 0,
      quote_asked: quote && asksWhatWasSaid ? 1 : 0,
      quote_context_coverage: c.quoteContextCoverage ?? 0,
      lead: c.passage.paragraph === 1 ? 1 : 0,
      position: c.articleParagraphs > 1 ? (c.passage.paragraph - 1) / (c.articleParagraphs - 1) : 0,
      length_log: Math.log1p(c.passage.text.split(/\s+/).length),
      title_coverage: termCoverage(question, termsOfTitle(c.article)),
      article_bm25: max(sameArticle.map((j) => bm25Relative[j] ?? 0)),
      article_similarity_gap: max(sameArticle.map((j) => sentenceSimilarity[j] ?? 0)) - bestSentenceSimilarity,
      article_share: sameArticle.length / candidates.length,
      previous_similarity: c.previousSimilarity ?? 0,
      next_similarity: c.nextSimilarity ?? 0,
    };
    return Float64Array.from(FEATURE_NAMES, (name) => values[name]);
  });
}
