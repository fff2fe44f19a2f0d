import { describe, expect, it } from 'vitest';
import type { DataQuestion, StoryData } from './squad-data.js';
import { planCorpora } from './story-corpora.js';

const articles = Array.from({ length: 12 }, (_, k) => `article-${String(k).padStart(2, '0')}`);
const data: StoryData = {
  dir: 'data',
  articles,
  questions: new Map(articles.map((article) => [article, Array.from({ length: 8 }, (_, q): DataQuestion => ({ q: `${article} question ${q}`, article, paragraph: 1, answers: [`answer ${q}`] }))])),
};
// Articles are "related" to their numeric neighbours.
const neighbours = new Map(articles.map((article, k) => [article, [...articles].filter((other) => other !== article).sort((a, b) => Math.abs(articles.indexOf(a) - k) - Math.abs(articles.indexOf(b) - k))]));
const plan = { seed: 3, questionsPerArticle: 4, fewArticles: 3, manyArticles: 5 };

describe('planCorpora', () => {
  const corpora = planCorpora(data, articles, neighbours, plan);
  const ofShape = (shape: string) => corpora.filter((c) => c.shape === shape);

  it('makes one corpus per article, related groups of a few, and big mixed ones; each article once per shape', () => {
    expect(ofShape('one-article')).toHaveLength(12);
    for (const shape of ['one-article', 'few-articles', 'many-articles']) expect(ofShape(shape).flatMap((c) => c.articles).sort()).toEqual(articles);
    for (const corpus of ofShape('few-articles')) {
      const positions = corpus.articles.map((a) => articles.indexOf(a));
      expect(corpus.articles.length).toBeLessThanOrEqual(3);
      // Related: neighbours in this toy world are close in number.
      expect(Math.max(...positions) - Math.min(...positions)).toBeLessThanOrEqual(4);
    }
    // 12 articles by 5: a short tail joins the group before it.
    expect(ofShape('many-articles').map((c) => c.articles.length)).toEqual([5, 7]);
  });

  it('asks each corpus its own articles’ questions, and near misses from articles it does not hold', () => {
    for (const corpus of corpora) {
      const answerable = corpus.questions.filter((q) => q.expect !== null);
      const outOfScope = corpus.questions.filter((q) => q.expect === null);
      expect(answerable).toHaveLength(4 * corpus.articles.length);
      expect(answerable.every((q) => corpus.articles.includes(q.article))).toBe(true);
      expect(outOfScope).toHaveLength(corpus.articles.length);
      expect(outOfScope.every((q) => !corpus.articles.includes(q.article))).toBe(true);
    }
  });

  it('is the same plan for the same seed, and another for another', () => {
    expect(planCorpora(data, articles, neighbours, plan)).toEqual(corpora);
    expect(planCorpora(data, articles, neighbours, { ...plan, seed: 4 })).not.toEqual(corpora);
  });
});
