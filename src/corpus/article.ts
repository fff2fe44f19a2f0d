/** @module article: the shapes that flow out of the corpus stage. */

/** One cleaned article: metadata plus body paragraphs, numbered from 1 as a reader counts them. */
export interface Article {
  /** The file name without its extension: stable across edits, unique within a corpus. */
  id: string;
  /** The file name, as the user sees it in corpus/. */
  file: string;
  title: string;
  url?: string | undefined;
  published?: string | undefined;
  source?: string | undefined;
  byline?: string | undefined;
  /** Set for articles added with /article add or `npm run article -- add`. */
  added?: { at: string; by: string | undefined } | undefined;
  paragraphs: string[];
}

/** A span [start, end) of character offsets into a passage's text. */
export type Span = readonly [start: number, end: number];

/** The unit of retrieval: a paragraph, or part of a long one, quoted verbatim. */
export interface Passage {
  /** `<article id>#<paragraph>` or, for parts of a long paragraph, `<article id>#<paragraph>.<part>`. */
  id: string;
  articleId: string;
  /** 1-based paragraph number in the cleaned article. */
  paragraph: number;
  /** 1-based part number within the paragraph (1 when the paragraph was not split). */
  part: number;
  text: string;
  /** Where each sentence sits in `text`. */
  sentences: Span[];
}

/** A corpus file that could not be used, and why, in words a user can act on. */
export interface SkippedFile {
  file: string;
  reason: string;
}
