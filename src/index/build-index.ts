/**
 * @module build-index: corpus folder → saved, live index. Incremental: vectors of texts the
 * previous build already embedded (same model, same prefix) are reused, never recomputed.
 */
import type { Passage, SkippedFile } from '../corpus/article.js';
import { ENTITY_TAGGER_VERSION, entitiesOf } from '../corpus/entities.js';
import { fingerprintCorpus } from '../corpus/fingerprint.js';
import { loadCorpus } from '../corpus/load-corpus.js';
import { splitArticle } from '../corpus/split-passages.js';
import type { Embedder } from '../embeddings/embedder.js';
import { AppError, ErrorCodes } from '../errors.js';
import { Vocabulary } from './vocabulary.js';
import { type IndexContent, saveIndex } from './index-store.js';
import { LexicalIndex } from './lexical-index.js';
import { type EmbeddingSettings, INDEX_FORMAT_VERSION, manifestMismatch, sha256 } from './manifest.js';
import type { IndexedArticle, StoryIndex } from './story-index.js';
import { acronymsOf, normalizeWord, termsOf, words } from './terms.js';
import { decodeRecord, encodeRecord } from './vector-records.js';
import { HNSW_PARAMETERS, VectorIndex } from './vector-index.js';

export type BuildPhase = 'reading' | 'embedding' | 'indexing' | 'saving';

export interface BuildProgress {
  phase: BuildPhase;
  /** Passages embedded so far (embedding phase only). */
  done: number;
  /** Passages to embed (embedding phase only). */
  total: number;
}

export interface BuildSummary {
  /** True when the corpus had not changed and nothing was rebuilt. */
  upToDate: boolean;
  articles: number;
  passages: number;
  /** Passages whose vectors were computed in this build. */
  embedded: number;
  /** Passages whose vectors came from the previous build. */
  reused: number;
  skipped: SkippedFile[];
  seconds: number;
}

export interface BuildOptions {
  corpusDir: string;
  indexDir: string;
  embedder: Embedder;
  /** The prefixes the embedder applies, recorded so a change of prefix invalidates the index. */
  prefixes: { queryPrefix: string; passagePrefix: string };
  /** The index being replaced, if any: its vectors are reused and, when nothing changed, it is kept. */
  previous?: StoryIndex | undefined;
  onProgress?: (progress: BuildProgress) => void;
  /** From how many passages the vector graph holds projected vectors (see PROJECTION; tests lower it). */
  minPassagesToProject?: number;
}

/** Vectors depend on the model, the prefix and the text, and on nothing else. */
function embeddingKey(settings: EmbeddingSettings, text: string): string {
  return sha256(`${settings.modelId}\0${settings.passagePrefix}\0${text}`).slice(0, 32);
}

/** Where the previous build keeps a text's vector: as a passage record or as a sentence record. */
interface StoredVector {
  passage: number;
  sentence?: number;
}

/** Per previous build, its texts' keys: computed once, however many builds reuse it (tools build many corpora from one). */
const storedVectors = new WeakMap<StoryIndex, Map<string, StoredVector>>();

/** Every text the previous build embedded, keyed like new ones; vectors are read only when reused. */
function previousVectors(previous: StoryIndex | undefined): Map<string, StoredVector> {
  if (!previous) return new Map();
  const known = storedVectors.get(previous);
  if (known) return known;
  const stored = new Map<string, StoredVector>();
  storedVectors.set(previous, stored);
  const settings = previous.manifest.embedding;
  for (let label = 0; label < previous.passages.length; label += 1) {
    const passage = previous.passages.get(label);
    stored.set(embeddingKey(settings, passage.text), { passage: label });
    passage.sentences.forEach(([start, end], s) => stored.set(embeddingKey(settings, passage.text.slice(start, end)), { passage: label, sentence: s }));
  }
  return stored;
}

/** Every sentence's entity kinds; a sentence the previous build (or this one) tagged keeps its tags (tagging costs about a millisecond). */
function entitiesOfSentences(texts: readonly string[], previouslyTagged: (text: string) => number | undefined): Uint16Array {
  const tagged = new Map<string, number>();
  return Uint16Array.from(texts, (text) => {
    let kinds = tagged.get(text) ?? previouslyTagged(text);
    if (kinds === undefined) {
      kinds = entitiesOf(text);
      tagged.set(text, kinds);
    }
    return kinds;
  });
}

function termStatistics(passages: readonly Passage[]): { vocabulary: Vocabulary; documentFrequency: Map<string, number> } {
  const wordCounts = new Map<string, number>();
  const documentFrequency = new Map<string, number>();
  for (const { text } of passages) {
    for (const word of [...words(text).map(({ word }) => normalizeWord(word)), ...acronymsOf(text)]) {
      wordCounts.set(word, (wordCounts.get(word) ?? 0) + 1);
    }
    for (const term of new Set(termsOf(text))) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  }
  return { vocabulary: new Vocabulary(wordCounts), documentFrequency };
}

