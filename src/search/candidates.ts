/**
 * @module candidates: the passages worth ranking for a question, and the evidence about each that
 * the ranker reads. Lexical (BM25) and dense (HNSW) retrieval each propose candidates; each is then
 * read at passage and sentence level, with the similarity of its neighbouring paragraphs. Answering
 * and training (scripts/train.ts) both gather candidates here: one code path.
 */
import type { Passage, Span } from '../corpus/article.js';
import type { Embedder } from '../embeddings/embedder.js';
import type { IndexedArticle, StoryIndex } from '../index/story-index.js';
import { termOf, termsOf, words } from '../index/terms.js';
import { holdsAnswerType, mayHoldAnswerType } from './answer-type.js';
import type { WordSet } from './dictionary.js';
import type { SentenceEvidence } from './highlight.js';
import { type AnalysedQuestion, analyseQuestion } from './query.js';
import type { RelatedTerms } from './related-terms.js';

export interface SentenceFacts extends SentenceEvidence {
  span: Span;
  /** The sentence's index terms. */
  terms: ReadonlySet<string>;
  /** Share of the question's pairs of neighbouring terms that the sentence has close together, in order. */
  phraseCoverage: number;
  /** Share of the question's term weight missing from the sentence but present as a related word (related-terms.ts). */
  relatedCoverage: number;
  /** The sentence may hold the kind of answer asked for (answer-type.ts); `hasAnswerType` says it surely does. */
  mayHaveAnswerType: boolean;
}

export interface Candidate {
  /** The passage's position in the index. */
  label: number;
  passage: Passage;
  article: IndexedArticle;
  /** Paragraphs in its article. */
  articleParagraphs: number;
  /** BM25 score; 0 when the lexical side did not find it. */
  bm25: number;
  /** 0-based rank among the lexical hits; undefined when the lexical side did not find it. */
  lexicalRank: number | undefined;
  /** Cosine similarity of the question and the passage. */
  passageSimilarity: number;
  sentences: SentenceFacts[];
  /** Share of the question's term weight found anywhere in the passage. */
  passageCoverage: number;
  /** The passage's index terms. */
  passageTerms: ReadonlySet<string>;
  /** For a passage that quotes someone, the question's term weight in it and the paragraph before, where news names the speaker; else undefined. */
  quoteContextCoverage: number | undefined;
  /** Similarity of the question and the previous paragraph of the same article; undefined for its first. */
  previousSimilarity: number | undefined;
  /** Similarity of the question and the next paragraph of the same article; undefined for its last. */
  nextSimilarity: number | undefined;
}

export interface CandidateTimings {
  embedMs: number;
  lexicalMs: number;
  vectorMs: number;
  evidenceMs: number;
}

export interface CandidateSet {
  question: AnalysedQuestion;
  queryVector: Float32Array;
  candidates: Candidate[];
  timings: CandidateTimings;
}

export interface GatherOptions {
  /** Candidates taken from each retriever. @default 50 */
  candidates?: number;
  /** Common English words, to tell names the story never mentions from ordinary words. */
  englishWords?: WordSet | undefined;
  /** Words that can stand for the question's (WordNet); without it related coverage is 0. */
  relatedTerms?: RelatedTerms | undefined;
}

/** Per index: its articles by id, and how many paragraphs each has. */
interface ArticleTable {
  byId: Map<string, IndexedArticle>;
  paragraphs: Map<string, number>;
}
const articleTables = new WeakMap<StoryIndex, ArticleTable>();
function articleTable(index: StoryIndex): ArticleTable {
  let table = articleTables.get(index);
  if (!table) {
    const paragraphs = new Map<string, number>();
    for (let label = 0; label < index.passages.length; label += 1) {
      const { article, paragraph } = index.passages.location(label);
      const id = index.articles[article]?.id ?? '';
      paragraphs.set(id, Math.max(paragraphs.get(id) ?? 0, paragraph));
    }
    table = { byId: new Map(index.articles.map((article) => [article.id, article])), paragraphs };
    articleTables.set(index, table);
  }
  return table;
}

