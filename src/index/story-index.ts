/** @module story-index: a loaded index, everything search needs, held in memory. */
import type { Article } from '../corpus/article.js';
import type { Vocabulary } from './vocabulary.js';
import type { LexicalIndex } from './lexical-index.js';
import type { Manifest } from './manifest.js';
import type { PassageStore } from './passage-file.js';
import type { VectorIndex } from './vector-index.js';
import type { VectorRecordFile } from './vector-records.js';

/** An article as the index lists it: metadata without the text (that lives in the passages). */
export interface IndexedArticle extends Omit<Article, 'paragraphs'> {
  passageCount: number;
}

export interface StoryIndex {
  /** The build folder this index was loaded from (what `CURRENT` names while it is live). */
  buildId: string;
  manifest: Manifest;
  articles: IndexedArticle[];
  /** A passage's position (label) is the same in the vector and lexical indexes. */
  passages: PassageStore;
  /** Finds the passages nearest to a question vector. */
  vectors: VectorIndex;
  /** Per passage, its full vector (one record), read from disk on demand. */
  passageVectors: VectorRecordFile;
  /** Per passage, one vector per sentence (questions usually target a single sentence), read from disk on demand. */
  sentenceVectors: VectorRecordFile;
  lexical: LexicalIndex;
  vocabulary: Vocabulary;
  /** Index term → number of passages containing it. */
  documentFrequency: ReadonlyMap<string, number>;
}
