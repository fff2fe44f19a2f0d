/**
 * @module ranker: the trained models, as loaded from `model/ranking-model.json` (written by
 * `npm run train`): a scorer that orders a question's candidate passages, one that picks a
 * passage's answering sentence, and a logistic model of whether the story answers the question at
 * all. Only evaluation lives here; fitting is in scripts/train/.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { AppError, ErrorCodes } from '../errors.js';
import { ANSWERABILITY_FEATURES } from './answerability.js';
import { SENTENCE_FEATURES } from './answering-sentence.js';
import { FEATURE_NAMES } from './features.js';
import { shippedFile } from './shipped-file.js';

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
/**
 * XGBoost's trees (LambdaMART) as flat arrays: node n sends a row left when its feature[n] is below
 * threshold[n], or is a leaf worth value[n] when feature[n] is -1.
 */
const tree = z.object({ feature: z.array(z.number().int()), threshold: numbers, left: z.array(z.number().int()), right: z.array(z.number().int()), value: numbers });
const treesScorer = z.object({ family: z.literal('trees'), base: z.number(), trees: z.array(tree) });

/** A scorer of feature rows, which it reads standardised. */
const scoringModel = z.object({ features: z.array(z.string()), mean: numbers, scale: numbers, scorer: z.discriminatedUnion('family', [linearScorer, mlpScorer, treesScorer]) });

const rankingModelFile = z.object({
  format: z.literal(1),
  /** Where the weights came from, as the data's licence asks. */
  credit: z.string(),
  /** Orders a question's candidate passages. */
  ranker: scoringModel,
  /** Picks a passage's answering sentence. */
  sentence: scoringModel,
  answerability: z.object({ features: z.array(z.string()), mean: numbers, scale: numbers, weights: numbers, bias: z.number(), threshold: z.number() }),
  /** How the file was made: data, examples, validation figures. Informational. */
  training: z.record(z.string(), z.unknown()),
});

export type RankingModel = z.infer<typeof rankingModelFile>;
export type ScoringModel = z.infer<typeof scoringModel>;
export type Scorer = ScoringModel['scorer'];
export type Tree = z.infer<typeof tree>;
type TreesScorer = z.infer<typeof treesScorer>;

/** The shipped model, where `npm run train` writes it. */
export const RANKING_MODEL_FILE = shippedFile('ranking-model.json');

function standardised(row: ArrayLike<number>, mean: readonly number[], scale: readonly number[]): Float64Array {
  return Float64Array.from({ length: mean.length }, (_, f) => ((row[f] ?? 0) - (mean[f] ?? 0)) / (scale[f] || 1));
}

/** A trees scorer as typed arrays, every tree's nodes one after another: walked per candidate, so kept tight. */
interface CompiledTrees {
  roots: Int32Array;
  feature: Int32Array;
  left: Int32Array;
  right: Int32Array;
  threshold: Float32Array;
  value: Float32Array;
}

function compile(scorer: TreesScorer): CompiledTrees {
  const size = scorer.trees.reduce((sum, t) => sum + t.feature.length, 0);
  const flat: CompiledTrees = { roots: new Int32Array(scorer.trees.length), feature: new Int32Array(size), left: new Int32Array(size), right: new Int32Array(size), threshold: new Float32Array(size), value: new Float32Array(size) };
  let offset = 0;
  scorer.trees.forEach((t, k) => {
    flat.roots[k] = offset;
    t.feature.forEach((feature, n) => {
      flat.feature[offset + n] = feature;
      flat.left[offset + n] = offset + (t.left[n] ?? 0);
      flat.right[offset + n] = offset + (t.right[n] ?? 0);
      flat.threshold[offset + n] = t.threshold[n] ?? 0;
      flat.value[offset + n] = t.value[n] ?? 0;
    });
    offset += t.feature.length;
  });
  return flat;
}

const compiled = new WeakMap<TreesScorer, CompiledTrees>();
function compiledTrees(scorer: TreesScorer): CompiledTrees {
  let flat = compiled.get(scorer);
  if (!flat) {
    flat = compile(scorer);
    compiled.set(scorer, flat);
  }
  return flat;
}

/**
 * XGBoost compares and adds in 32-bit floats; doing the same (Float32Array) gives its own scores to
 * the last bit, where 64-bit arithmetic would send a row sitting on a threshold the other way.
 */
function treesScores(scorer: TreesScorer, rows: readonly ArrayLike<number>[]): number[] {
  const { roots, feature, left, right, threshold, value } = compiledTrees(scorer);
  const rows32 = rows.map((x) => Float32Array.from(x));
  const sums = new Float32Array(rows.length).fill(scorer.base);
  // Tree by tree across the rows: one tree's nodes stay in the CPU's cache while every row walks it.
  for (let t = 0; t < roots.length; t += 1) {
    const root = roots[t] as number;
    for (let r = 0; r < rows32.length; r += 1) {
      const row = rows32[r] as Float32Array;
      let node = root;
      for (let f = feature[node] as number; f >= 0; f = feature[node] as number) node = ((row[f] as number) < (threshold[node] as number) ? left[node] : right[node]) as number;
      sums[r] = (sums[r] as number) + (value[node] as number);
    }
  }
  return Array.from(sums);
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
      return treesScores(scorer, [x])[0] as number;
  }
}

export function scoreRows({ mean, scale, scorer }: ScoringModel, rows: readonly Float64Array[]): number[] {
  const x = rows.map((row) => standardised(row, mean, scale));
  return scorer.family === 'trees' ? treesScores(scorer, x) : x.map((row) => scoreRow(scorer, row));
}

/** Index of the best-scored row; the first on ties; -1 for none. */
export function bestRow(model: ScoringModel, rows: readonly Float64Array[]): number {
  let best = -1;
  let bestScore = -Infinity;
  scoreRows(model, rows).forEach((score, k) => {
    if (score > bestScore) {
      best = k;
      bestScore = score;
    }
  });
  return best;
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
  const problem = mismatch('ranking', FEATURE_NAMES, model.ranker.features) ?? mismatch('sentence', SENTENCE_FEATURES, model.sentence.features) ?? mismatch('answerability', ANSWERABILITY_FEATURES, model.answerability.features);
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