/**
 * A term in thousands of passages costs a long postings scan and, with its low IDF, barely moves
 * the ranking: such terms are left out of the lexical query (the rarest term always stays). Their
 * weight still counts in coverage.
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

/** Share of the question's term weight among `present` terms. */
export function termCoverage(question: AnalysedQuestion, present: Pick<ReadonlySet<string>, 'has'>): number {
  let total = 0;
  let matched = 0;
  for (const [term, weight] of question.terms) {
    total += weight;
    if (present.has(term)) matched += weight;
  }
  return total > 0 ? matched / total : 0;
}

interface SentenceTerms {
  ordered: string[];
  terms: ReadonlySet<string>;
}

/** A passage with its terms: the same whatever the question, so kept for the next question that reads it. */
interface ReadPassage {
  passage: Passage;
  /** Each sentence's entity kinds, as tagged at indexing. */
  entities: Uint16Array;
  sentenceTerms: SentenceTerms[];
  passageTerms: ReadonlySet<string>;
}

/**
 * Recently read passages per index. Questions about one story keep coming back to the same
 * passages; this bounds the memory at a few megabytes however big the story.
 */
const readPassages = new WeakMap<StoryIndex, Map<number, ReadPassage>>();
const READ_PASSAGES_KEPT = 4_000;

function readPassage(index: StoryIndex, label: number): ReadPassage {
  let kept = readPassages.get(index);
  if (!kept) {
    kept = new Map();
    readPassages.set(index, kept);
  }
  const known = kept.get(label);
  if (known) return known;
  const passage = index.passages.get(label);
  const sentenceTerms = passage.sentences.map(([start, end]): SentenceTerms => {
    const ordered = termsOf(passage.text.slice(start, end));
    return { ordered, terms: new Set(ordered) };
  });
  // Sentences cover the passage, so its terms are theirs: no second pass over the text.
  const read = { passage, entities: index.passages.entities(label), sentenceTerms, passageTerms: new Set(sentenceTerms.flatMap((s) => s.ordered)) };
  if (kept.size >= READ_PASSAGES_KEPT) kept.delete(kept.keys().next().value as number);
  kept.set(label, read);
  return read;
}

/** Each of the question's terms with its weight and the terms of its related words. */
type StandIns = readonly (readonly [term: string, weight: number, standIns: readonly string[]])[];

function standIns(question: AnalysedQuestion, related: RelatedTerms | undefined): StandIns {
  return [...question.terms].map(([term, weight]) => [term, weight, related?.of(term) ?? []]);
}

/** Share of the question's term weight that `present` lacks but holds a stand-in for. */
function relatedCoverage(question: StandIns, present: ReadonlySet<string>): number {
  let total = 0;
  let matched = 0;
  for (const [term, weight, others] of question) {
    total += weight;
    if (!present.has(term) && others.some((other) => present.has(other))) matched += weight;
  }
  return total > 0 ? matched / total : 0;
}

