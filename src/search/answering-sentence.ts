/**
 * @module answering-sentence: which sentence of a passage answers the question, the one shown in
 * bold and linked to. Each sentence is described by numbers relative to its passage's other
 * sentences, and the trained sentence model (ranker.ts) scores them. News needs the relative view:
 * the sentence repeating the question's words ("Kerry spoke to Lavrov") often only introduces the
 * one that answers (the quote, the figure, the date after it).
 */
import type { IndexedArticle } from '../index/story-index.js';
import { termsOf } from '../index/terms.js';
import { type Candidate, QUOTE, termCoverage } from './candidates.js';
import type { AnalysedQuestion } from './query.js';

export const SENTENCE_FEATURES = [
  /** Share of the question's term weight in the sentence, and its gap to the passage's best sentence. */
  'coverage',
  'coverage_gap',
  /** The same counting only the question's words that are not in the article's title. */
  'novel_coverage',
  'novel_coverage_gap',
  'similarity',
  'similarity_gap',
  'phrase_coverage',
  /** Share of the question's term weight the sentence holds only as a related word (a synonym, a derivation). */
  'related_coverage',
  /** The question asks for a kind of answer (a time, a count, a person, a place), and the sentence holds one. */
  'answer_type_asked',
  'answer_type',
  'answer_type_possible',
  /** The sentence quotes someone; the question asks what someone said. */
  'quote',
  'asks_what_was_said',
  /** The sentence comes right after / right before the passage's best-covered one. */
  'after_best_covered',
  'before_best_covered',
  'first',
  /** 0 (first) to 1 (last). */
  'position',
  'sentences_log',
  'length_log',
  /** Share of the sentence's terms the question does not use: what it says beyond repeating the question. */
  'new_terms',
] as const;
export type SentenceFeatureName = (typeof SENTENCE_FEATURES)[number];

export const ASKS_WHAT_WAS_SAID = /\b(?:say|says|said|saying|tell|tells|told|claim|claims|claimed|warn|warns|warned|call|calls|called|react|reacted|respond|responded|comment|commented|think|thinks|thought|announce|announced|describe|described|quote|quoted|reply|replied|statement)\b/i;

const titleTerms = new WeakMap<IndexedArticle, Set<string>>();
/** The article's title terms, read once per article. */
export function termsOfTitle(article: IndexedArticle): Set<string> {
  let terms = titleTerms.get(article);
  if (!terms) {
    terms = new Set(termsOf(article.title));
    titleTerms.set(article, terms);
  }
  return terms;
}

/** The question's terms outside the title, with their weights, as a question of their own. */
export function withoutTitle(question: AnalysedQuestion, title: ReadonlySet<string>): AnalysedQuestion {
  return { ...question, terms: new Map([...question.terms].filter(([term]) => !title.has(term))) };
}

const max = (values: readonly number[]): number => values.reduce((a, b) => Math.max(a, b), -Infinity);

/** One row of SENTENCE_FEATURES.length numbers per sentence of the candidate, in order. */
export function sentenceFeatures(question: AnalysedQuestion, candidate: Candidate): Float64Array[] {
  const { sentences, passage } = candidate;
  const novel = withoutTitle(question, termsOfTitle(candidate.article));
  const novelCoverage = sentences.map((s) => termCoverage(novel, s.terms));
  const bestCoverage = max(sentences.map((s) => s.coverage));
  const bestNovel = max(novelCoverage);
  const bestSimilarity = max(sentences.map((s) => s.similarity));
  const bestCovered = sentences.findIndex((s) => s.coverage === bestCoverage);
  const asksWhatWasSaid = ASKS_WHAT_WAS_SAID.test(question.text) ? 1 : 0;
  const last = Math.max(1, sentences.length - 1);
  return sentences.map((s, k) => {
    const text = passage.text.slice(s.span[0], s.span[1]);
    let newTerms = 0;
    for (const term of s.terms) if (!question.terms.has(term)) newTerms += 1;
    const values: Record<SentenceFeatureName, number> = {
      coverage: s.coverage,
      coverage_gap: s.coverage - bestCoverage,
      novel_coverage: novelCoverage[k] ?? 0,
      novel_coverage_gap: (novelCoverage[k] ?? 0) - bestNovel,
      similarity: s.similarity,
      similarity_gap: s.similarity - bestSimilarity,
      phrase_coverage: s.phraseCoverage,
      related_coverage: s.relatedCoverage,
      answer_type_asked: question.answerType === undefined ? 0 : 1,
      answer_type: s.hasAnswerType ? 1 : 0,
      answer_type_possible: s.mayHaveAnswerType ? 1 : 0,
      quote: QUOTE.test(text) ? 1 : 0,
      asks_what_was_said: asksWhatWasSaid,
      after_best_covered: k === bestCovered + 1 ? 1 : 0,
      before_best_covered: k === bestCovered - 1 ? 1 : 0,
      first: k === 0 ? 1 : 0,
      position: k / last,
      sentences_log: Math.log1p(sentences.length),
      length_log: Math.log1p(text.split(/\s+/).length),
      new_terms: s.terms.size > 0 ? newTerms / s.terms.size : 0,
    };
    return Float64Array.from(SENTENCE_FEATURES, (name) => values[name]);
  });
}
