/**
 * @module story-corpora: corpora of the three shapes users have, built from the data folder: one
 * article alone (one story), a few related articles together, and many articles together. Each
 * corpus gets its answerable questions (from its own articles) and near misses (questions about
 * the closest articles it does not hold). Indexes are real builds; every vector comes from one
 * shared cache build, so a text is embedded once across all corpora and runs.
 */
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Embedder } from '../embeddings/embedder.js';
import { type BuildProgress, buildIndex } from '../index/build-index.js';
import { closeIndex, loadIndex } from '../index/index-store.js';
import { sha256 } from '../index/manifest.js';
import type { StoryIndex } from '../index/story-index.js';
import { seededRandom, shuffled } from './random.js';
import { type StoryData, articlePath } from './squad-data.js';

export const CORPUS_SHAPES = ['one-article', 'few-articles', 'many-articles'] as const;
export type CorpusShape = (typeof CORPUS_SHAPES)[number];

export interface CorpusQuestion {
  q: string;
  /** Answer spans; null when the corpus does not hold the question's article. */
  expect: string[] | null;
  /** The article the question was written about. */
  article: string;
}

export interface StoryCorpus {
  /** Stable across runs with the same plan: names the index folder. */
  name: string;
  shape: CorpusShape;
  articles: string[];
  questions: CorpusQuestion[];
}

export interface CorporaPlan {
  seed: number;
  /** Answerable questions sampled per article. */
  questionsPerArticle: number;
  /** Articles in a few-articles corpus. @default 4 */
  fewArticles?: number;
  /** Articles in a many-articles corpus. @default 50 */
  manyArticles?: number;
  /** Near misses per answerable question. @default 0.25 */
  outOfScopeShare?: number;
  /** Shapes to plan. @default all */
  shapes?: readonly CorpusShape[];
}

/** Each article's other articles, nearest (by mean passage vector) first. */
export type ArticleNeighbours = ReadonlyMap<string, readonly string[]>;

function groupsOf(shape: CorpusShape, articles: readonly string[], neighbours: ArticleNeighbours, plan: CorporaPlan, random: () => number): string[][] {
  const order = shuffled(articles, random);
  if (shape === 'one-article') return order.map((article) => [article]);
  if (shape === 'many-articles') {
    const size = plan.manyArticles ?? 50;
    const groups: string[][] = [];
    for (let start = 0; start < order.length; start += size) groups.push(order.slice(start, start + size));
    // A short tail joins the previous group rather than making a corpus of a different shape.
    const tail = groups.length > 1 ? groups.at(-1) : undefined;
    if (tail && tail.length < size / 2) groups.at(-2)?.push(...(groups.pop() ?? []));
    return groups;
  }
  // Few related articles: an article and its nearest ones not yet taken.
  const size = plan.fewArticles ?? 4;
  const taken = new Set<string>();
  const groups: string[][] = [];
  for (const seed of order) {
    if (taken.has(seed)) continue;
    const group = [seed, ...(neighbours.get(seed) ?? []).filter((a) => !taken.has(a) && articles.includes(a)).slice(0, size - 1)];
    for (const article of group) taken.add(article);
    groups.push(group);
  }
  return groups;
}

/** The corpora of each shape over `articles`, with their questions; deterministic for a plan. */
export function planCorpora(data: StoryData, articles: readonly string[], neighbours: ArticleNeighbours, plan: CorporaPlan): StoryCorpus[] {
  const random = seededRandom(plan.seed);
  const sample = <T>(items: readonly T[], count: number): T[] => shuffled(items, random).slice(0, count);
  const corpora: StoryCorpus[] = [];
  for (const shape of plan.shapes ?? CORPUS_SHAPES) {
    for (const group of groupsOf(shape, articles, neighbours, plan, random)) {
      const members = new Set(group);
      const answerable = group.flatMap((article) => sample(data.questions.get(article) ?? [], plan.questionsPerArticle).map((q) => ({ q: q.q, expect: q.answers, article })));
      const outOfScopeCount = Math.round(answerable.length * (plan.outOfScopeShare ?? 0.25));
      const nearest = (neighbours.get(group[0] ?? '') ?? []).filter((a) => !members.has(a) && articles.includes(a));
      const outOfScope = sample(nearest.slice(0, 3).flatMap((article) => (data.questions.get(article) ?? []).map((q) => ({ q: q.q, expect: null, article }))), outOfScopeCount);
      const sorted = [...group].sort();
      corpora.push({ name: `${shape}-${sha256(sorted.join('\n')).slice(0, 12)}`, shape, articles: sorted, questions: [...answerable, ...outOfScope] });
    }
  }
  return corpora;
}

