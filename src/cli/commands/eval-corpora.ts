/**
 * `eval --data DIR`: retrieval quality on corpora built from the data folder, in the three shapes
 * users have (one article, a few related ones, many), for every method side by side.
 * `eval --stories DIR`: the same for a folder of stories (`<story>/corpus/`, `<story>/questions.jsonl`).
 */
import { readFile, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { openEngine } from '../../app.js';
import { evaluateCorpora, type ShapeReport } from '../../evaluation/corpus-eval.js';
import { buildIndex } from '../../index/build-index.js';
import { closeIndex } from '../../index/index-store.js';
import { EVAL_DEPTH, type EvalOutcome, parseQuestions, report, runQuestions } from '../../search/evaluate.js';
import { searchStory } from '../../search/search.js';
import { loadSplit, loadStoryData } from '../../evaluation/squad-data.js';
import { CORPUS_SHAPES, type CorpusShape, CorpusIndexes, articleNeighbours, planCorpora } from '../../evaluation/story-corpora.js';
import { loadRankingModel } from '../../search/ranker.js';
import type { SearchMethod } from '../../search/search.js';
import type { CliContext, ParsedValues } from '../command.js';

export interface CorporaEvalOptions {
  dataDir: string;
  split: 'training' | 'validation';
  questionsPerArticle: number;
  seed: number;
  shapes: readonly CorpusShape[];
  methods: readonly SearchMethod[];
  /** Where corpora, indexes and the vector cache persist between runs. */
  workDir: string;
}

const percent = (value: number): string => value.toFixed(3);

export function formatShapeReports(reports: readonly ShapeReport[]): string {
  const lines = ['| Corpora | Method | hit@1 | hit@3 | MRR | bold holds the answer | out-of-scope declined | answerable declined |', '|---|---|---|---|---|---|---|---|'];
  for (const { shape, corpora, methods } of reports) {
    for (const [method, r] of Object.entries(methods)) {
      if (r) lines.push(`| ${shape} (${corpora} corpora, ${r.n} questions) | ${method} | ${percent(r.hit1)} | ${percent(r.hit3)} | ${percent(r.mrr)} | ${percent(r.bold)} | ${percent(r.declined_oos)} | ${percent(r.false_declines)} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export function corporaEvalOptions(values: ParsedValues, methods: readonly SearchMethod[]): CorporaEvalOptions | string {
  const integer = (name: string, fallback: number): number | undefined => {
    const raw = values[name];
    if (raw === undefined) return fallback;
    const parsed = Number(raw);
    return Number.isInteger(parsed) && parsed >= 0 ? parsed : undefined;
  };
  const split = values.split ?? 'validation';
  const questionsPerArticle = integer('sample', 10);
  const seed = integer('seed', 1);
  const shapes = typeof values.shapes === 'string' ? values.shapes.split(',') : [...CORPUS_SHAPES];
  if (split !== 'training' && split !== 'validation') return '--split must be training or validation';
  if (questionsPerArticle === undefined || questionsPerArticle === 0) return '--sample must be a whole number of questions per article';
  if (seed === undefined) return '--seed must be a whole number';
  const unknown = shapes.find((shape) => !(CORPUS_SHAPES as readonly string[]).includes(shape));
  if (unknown !== undefined) return `--shapes: "${unknown}" is not one of ${CORPUS_SHAPES.join(', ')}`;
  return {
    dataDir: resolve(String(values.data)),
    split,
    questionsPerArticle,
    seed,
    shapes: shapes as CorpusShape[],
    methods,
    workDir: resolve(typeof values.work === 'string' ? values.work : '.cache/story-corpora'),
  };
}

export async function evaluateDataCorpora(context: CliContext, options: CorporaEvalOptions, json: boolean): Promise<number> {
  const data = await loadStoryData(options.dataDir);
  const articles = (await loadSplit(data))[options.split];
  const engine = await openEngine(context.config, context.logger);
  const indexes = new CorpusIndexes({ data, workDir: options.workDir, embedder: engine.embedder, prefixes: engine.prefixes });
  try {
    await indexes.prepare(articles, context.progress);
    const corpora = planCorpora(data, articles, articleNeighbours(indexes.vectors), { seed: options.seed, questionsPerArticle: options.questionsPerArticle, shapes: options.shapes });
    const reports = await evaluateCorpora(corpora, indexes, { ...engine, model: loadRankingModel() }, options.methods, (done, total) => {
      if (done % 10 === 0 || done === total) context.stderr.write(`Evaluated ${done}/${total} corpora…\n`);
    });
    context.stdout.write(json ? `${JSON.stringify(reports)}\n` : formatShapeReports(reports));
    return 0;
  } finally {
    indexes.close();
    await engine.embedder.dispose();
  }
}

/** Every story of `dir` indexed on its own, every method on its questions, pooled into one report per method. */
export async function evaluateStoryFolders(context: CliContext, dir: string, methods: readonly SearchMethod[], workDir: string, json: boolean): Promise<number> {
  const stories = (await readdir(dir, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  const engine = await openEngine(context.config, context.logger);
  const tools = { ...engine, model: loadRankingModel() };
  const outcomes = new Map<SearchMethod, EvalOutcome[]>();
  try {
    for (const story of stories) {
      const questions = parseQuestions(await readFile(join(dir, story, 'questions.jsonl'), 'utf8'));
      const { index } = await buildIndex({ corpusDir: join(dir, story, 'corpus'), indexDir: join(workDir, 'stories', story), embedder: engine.embedder, prefixes: engine.prefixes });
      try {
        for (const method of methods) outcomes.set(method, [...(outcomes.get(method) ?? []), ...(await runQuestions(questions, (q) => searchStory(index, tools, q, { method, limit: EVAL_DEPTH })))]);
      } finally {
        closeIndex(index);
      }
    }
  } finally {
    await engine.embedder.dispose();
  }
  const reports: ShapeReport[] = [{ shape: `stories of ${dir}`, corpora: stories.length, methods: Object.fromEntries([...outcomes].map(([method, run]) => [method, report(run)])) }];
  context.stdout.write(json ? `${JSON.stringify(reports)}\n` : formatShapeReports(reports));
  return 0;
}