/** Quotation marks: the passage quotes someone. */
export const QUOTE = /["“”]/;

/** The question's neighbouring terms, as ordered pairs. */
function neighbouringPairs(terms: readonly string[]): [string, string][] {
  const pairs = new Map<string, [string, string]>();
  for (let i = 0; i + 1 < terms.length; i += 1) pairs.set(`${terms[i]} ${terms[i + 1]}`, [terms[i] as string, terms[i + 1] as string]);
  return [...pairs.values()];
}

/** How far apart, in terms, a question's pair may stand in a sentence: "chemical weapons" in "chemical and biological weapons". */
const PHRASE_REACH = 3;

/** Share of `wanted` pairs that `terms` holds in order, at most PHRASE_REACH apart. */
function phraseCoverage(wanted: readonly [string, string][], terms: readonly string[]): number {
  if (wanted.length === 0) return 0;
  let found = 0;
  for (const [first, second] of wanted) {
    let present = false;
    for (let i = 0; i < terms.length && !present; i += 1) {
      if (terms[i] !== first) continue;
      for (let j = i + 1; j <= i + PHRASE_REACH && j < terms.length; j += 1) if (terms[j] === second) present = true;
    }
    if (present) found += 1;
  }
  return found / wanted.length;
}

/** The label of the nearest part of the paragraph `step` (±1) away from `label`'s, in the same article; undefined past its edge. */
function neighbourParagraph(index: StoryIndex, label: number, step: -1 | 1): number | undefined {
  const here = index.passages.location(label);
  let other = label + step;
  while (other >= 0 && other < index.passages.length) {
    const there = index.passages.location(other);
    if (there.article !== here.article) return undefined;
    if (there.paragraph !== here.paragraph) return there.paragraph === here.paragraph + step ? other : undefined;
    other += step;
  }
  return undefined;
}

/** Passage similarities to one question, each read from disk at most once (neighbours are often candidates too). */
function similarityReader(index: StoryIndex, queryVector: Float32Array, known: Map<number, number>): (label: number | undefined) => number | undefined {
  return (label) => {
    if (label === undefined) return undefined;
    let similarity = known.get(label);
    if (similarity === undefined) {
      similarity = index.passageVectors.similarities(label, queryVector)[0] ?? -1;
      known.set(label, similarity);
    }
    return similarity;
  };
}

export async function gatherCandidates(index: StoryIndex, embedder: Pick<Embedder, 'embedQuery'>, question: string, options: GatherOptions = {}): Promise<CandidateSet> {
  const depth = options.candidates ?? 50;
  const analysed = analyseQuestion(question, {
    vocabulary: index.vocabulary,
    documentFrequency: index.documentFrequency,
    passageCount: index.passages.length,
    englishWords: options.englishWords,
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
  const lexicalHits = index.lexical.search(lexicalQuery(index, analysed), depth);
  const lexicalMs = lap();
  const vectorHits = index.vectors.search(queryVector, depth, index.passageVectors);
  const vectorMs = lap();

  const lexicalRanks = new Map(lexicalHits.map((hit, rank) => [hit.passage, { rank, score: hit.score }]));
  const vectorSimilarity = new Map(vectorHits.map((hit) => [hit.passage, hit.similarity]));
  const labels = [...new Set([...lexicalHits.map((h) => h.passage), ...vectorHits.map((h) => h.passage)])];
  const articles = articleTable(index);
  const questionPairs = neighbouringPairs(termsOf(analysed.text));
  const questionStandIns = standIns(analysed, options.relatedTerms);
  const similarityOf = similarityReader(index, queryVector, vectorSimilarity);
  const candidates = labels.map((label): Candidate => {
    const { passage, entities, sentenceTerms, passageTerms } = readPassage(index, label);
    const similarities = index.sentenceVectors.similarities(label, queryVector);
    const sentences = passage.sentences.map((span, s): SentenceFacts => {
      const { ordered, terms } = sentenceTerms[s] as SentenceTerms;
      return {
        span,
        terms,
        phraseCoverage: phraseCoverage(questionPairs, ordered),
        relatedCoverage: relatedCoverage(questionStandIns, terms),
        coverage: termCoverage(analysed, terms),
        similarity: similarities[s] ?? -1,
        hasAnswerType: analysed.answerType !== undefined && holdsAnswerType(entities[s] ?? 0, analysed.answerType),
        mayHaveAnswerType: analysed.answerType !== undefined && mayHoldAnswerType(entities[s] ?? 0, analysed.answerType),
      };
    });
    const article = articles.byId.get(passage.articleId);
    if (!article) throw new Error(`passage ${passage.id} has no article`);
    const lexical = lexicalRanks.get(label);
    const previous = neighbourParagraph(index, label, -1);
    return {
      label,
      passage,
      article,
      articleParagraphs: articles.paragraphs.get(article.id) ?? 1,
      bm25: lexical?.score ?? 0,
      lexicalRank: lexical?.rank,
      passageSimilarity: similarityOf(label) ?? -1,
      sentences,
      passageCoverage: termCoverage(analysed, passageTerms),
      passageTerms,
      // The paragraph before is asked through the postings: reading its text cost a cold question 5 ms.
      quoteContextCoverage: QUOTE.test(passage.text) && previous !== undefined ? termCoverage(analysed, { has: (term) => passageTerms.has(term) || index.lexical.holds(term, previous) }) : undefined,
      previousSimilarity: similarityOf(previous),
      nextSimilarity: similarityOf(neighbourParagraph(index, label, 1)),
    };
  });
  const evidenceMs = lap();
  return { question: analysed, queryVector, candidates, timings: { embedMs, lexicalMs, vectorMs, evidenceMs } };
}
