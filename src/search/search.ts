/**
 * @module search: question → ranked passages with their best sentence, and whether the story
 * answers it at all. Lexical (BM25) and dense (HNSW) retrieval each propose candidates; every
 * candidate is then scored on both signals at passage and sentence level and fused.
 */
import type { Passage, Span } from '../corpus/article.js';
import type { Embedder } from '../embeddings/embedder.js';
import type { IndexedArticle, StoryIndex } from '../index/story-index.js';
import { termOf, termsOf, words } from '../index/terms.js';
import { containsAnswerType } from './answer-type.js';
import { decide } from './answerability.js';
import { type CandidateFeatures, fuse, reciprocalRankFusion } from './fuse.js';
import type { WordSet } from './dictionary.js';
import { bestSentence } from './highlight.js';
import { oneResultPerParagraph } from './paragraphs.js';
import { type AnalysedQuestion, analyseQuestion } from './query.js';

export interface RankedPassage {
  passage: Passage;
  article: IndexedArticle;
  /** Fused relevance in [0, 1.1]; comparable within one question, not across questions. */
  score: number;
  /** The sentence that best answers the question. */
  highlight: Span;
  /** Best cosine similarity between the question and the passage or one of its sentences. */
  similarity: number;
  /** Share of the question's term weight found in the best sentence. */
  coverage: number;
  /** Whether the highlighted sentence holds the kind of answer asked for (a time for "when", ...). */
  highlightHasAnswerType: boolean;
}

export interface SearchTimings {
  embedMs: number;
  lexicalMs: number;
  vectorMs: number;
  fusionMs: number;
}

export interface SearchResult {
  question: AnalysedQuestion;
  /** False when the story does not answer the question; `passages` then holds the closest ones anyway. */
  answered: boolean;
  /** Why the question was declined, for logs and evaluation. */
  declineReason?: string | undefined;
  /** Best first. */
  passages: RankedPassage[];
  timings: SearchTimings;
}

/** "hybrid" is the product; the single-retriever methods exist to measure what fusion adds. */
export type SearchMethod = 'hybrid' | 'bm25' | 'dense' | 'rrf';

