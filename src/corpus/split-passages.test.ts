import { describe, expect, it } from 'vitest';
import type { Article } from './article.js';
import { splitArticle } from './split-passages.js';

/** One token per word: enough to exercise packing without a model. */
const countWords = (text: string): number => text.split(/\s+/).filter(Boolean).length;

const article: Article = {
  id: 'geneva',
  file: 'geneva.md',
  title: 'Geneva',
  paragraphs: [
    'Kerry met Lavrov.',
    'One two three four. Five six seven. Eight nine ten eleven twelve. Thirteen.',
  ],
};

describe('splitArticle', () => {
  it('keeps a paragraph that fits as one passage, with its sentences', () => {
    const [first] = splitArticle(article, { maxTokens: 8, countTokens: countWords });
    expect(first).toEqual({ id: 'geneva#1', articleId: 'geneva', paragraph: 1, part: 1, text: 'Kerry met Lavrov.', sentences: [[0, 17]] });
  });

  it('splits a long paragraph at sentence boundaries into parts that fit, all citing the same paragraph', () => {
    const parts = splitArticle(article, { maxTokens: 8, countTokens: countWords }).slice(1);
    expect(parts.map((p) => p.text)).toEqual(['One two three four. Five six seven.', 'Eight nine ten eleven twelve. Thirteen.']);
    expect(parts.map((p) => [p.id, p.paragraph, p.part])).toEqual([
      ['geneva#2.1', 2, 1],
      ['geneva#2.2', 2, 2],
    ]);
    for (const part of parts) {
      expect(countWords(part.text)).toBeLessThanOrEqual(8);
      for (const [start, end] of part.sentences) expect(part.text.slice(start, end)).toMatch(/^\S.*[.]$/);
    }
  });

  it('gives a sentence longer than the window a part of its own rather than cutting it', () => {
    const long: Article = { ...article, paragraphs: ['Short one. This sentence has far more than eight words in it, honestly. End.'] };
    expect(splitArticle(long, { maxTokens: 8, countTokens: countWords }).map((p) => p.text)).toEqual([
      'Short one.',
      'This sentence has far more than eight words in it, honestly.',
      'End.',
    ]);
  });
});
