/**
 * @module search: question → ranked passages with their best sentence, and whether the story
 * answers it at all. Candidates and their evidence come from candidates.ts, their features from
 * features.ts; the trained models (ranker.ts) order them, pick the answering sentence of each
 * passage shown (answering-sentence.ts) and decide whether to decline.
 */
import type { Passage, Span } from '../corpus/article.js';
import type { Embedder } from '../embeddings/embedder.js';
import type { IndexedArticle, StoryIndex } from '../index/story-index.js';
import { answerabilityFeatures } from './answerability.js';
import { sentenceFeatures } from './answering-sentence.js';
import { type Candidate, type CandidateSet, type CandidateTimings, gatherCandidates } from './candidates.js';
import type { WordSet } from './dictionary.js';
import { candidateFeatures } from './features.js';
import { oneResultPerParagraph } from './paragraphs.js';
import type { AnalysedQuestion } from './query.js';
import { type RankingModel, answerProbability, bestRow, scoreRows } from './ranker.js';
import type { RelatedTerms } from './related-terms.js';

export interface RankedPassage {
  /** The index label of the part the ranking chose (for a split paragraph, `passage` is the whole paragraph). */
  label: number;
  passage: Passage;
  article: IndexedArticle;
  /**
   * How sure the method is that this passage is the answering one, among the candidates: for the
   * trained ranker a probability (softmax of its scores), for single-signal methods their own score.
   */
  score: number;
  /** The trained ranker's raw score: what the answerability model reads. */
  rankerScore: number;
  /** The sentence that answers the question, as the sentence model picks it (answering-sentence.ts). */
  highlight: Span;
  /** Best cosine similarity between the question and one of the passage's sentences. */
  similarity: number;
  /** Share of the question's term weight found in the best sentence. */
  coverage: number;
  /** Share of the question's term weight found anywhere in the passage. */
  passageCoverage: number;
  /** Whether a sentence of the passage may hold the kind of answer asked for (a time for "when", ...). */
  mayHoldAnswerType: boolean;
}

export interface SearchTimings extends CandidateTimings {
  rankingMs: number;
}

export interface SearchResult {
  question: AnalysedQuestion;
  /** False when the story does not answer the question; `passages` then holds the closest ones anyway. */
  answered: boolean;
  /** The answerability model's inputs, and its probability that the story answers the question. */
  answerability: { features: Float64Array; probability: number };
  /** Best first. */
  passages: RankedPassage[];
  timings: SearchTimings;
}

/** "ranker" is the product; the single-retriever methods exist to measure what it adds. */
export const SEARCH_METHODS = ['ranker', 'bm25', 'dense', 'rrf'] as const;
export type SearchMethod = (typeof SEARCH_METHODS)[number];

export interface SearchOptions {
  /** @default 'ranker' */
  method?: SearchMethod;
  /** Passages to return. @default 10 */
  limit?: number;
  /** Candidates taken from each retriever before ranking. @default 50 */
  candidates?: number;
}

/** What searching needs besides the index. */
export interface SearchTools {
  embedder: Pick<Embedder, 'embedQuery'>;
  outside: OutsideKnowledge;
  model: RankingModel;
}

export interface OutsideKnowledge {
  /** Vectors of everyday off-topic questions (off-topic.ts). */
  offTopic: readonly Float32Array[];
  /** Common English words (dictionary.ts). */
  englishWords: WordSet;
  /** Words that can stand for others (related-terms.ts). */
  relatedTerms: RelatedTerms;
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let k = 0; k < a.length; k += 1) sum += (a[k] ?? 0) * (b[k] ?? 0);
  return sum;
}

function softmax(scores: readonly number[]): number[] {
  const top = Math.max(...scores);
  const exps = scores.map((s) => Math.exp(s - top));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / total);
}

/** Reciprocal-rank fusion (k = 60, as in Cormack et al.): the usual unlearned baseline, kept to compare against. */
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

function methodScores(method: SearchMethod, candidates: readonly Candidate[], rankerScores: readonly number[]): number[] {
  switch (method) {
    case 'ranker':
      return softmax(rankerScores);
    case 'bm25':
      return candidates.map((c) => c.bm25);
    case 'dense':
      return candidates.map((c) => c.passageSimilarity);
    case 'rrf':
      return reciprocalRankFusion([candidates.map((c) => c.bm25), candidates.map((c) => c.passageSimilarity)]);
  }
}

export async function searchStory(index: StoryIndex, tools: SearchTools, question: string, options: SearchOptions = {}): Promise<SearchResult> {
  return rankCandidates(index, tools, await gatherCandidates(index, tools.embedder, question, { candidates: options.candidates, ...tools.outside }), options);
}

/** The sentence the model picks in a candidate; the whole passage when it has no sentences. */
function answeringSentence(model: RankingModel, question: AnalysedQuestion, candidate: Candidate): Span {
  return candidate.sentences[bestRow(model.sentence, sentenceFeatures(question, candidate))]?.span ?? [0, candidate.passage.text.length];
}

/** Orders gathered candidates, picks their answering sentences and decides whether to decline (searchStory without the gathering). */
export function rankCandidates(index: StoryIndex, tools: SearchTools, set: CandidateSet, options: SearchOptions = {}): SearchResult {
  const started = performance.now();
  const rankerScores = scoreRows(tools.model.ranker, candidateFeatures(set));
  const scores = methodScores(options.method ?? 'ranker', set.candidates, rankerScores);
  const scored = set.candidates
    .map((candidate, k) => {
      const { label, passage, article, sentences, passageCoverage } = candidate;
      return {
        label,
        candidate,
        passage,
        article,
        score: scores[k] ?? 0,
        rankerScore: rankerScores[k] ?? 0,
        similarity: Math.max(-1, ...sentences.map((s) => s.similarity)),
        coverage: Math.max(0, ...sentences.map((s) => s.coverage)),
        passageCoverage,
        mayHoldAnswerType: sentences.some((s) => s.mayHaveAnswerType),
      };
    })
    .sort((a, b) => b.score - a.score || a.label - b.label);
  // Sentences are picked only in the passages shown: the model reads a few per passage.
  const ranked: RankedPassage[] = oneResultPerParagraph(index.passages, scored, options.limit ?? 10, ({ candidate }) => answeringSentence(tools.model, set.question, candidate)).map(({ candidate: _candidate, ...result }) => result);

  const offTopic = tools.outside.offTopic;
  const offTopicSimilarity = offTopic.length > 0 ? Math.max(...offTopic.map((vector) => dot(set.queryVector, vector))) : 0;
  // The answerability model reads the ranker's view of the passages, whichever method ordered them.
  const evidence = ranked.map((r) => ({ ...r, score: r.rankerScore })).sort((a, b) => b.score - a.score);
  const features = answerabilityFeatures(index, set.question, evidence, offTopicSimilarity);
  const probability = answerProbability(tools.model, features);
  const rankingMs = performance.now() - started;
  return {
    question: set.question,
    answered: ranked.length > 0 && probability >= tools.model.answerability.threshold,
    answerability: { features, probability },
    passages: ranked,
    timings: { ...set.timings, rankingMs },
  };
}