export async function buildIndex(options: BuildOptions): Promise<{ index: StoryIndex; summary: BuildSummary }> {
  const started = performance.now();
  const { embedder, previous } = options;
  const settings: EmbeddingSettings = { modelId: embedder.modelId, dimensions: embedder.dimensions, ...options.prefixes };
  const seconds = (): number => (performance.now() - started) / 1000;
  options.onProgress?.({ phase: 'reading', done: 0, total: 0 });

  const corpusFingerprint = await fingerprintCorpus(options.corpusDir).catch((cause: unknown) => {
    throw new AppError(ErrorCodes.CORPUS_EMPTY, `The corpus folder ${options.corpusDir} cannot be read (${String(cause)}).`, { cause });
  });
  if (previous && previous.manifest.corpusFingerprint === corpusFingerprint && !manifestMismatch(previous.manifest, settings)) {
    const { articleCount, passageCount, skipped } = previous.manifest;
    return {
      index: previous,
      summary: { upToDate: true, articles: articleCount, passages: passageCount, embedded: 0, reused: passageCount, skipped, seconds: seconds() },
    };
  }

  const { articles, skipped } = await loadCorpus(options.corpusDir);
  if (articles.length === 0) {
    const reasons = skipped.map((s) => `${s.file}: ${s.reason}`).join('; ');
    throw new AppError(ErrorCodes.CORPUS_EMPTY, `No usable article in ${options.corpusDir}${reasons ? ` (${reasons})` : ''}.`);
  }
  const split = { maxTokens: embedder.maxTokens, countTokens: (text: string) => embedder.countTokens(text) };
  const passages = articles.flatMap((article) => splitArticle(article, split));

  // Embed every passage and sentence text the previous build did not have, in one batched pass.
  const stored = previousVectors(previous);
  const sentenceTexts = passages.map((p) => p.sentences.map(([start, end]) => p.text.slice(start, end)));
  const missing = [...new Set([...passages.map((p) => p.text), ...sentenceTexts.flat()])].filter((text) => !stored.has(embeddingKey(settings, text)));
  const reusedPassages = passages.filter((p) => stored.has(embeddingKey(settings, p.text))).length;
  const embeddedPassages = passages.length - reusedPassages;
  options.onProgress?.({ phase: 'embedding', done: 0, total: embeddedPassages });
  const embedded = await embedder.embedPassages(missing, {
    onProgress: ({ done, total }) => options.onProgress?.({ phase: 'embedding', done: Math.round((done / total) * embeddedPassages), total: embeddedPassages }),
  });
  const fresh = new Map(missing.map((text, k) => [embeddingKey(settings, text), embedded[k] ?? new Float32Array(settings.dimensions)]));
  /** A reused record is copied byte for byte: decoding and re-encoding could drift. */
  const recordOf = (text: string): Uint8Array => {
    const key = embeddingKey(settings, text);
    const where = stored.get(key);
    if (previous && where) {
      const record = where.sentence === undefined ? previous.passageVectors.record(where.passage, 0) : previous.sentenceVectors.record(where.passage, where.sentence);
      if (record) return record;
    }
    return encodeRecord(fresh.get(key) ?? new Float32Array(settings.dimensions), settings.dimensions);
  };

  options.onProgress?.({ phase: 'indexing', done: 0, total: 0 });
  const tagsReusable = previous?.manifest.entityTagger === ENTITY_TAGGER_VERSION;
  const sentenceEntities = entitiesOfSentences(sentenceTexts.flat(), (text) => {
    const where = stored.get(embeddingKey(settings, text));
    return previous && tagsReusable && where?.sentence !== undefined ? previous.passages.entities(where.passage)[where.sentence] : undefined;
  });
  const passageRecords = passages.map((p) => recordOf(p.text));
  // The graph is built from the stored (int8) vectors, so a passage gets the same place whether it was embedded now or before.
  const graphVectors = passageRecords.map((record) => decodeRecord(record, settings.dimensions));
  const passageCounts = new Map<string, number>();
  for (const { articleId } of passages) passageCounts.set(articleId, (passageCounts.get(articleId) ?? 0) + 1);
  const indexedArticles: IndexedArticle[] = articles.map(({ paragraphs: _text, ...article }) => ({ ...article, passageCount: passageCounts.get(article.id) ?? 0 }));
  const content: IndexContent = {
    articles: indexedArticles,
    passages,
    sentenceEntities,
    passageVectors: Buffer.concat(passageRecords),
    sentenceVectors: Buffer.concat(sentenceTexts.flatMap((texts) => texts.map(recordOf))),
    vectors: VectorIndex.build(graphVectors, settings.dimensions, options.minPassagesToProject),
    lexical: LexicalIndex.build(passages.map((p) => p.text)),
    ...termStatistics(passages),
  };

  options.onProgress?.({ phase: 'saving', done: 0, total: 0 });
  const index = await saveIndex(options.indexDir, content, {
    formatVersion: INDEX_FORMAT_VERSION,
    embedding: settings,
    entityTagger: ENTITY_TAGGER_VERSION,
    hnsw: HNSW_PARAMETERS,
    corpusFingerprint,
    builtAt: new Date().toISOString(),
    articleCount: articles.length,
    passageCount: passages.length,
    skipped,
  });
  return {
    index,
    summary: { upToDate: false, articles: articles.length, passages: passages.length, embedded: embeddedPassages, reused: reusedPassages, skipped, seconds: seconds() },
  };
}