export interface CorpusIndexOptions {
  data: StoryData;
  /** Where corpora, their indexes and the shared vector cache are kept between runs. */
  workDir: string;
  embedder: Embedder;
  prefixes: { queryPrefix: string; passagePrefix: string };
}

async function writeCorpusFolder(data: StoryData, dir: string, articles: readonly string[]): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  for (const article of articles) await copyFile(articlePath(data, article), join(dir, `${article}.md`));
}

async function loadIfPresent(indexDir: string): Promise<StoryIndex | undefined> {
  return loadIndex(indexDir).catch(() => undefined);
}

/** Builds and opens the indexes of story corpora, embedding each text at most once. */
export class CorpusIndexes {
  private cache: StoryIndex | undefined;

  constructor(private readonly options: CorpusIndexOptions) {}

  /** Makes sure the vector cache holds every passage and sentence of `articles` (the long step, with progress). */
  async prepare(articles: readonly string[], onProgress?: (progress: BuildProgress) => void): Promise<void> {
    const { data, workDir, embedder, prefixes } = this.options;
    const dir = join(workDir, 'vectors');
    const existing = this.cache ?? (await loadIfPresent(join(dir, 'index')));
    // The cache only grows: articles another run prepared stay, so switching runs never re-embeds.
    const cached = (existing?.articles ?? []).map((article) => article.id).filter((id) => data.articles.includes(id));
    await writeCorpusFolder(data, join(dir, 'corpus'), [...new Set([...cached, ...articles])].sort());
    const { index } = await buildIndex({ corpusDir: join(dir, 'corpus'), indexDir: join(dir, 'index'), embedder, prefixes, previous: existing, ...(onProgress ? { onProgress } : {}) });
    if (existing && existing !== index) closeIndex(existing);
    this.cache = index;
  }

  /** The cache build: every article prepared, for article-level statistics. */
  get vectors(): StoryIndex {
    if (!this.cache) throw new Error('CorpusIndexes.prepare() first');
    return this.cache;
  }

  async open(corpus: StoryCorpus): Promise<StoryIndex> {
    const { data, workDir, embedder, prefixes } = this.options;
    const dir = join(workDir, 'corpora', corpus.name);
    const saved = await loadIfPresent(join(dir, 'index'));
    await writeCorpusFolder(data, join(dir, 'corpus'), corpus.articles);
    const { index } = await buildIndex({ corpusDir: join(dir, 'corpus'), indexDir: join(dir, 'index'), embedder, prefixes, previous: saved ?? this.vectors });
    if (saved && saved !== index) closeIndex(saved);
    return index;
  }

  close(): void {
    if (this.cache) closeIndex(this.cache);
    this.cache = undefined;
  }
}

/** Each article's mean passage vector, then every article's others by cosine, nearest first. */
export function articleNeighbours(index: StoryIndex): Map<string, string[]> {
  const { dimensions } = index.manifest.embedding;
  const sums = index.articles.map(() => new Float64Array(dimensions));
  for (let label = 0; label < index.passages.length; label += 1) {
    const sum = sums[index.passages.location(label).article];
    const [vector] = index.passageVectors.of(label);
    if (sum && vector) for (let d = 0; d < dimensions; d += 1) sum[d] = (sum[d] ?? 0) + (vector[d] ?? 0);
  }
  const unit = sums.map((sum) => {
    const norm = Math.hypot(...sum) || 1;
    return sum.map((x) => x / norm);
  });
  const cosine = (a: Float64Array, b: Float64Array): number => a.reduce((total, x, d) => total + x * (b[d] ?? 0), 0);
  return new Map(
    index.articles.map((article, k) => {
      const mine = unit[k] as Float64Array;
      const others = index.articles.map((other, j) => ({ id: other.id, similarity: j === k ? -Infinity : cosine(mine, unit[j] as Float64Array) }));
      return [article.id, others.filter((o) => o.similarity > -Infinity).sort((a, b) => b.similarity - a.similarity || (a.id < b.id ? -1 : 1)).map((o) => o.id)];
    }),
  );
}
