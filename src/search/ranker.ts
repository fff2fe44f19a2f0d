/**
 * @module ranker: the trained models, as loaded from `model/ranking-model.json` (written by
 * `npm run train`): a scorer that orders a question's candidate passages, and a logistic model of
 * whether the story answers the question at all. Only evaluation lives here; fitting is in
 * scripts/train/.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { AppError, ErrorCodes } from '../errors.js';
import { ANSWERABILITY_FEATURES } from './answerability.js';
import { FEATURE_NAMES } from './features.js';

const numbers = z.array(z.number());

const linearScorer = z.object({ family: z.literal('linear'), weights: numbers, bias: z.number() });
const mlpScorer = z.object({
  family: z.literal('mlp'),
  /** hidden[h][f]: weight of (standardised) feature f into hidden unit h. */
  hidden: z.array(numbers),
  hiddenBias: numbers,
  output: numbers,
  outputBias: z.number(),
});
/** Trees as flat arrays: node n splits on feature[n] at threshold[n] (left when ≤), or is a leaf when feature[n] is -1. */
const tree = z.object({ feature: z.array(z.number().int()), threshold: numbers, left: z.array(z.number().int()), right: z.array(z.number().int()), value: numbers });
const treesScorer = z.object({ family: z.literal('trees'), trees: z.array(tree) });

const standardisation = { mean: numbers, scale: numbers };

const rankingModelFile = z.object({
  format: z.literal(1),
  /** Where the weights came from, as the data's licence asks. */
  credit: z.string(),
  ranker: z.object({ features: z.array(z.string()), ...standardisation, scorer: z.discriminatedUnion('family', [linearScorer, mlpScorer, treesScorer]) }),
  answerability: z.object({ features: z.array(z.string()), ...standardisation, weights: numbers, bias: z.number(), threshold: z.number() }),
  /** How the file was made: data, examples, validation figures. Informational. */
  training: z.record(z.string(), z.unknown()),
});

export type RankingModel = z.infer<typeof rankingModelFile>;
export type Scorer = RankingModel['ranker']['scorer'];
export type Tree = z.infer<typeof tree>;

const SHIPPED_MODEL = join('src', 'search', 'model', 'ranking-model.json');

/**
 * The shipped model, where `npm run train` writes it: beside this module, or for compiled code (in
 * dist/ or any other output folder inside the project) in the project's src/. One copy, so a build
 * never serves a stale one.
 */
function shippedModelPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const beside = join(here, 'model', 'ranking-model.json');
  if (existsSync(beside)) return beside;
  for (let dir = here; dir !== dirname(dir); dir = dirname(dir)) if (existsSync(join(dir, SHIPPED_MODEL))) return join(dir, SHIPPED_MODEL);
  return beside;
}

export const RANKING_MODEL_FILE = shippedModelPath();

function standardised(row: ArrayLike<number>, mean: readonly number[], scale: readonly number[]): Float64Array {
  return Float64Array.from({ length: mean.length }, (_, f) => ((row[f] ?? 0) - (mean[f] ?? 0)) / (scale[f] || 1));
}

function treeValue(t: Tree, row: ArrayLike<number>): number {
  let node = 0;
  for (;;) {
    const feature = t.feature[node] ?? -1;
    if (feature < 0) return t.value[node] ?? 0;
    node = (row[feature] ?? 0) <= (t.threshold[node] ?? 0) ? (t.left[node] ?? 0) : (t.right[node] ?? 0);
  }
}

/** A scorer's output for one standardised feature row: higher ranks first. */
export function scoreRow(scorer: Scorer, x: ArrayLike<number>): number {
  switch (scorer.family) {
    case 'linear':
      return scorer.weights.reduce((sum, w, f) => sum + w * (x[f] ?? 0), scorer.bias);
    case 'mlp':
      return scorer.hidden.reduce((sum, weights, h) => {
        const activation = weights.reduce((a, w, f) => a + w * (x[f] ?? 0), scorer.hiddenBias[h] ?? 0);
        return sum + (scorer.output[h] ?? 0) * Math.max(0, activation);
      }, scorer.outputBias);
    case 'trees':
      return scorer.trees.reduce((sum, t) => sum + treeValue(t, x), 0);
  }
}

export function rankScores(model: RankingModel, rows: readonly Float64Array[]): number[] {
  const { mean, scale, scorer } = model.ranker;
  return rows.map((row) => scoreRow(scorer, standardised(row, mean, scale)));
}

/** Probability that the story answers the question, from its answerability features. */
export function answerProbability(model: RankingModel, row: ArrayLike<number>): number {
  const { mean, scale, weights, bias } = model.answerability;
  const x = standardised(row, mean, scale);
  const logit = weights.reduce((sum, w, f) => sum + w * (x[f] ?? 0), bias);
  return 1 / (1 + Math.exp(-logit));
}

function mismatch(kind: string, expected: readonly string[], found: readonly string[]): string | undefined {
  if (expected.length === found.length && expected.every((name, k) => found[k] === name)) return undefined;
  const missing = expected.filter((name) => !found.includes(name));
  const extra = found.filter((name) => !expected.includes(name));
  return `its ${kind} features differ from the engine's (missing: ${missing.join(', ') || 'none'}; unknown: ${extra.join(', ') || 'none'}; or in another order)`;
}

/** Parses and checks a model against the features this engine computes. */
export function parseRankingModel(json: unknown, source = 'the ranking model'): RankingModel {
  const parsed = rankingModelFile.safeParse(json);
  if (!parsed.success) throw new AppError(ErrorCodes.MODEL_UNAVAILABLE, `${source} is not a valid ranking model: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}. Run npm run train to rebuild it.`);
  const model = parsed.data;
  const problem = mismatch('ranking', FEATURE_NAMES, model.ranker.features) ?? mismatch('answerability', ANSWERABILITY_FEATURES, model.answerability.features);
  if (problem) throw new AppError(ErrorCodes.MODEL_UNAVAILABLE, `${source} does not fit this version: ${problem}. Run npm run train to rebuild it.`);
  return model;
}

/** The shipped model (or another file), checked; loaded once at start-up. */
export function loadRankingModel(file: string = RANKING_MODEL_FILE): RankingModel {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new AppError(ErrorCodes.MODEL_UNAVAILABLE, `The ranking model ${file} cannot be read (${String(cause)}). Run npm run train to rebuild it.`, { cause });
  }
  return parseRankingModel(JSON.parse(text), file);
}
