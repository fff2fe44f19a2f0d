/**
 * @module paragraphs: answers are paragraphs. A long paragraph is split into parts only to fit the
 * model's window, but a reader cites and reads the paragraph: so each paragraph appears once, as
 * its best-scoring part's result showing the whole paragraph, highlight included.
 */
import type { Passage, Span } from '../corpus/article.js';
import { passageId } from '../corpus/split-passages.js';
import type { PassageStore } from '../index/passage-file.js';

interface Located {
  /** The passage's label in the index. */
  label: number;
  passage: Passage;
}

/** Every part of the paragraph passage `label` belongs to, in order: parts of a paragraph have consecutive labels. */
export function partsOf(passages: PassageStore, { label, passage }: Pick<Located, 'label' | 'passage'>): Passage[] {
  const parts: Passage[] = [];
  for (let other = label - (passage.part - 1); other < passages.length; other += 1) {
    const part = other === label ? passage : passages.get(other);
    if (part.articleId !== passage.articleId || part.paragraph !== passage.paragraph) break;
    parts.push(part);
  }
  return parts;
}

/**
 * The first `limit` paragraphs of `ranked` (best first), each as its best part's entry holding the
 * whole paragraph, with the highlight `highlightOf` picks in that part (asked only of the parts kept).
 */
export function oneResultPerParagraph<T extends Located>(passages: PassageStore, ranked: readonly T[], limit: number, highlightOf: (located: T) => Span): (T & { highlight: Span })[] {
  const seen = new Set<string>();
  const results: (T & { highlight: Span })[] = [];
  for (const located of ranked) {
    if (results.length >= limit) break;
    const { passage } = located;
    const paragraph = `${passage.articleId}#${passage.paragraph}`;
    if (seen.has(paragraph)) continue;
    seen.add(paragraph);
    const highlight = highlightOf(located);
    const parts = partsOf(passages, located);
    if (parts.length === 1) {
      results.push({ ...located, highlight });
      continue;
    }
    // Parts were cut at sentence boundaries, where the cleaned paragraph has a single space.
    let text = '';
    let shift = 0;
    const sentences: Span[] = [];
    for (const part of parts) {
      if (text !== '') text += ' ';
      if (part.part === passage.part) shift = text.length;
      const offset = text.length;
      sentences.push(...part.sentences.map(([start, end]): Span => [start + offset, end + offset]));
      text += part.text;
    }
    results.push({
      ...located,
      passage: { ...passage, id: passageId(passage.articleId, passage.paragraph, 1, 1), part: 1, text, sentences },
      highlight: [highlight[0] + shift, highlight[1] + shift],
    });
  }
  return results;
}
