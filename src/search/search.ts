/**
 * @module search: question → ranked passages with their best sentence, and whether the story
 * answers it at all. Candidates and their evidence come from candidates.ts, their features from
 * features.ts; the trained model (ranker.ts) orders them and decides whether to decline.
 */
import type { Passage, Span } from '../corpus/article.js';
import type { Embedder } from '../embeddings/embedder.js';
import type { IndexedArticle, StoryIndex } from '../index/story-index.js';
import { answerabilityFeatures } from './answerability.js';
import { type Candidate, type CandidateTimings, gatherCandidates } from './candidates.js';
import type { WordSet } from './dictionary.js';
import { candidateFeatures } from './features.js';
import { bestSentence } from './highlight.js';
import { oneResultPerParagraph } from './paragraphs.js';
import type { AnalysedQuestion } from './query.js';
import { type RankingModel, answerProbability, rankScores } from './ranker.js';

export interface RankedPassage {
  passage: Passage;
  article: IndexedArticle;
  /**
   * How sure the method is that this passage is the answering one, among the candidates: for the
   * trained ranker a probability (softmax of its scores), for single-signal methods their own score.
   */
  score: number;
  /** The trained ranker's raw score: what the answerability model reads. */
  rankerScore: number;
  /** The sentence that best answers the question. */
  highlight: Span;
  /** Best cosine similarity between the question and one of the passage's sentences. */
  similarity: number;
  /** Share of the question's term weight found in the best sentence. */
  coverage: number;
  /** Share of the question's term weight found anywhere in the passage. */
  passageCoverage: number;
  /** Whether the highlighted sentence holds the kind of answer asked for (a time for "when", ...). */
  highlightHasAnswerType: boolean;
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
  const set = await gatherCandidates(index, tools.embedder, question, { candidates: options.candidates, englishWords: tools.outside.englishWords });
  const started = performance.now();
  const rankerScores = rankScores(tools.model, candidateFeatures(set));
  const scores = methodScores(options.method ?? 'ranker', set.candidates, rankerScores);
  const scored = set.candidates
    .map((candidate, k) => {
      const { label, passage, article, sentences, passageCoverage } = candidate;
      const best = sentences[bestSentence(sentences)];
      return {
        label,
        passage,
        article,
        score: scores[k] ?? 0,
        rankerScore: rankerScores[k] ?? 0,
        highlight: best?.span ?? ([0, passage.text.length] as const),
        similarity: Math.max(-1, ...sentences.map((s) => s.similarity)),
        coverage: Math.max(0, ...sentences.map((s) => s.coverage)),
        passageCoverage,
        highlightHasAnswerType: best?.hasAnswerType ?? false,
      };
    })
    .sort((a, b) => b.score - a.score || a.label - b.label);
  const ranked: RankedPassage[] = oneResultPerParagraph(index.passages, scored, options.limit ?? 10).map(({ label: _label, ...result }) => result);

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
