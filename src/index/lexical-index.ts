/** @module lexical-index: BM25 over passages with MiniSearch, on the shared term analysis. */
import MiniSearch, { type Options } from 'minisearch';
import { termOf, words } from './terms.js';

interface LexicalDocument {
  /** The passage's position in the index's passage list. */
  id: number;
  text: string;
}

export interface LexicalHit {
  /** Position in the passage list. */
  passage: number;
  score: number;
  /** Query terms (as index terms) that this passage contains. */
  terms: string[];
}

/** Shorter stems would match too many unrelated words as prefixes. */
const MIN_PREFIX_LENGTH = 5;

const OPTIONS: Options<LexicalDocument> = {
  fields: ['text'],
  tokenize: (text) => words(text).map(({ word }) => word),
  processTerm: (term) => termOf(term) ?? null,
};

export class LexicalIndex {
  private constructor(private readonly search_: MiniSearch<LexicalDocument>) {}

  static build(texts: readonly string[]): LexicalIndex {
    const index = new MiniSearch<LexicalDocument>(OPTIONS);
    index.addAll(texts.map((text, id) => ({ id, text })));
    return new LexicalIndex(index);
  }

  static fromJSON(json: string): LexicalIndex {
    return new LexicalIndex(MiniSearch.loadJSON<LexicalDocument>(json, OPTIONS));
  }

  toJSON(): string {
    return JSON.stringify(this.search_);
  }

  /**
   * Passages sharing any query term, best BM25 first. A longer term also matches terms it begins
   * ("chair" finds "chairman"), at MiniSearch's reduced prefix weight.
   */
  search(query: string, limit: number): LexicalHit[] {
    return this.search_
      .search(query, { combineWith: 'OR', prefix: (term) => term.length >= MIN_PREFIX_LENGTH })
      .slice(0, limit)
      .map((result) => ({ passage: result.id as number, score: result.score, terms: result.terms }));
  }

}
