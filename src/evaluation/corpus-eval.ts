/**
 * @module corpus-eval: retrieval quality of several methods on many story corpora, per corpus
 * shape: each corpus is indexed, every method answers the same questions, and the outcomes of all
 * corpora of a shape are pooled into one report per method.
 */
import { closeIndex } from '../index/index-store.js';
import { EVAL_DEPTH, type EvalOutcome, type EvalReport, report, runQuestions } from '../search/evaluate.js';
import { type SearchMethod, type SearchTools, searchStory } from '../search/search.js';
import type { CorpusIndexes, CorpusShape, StoryCorpus } from './story-corpora.js';

export interface ShapeReport {
  /** A corpus shape, or a name for another set of corpora. */
  shape: CorpusShape | string;
  corpora: number;
  /** One report per method, same questions. */
  methods: Partial<Record<SearchMethod, EvalReport>>;
}

export async function evaluateCorpora(
  corpora: readonly StoryCorpus[],
  indexes: CorpusIndexes,
  tools: SearchTools,
  methods: readonly SearchMethod[],
  onCorpus?: (done: number, total: number) => void,
): Promise<ShapeReport[]> {
  const outcomes = new Map<CorpusShape, Map<SearchMethod, EvalOutcome[]>>();
  let done = 0;
  for (const corpus of corpora) {
    const index = await indexes.open(corpus);
    try {
      const byMethod = outcomes.get(corpus.shape) ?? new Map<SearchMethod, EvalOutcome[]>();
      outcomes.set(corpus.shape, byMethod);
      for (const method of methods) {
        const run = await runQuestions(corpus.questions, (q) => searchStory(index, tools, q, { method, limit: EVAL_DEPTH }));
        byMethod.set(method, [...(byMethod.get(method) ?? []), ...run]);
      }
    } finally {
      closeIndex(index);
    }
    onCorpus?.((done += 1), corpora.length);
  }
  return [...outcomes].map(([shape, byMethod]) => ({
    shape,
    corpora: corpora.filter((c) => c.shape === shape).length,
    methods: Object.fromEntries([...byMethod].map(([method, run]) => [method, report(run)])),
  }));
}