export interface SearchOptions {
  /** @default 'hybrid' */
  method?: SearchMethod;
  /** Passages to return. @default 10 */
  limit?: number;
  /** Candidates taken from each retriever before fusion. @default 50 */
  candidates?: number;
  /** What the engine knows of the world outside the story, to decline questions about other things. */
  outside?: OutsideKnowledge;
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

const articleMaps = new WeakMap<StoryIndex, Map<string, IndexedArticle>>();
function articleOf(index: StoryIndex, passage: Passage): IndexedArticle {
  let byId = articleMaps.get(index);
  if (!byId) {
    byId = new Map(index.articles.map((article) => [article.id, article]));
    articleMaps.set(index, byId);
  }
  const article = byId.get(passage.articleId);
  if (!article) throw new Error(`passage ${passage.id} has no article`);
  return article;
}

/** Per-sentence evidence for one candidate passage. */
function sentenceEvidence(index: StoryIndex, label: number, passage: Passage, question: AnalysedQuestion, totalWeight: number, queryVector: Float32Array) {
  const similarities = index.sentenceVectors.similarities(label, queryVector);
  return passage.sentences.map((span, s) => {
    const sentence = passage.text.slice(span[0], span[1]);
    const present = new Set(termsOf(sentence));
    let matched = 0;
    for (const [term, weight] of question.terms) if (present.has(term)) matched += weight;
    return {
      span,
      coverage: totalWeight > 0 ? matched / totalWeight : 0,
      similarity: similarities[s] ?? -1,
      hasAnswerType: question.answerType !== undefined && containsAnswerType(sentence, question.answerType),
    };
  });
}

function scoreCandidates(method: SearchMethod, features: readonly CandidateFeatures[], evidence: readonly { passageSimilarity: number }[]): number[] {
  switch (method) {
    case 'hybrid':
      return fuse(features);
    case 'bm25':
      return features.map((f) => f.bm25);
    case 'dense':
      return evidence.map((e) => e.passageSimilarity);
    case 'rrf':
      return reciprocalRankFusion([features.map((f) => f.bm25), evidence.map((e) => e.passageSimilarity)]);
  }
}

/**
 * A term in thousands of passages costs a long postings scan and, with its low IDF, barely moves
 * the ranking: such terms are left out of the lexical query (the rarest term always stays). Their
 * weight still counts in sentence coverage.
 */
const MAX_QUERY_TERM_PASSAGES = 5_000;

function lexicalQuery(index: StoryIndex, question: AnalysedQuestion): string {
  const content = words(question.text).flatMap(({ word }) => {
    const term = termOf(word);
    return term === undefined ? [] : [{ word, passages: index.documentFrequency.get(term) ?? 0 }];
  });
  const kept = content.filter(({ passages }) => passages <= MAX_QUERY_TERM_PASSAGES);
  if (kept.length > 0) return kept.map(({ word }) => word).join(' ');
  const rarest = content.reduce<(typeof content)[number] | undefined>((best, c) => (best === undefined || c.passages < best.passages ? c : best), undefined);
  return rarest?.word ?? question.text;
}

export async function searchStory(index: StoryIndex, embedder: Pick<Embedder, 'embedQuery'>, question: string, options: SearchOptions = {}): Promise<SearchResult> {
  const limit = options.limit ?? 10;
  const candidates = options.candidates ?? 50;
  const analysed = analyseQuestion(question, {
    vocabulary: index.vocabulary,
    documentFrequency: index.documentFrequency,
    passageCount: index.passages.length,
    englishWords: options.outside?.englishWords,
  });

  let mark = performance.now();
  const lap = (): number => {
    const now = performance.now();
    const elapsed = now - mark;
    mark = now;
    return elapsed;
  };
  const queryVector = await embedder.embedQuery(analysed.text);
  const embedMs = lap();
  const lexicalHits = index.lexical.search(lexicalQuery(index, analysed), candidates);
  const lexicalMs = lap();
  const vectorHits = index.vectors.search(queryVector, candidates, index.passageVectors);
  const vectorMs = lap();

  const bm25 = new Map(lexicalHits.map((hit) => [hit.passage, hit.score]));
  const vectorSimilarity = new Map(vectorHits.map((hit) => [hit.passage, hit.similarity]));
  const labels = [...new Set([...lexicalHits.map((h) => h.passage), ...vectorHits.map((h) => h.passage)])];
  const totalWeight = [...analysed.terms.values()].reduce((sum, weight) => sum + weight, 0);
  const evidence = labels.map((label) => {
    const passage = index.passages.get(label);
    const sentences = sentenceEvidence(index, label, passage, analysed, totalWeight, queryVector);
    const passageSimilarity = vectorSimilarity.get(label) ?? index.passageVectors.similarities(label, queryVector)[0] ?? -1;
    return { label, passage, sentences, passageSimilarity };
  });
  const features: CandidateFeatures[] = evidence.map(({ label, sentences, passageSimilarity }) => ({
    bm25: bm25.get(label) ?? 0,
    similarity: Math.max(passageSimilarity, ...sentences.map((s) => s.similarity)),
    coverage: Math.max(0, ...sentences.map((s) => s.coverage)),
    hasAnswerType: sentences.some((s) => s.hasAnswerType),
  }));
  const scores = scoreCandidates(options.method ?? 'hybrid', features, evidence);
  const scored = evidence
    .map(({ label, passage, sentences }, k) => {
      const best = sentences[bestSentence(sentences)];
      const highlight = best?.span ?? ([0, passage.text.length] as const);
      const { similarity, coverage } = features[k] as CandidateFeatures;
      return { label, passage, article: articleOf(index, passage), score: scores[k] ?? 0, highlight, similarity, coverage, highlightHasAnswerType: best?.hasAnswerType ?? false };
    })
    .sort((a, b) => b.score - a.score);
  const ranked: RankedPassage[] = oneResultPerParagraph(index.passages, scored, limit).map(({ label: _label, ...result }) => result);
  const fusionMs = lap();

  const offTopic = options.outside?.offTopic ?? [];
  const offTopicSimilarity = offTopic.length > 0 ? Math.max(...offTopic.map((vector) => dot(queryVector, vector))) : undefined;
  const { answered, reason } = decide(analysed, ranked, offTopicSimilarity);
  return { question: analysed, answered, declineReason: reason, passages: ranked, timings: { embedMs, lexicalMs, vectorMs, fusionMs } };
}
