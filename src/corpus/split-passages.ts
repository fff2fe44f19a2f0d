/** @module split-passages: articles → passages that fit the embedding model's window. */
import type { Article, Passage, Span } from './article.js';
import { splitSentences } from './sentences.js';

export interface SplitOptions {
  /** Tokens the embedding model reads; longer paragraphs are split at sentence boundaries. */
  maxTokens: number;
  /** Counts tokens the way the embedding model does. */
  countTokens: (text: string) => number;
}

/** Groups consecutive sentences greedily into spans that fit `maxTokens`; a longer sentence stands alone. */
function packSentences(text: string, sentences: Span[], options: SplitOptions): Span[] {
  const parts: [number, number][] = [];
  for (const [start, end] of sentences) {
    const current = parts.at(-1);
    if (current && options.countTokens(text.slice(current[0], end)) <= options.maxTokens) current[1] = end;
    else parts.push([start, end]);
  }
  return parts;
}

/** `<article id>#<paragraph>`, with `.<part>` when the paragraph was split. */
export function passageId(articleId: string, paragraph: number, part: number, parts: number): string {
  return parts === 1 ? `${articleId}#${paragraph}` : `${articleId}#${paragraph}.${part}`;
}

function passageOf(article: Article, paragraph: number, part: number, parts: number, text: string): Passage {
  const sentences = splitSentences(text);
  return {
    id: passageId(article.id, paragraph, part, parts),
    articleId: article.id,
    paragraph,
    part,
    text,
    sentences: sentences.length > 0 ? sentences : [[0, text.length]],
  };
}

export function splitArticle(article: Article, options: SplitOptions): Passage[] {
  return article.paragraphs.flatMap((text, index) => {
    const paragraph = index + 1;
    if (options.countTokens(text) <= options.maxTokens) return [passageOf(article, paragraph, 1, 1, text)];
    const parts = packSentences(text, splitSentences(text), options);
    return parts.map(([start, end], k) => passageOf(article, paragraph, k + 1, parts.length, text.slice(start, end)));
  });
}
