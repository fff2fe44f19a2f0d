/**
 * Fitting the ranking and answerability models. The neural ranker families (linear, a small MLP)
 * share one listwise loss: the softmax over a question's candidates against the answering
 * candidates (ListNet with one relevant group), so each learns to put an answering passage above
 * every other candidate of the same question. (LambdaMART is XGBoost's, in lambdamart.ts.)
 * Everything is seeded, so the same examples give the same model.
 */
import { seededRandom, shuffled } from '../../src/evaluation/random.js';
import { type Scorer, scoreRow } from '../../src/search/ranker.js';

/** Candidates of many questions, standardised, in one flat matrix. */
export interface RankingSet {
  width: number;
  /** rows × width, standardised. */
  x: Float64Array;
  /** Per row: its share of its question's answering candidates (sums to 1 per question). */
  target: Float64Array;
  /** Question q's rows are [start[q], start[q + 1]). */
  start: Uint32Array;
  /** Per question: how much it counts. */
  weight: Float64Array;
}

export interface Standardisation {
  mean: number[];
  scale: number[];
}

export function standardisation(rows: Iterable<ArrayLike<number>>, width: number): Standardisation {
  const sum = new Float64Array(width);
  const squares = new Float64Array(width);
  let count = 0;
  for (const row of rows) {
    count += 1;
    for (let f = 0; f < width; f += 1) {
      const v = row[f] ?? 0;
      sum[f] = (sum[f] ?? 0) + v;
      squares[f] = (squares[f] ?? 0) + v * v;
    }
  }
  const mean = Array.from(sum, (s) => s / Math.max(1, count));
  const scale = Array.from(squares, (s, f) => Math.sqrt(Math.max(0, s / Math.max(1, count) - (mean[f] ?? 0) ** 2)) || 1);
  return { mean, scale };
}

/** Scores of every row of `set` under `scorer`. */
export function scoreSet(scorer: Scorer, set: RankingSet): Float64Array {
  const rows = set.target.length;
  const scores = new Float64Array(rows);
  for (let r = 0; r < rows; r += 1) scores[r] = scoreRow(scorer, set.x.subarray(r * set.width, (r + 1) * set.width));
  return scores;
}

/** Softmax of each question's scores minus its targets: the listwise loss's gradient per row. */
function listwiseGradient(set: RankingSet, scores: Float64Array, questions: Iterable<number>, gradient: Float64Array): number {
  let loss = 0;
  for (const q of questions) {
    const from = set.start[q] ?? 0;
    const to = set.start[q + 1] ?? 0;
    const weight = set.weight[q] ?? 1;
    let top = -Infinity;
    for (let r = from; r < to; r += 1) top = Math.max(top, scores[r] ?? 0);
    let total = 0;
    for (let r = from; r < to; r += 1) total += Math.exp((scores[r] ?? 0) - top);
    for (let r = from; r < to; r += 1) {
      const p = Math.exp((scores[r] ?? 0) - top) / total;
      const t = set.target[r] ?? 0;
      gradient[r] = weight * (p - t);
      if (t > 0) loss -= weight * t * Math.log(Math.max(p, 1e-12));
    }
  }
  return loss;
}

/** Share of questions whose best-scored candidate answers them. */
export function hitAt1(set: RankingSet, scores: Float64Array): number {
  let hits = 0;
  const questions = set.start.length - 1;
  for (let q = 0; q < questions; q += 1) {
    let best = -1;
    for (let r = set.start[q] ?? 0; r < (set.start[q + 1] ?? 0); r += 1) if (best < 0 || (scores[r] ?? 0) > (scores[best] ?? 0)) best = r;
    if (best >= 0 && (set.target[best] ?? 0) > 0) hits += 1;
  }
  return questions === 0 ? 0 : hits / questions;
}

/** Adam over a flat parameter vector. */
class Adam {
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private t = 0;
  constructor(
    size: number,
    private readonly rate: number,
  ) {
    this.m = new Float64Array(size);
    this.v = new Float64Array(size);
  }
  step(params: Float64Array, grad: Float64Array): void {
    this.t += 1;
    const b1 = 0.9;
    const b2 = 0.999;
    for (let k = 0; k < params.length; k += 1) {
      const g = grad[k] ?? 0;
      this.m[k] = b1 * (this.m[k] ?? 0) + (1 - b1) * g;
      this.v[k] = b2 * (this.v[k] ?? 0) + (1 - b2) * g * g;
      const mHat = (this.m[k] ?? 0) / (1 - b1 ** this.t);
      const vHat = (this.v[k] ?? 0) / (1 - b2 ** this.t);
      params[k] = (params[k] ?? 0) - (this.rate * mHat) / (Math.sqrt(vHat) + 1e-8);
    }
  }
}

export interface NeuralOptions {
  seed: number;
  epochs: number;
  /** Questions per step. */
  batch: number;
  rate: number;
  l2: number;
  /** Hidden units; 0 = linear. */
  hidden: number;
}

/**
 * A linear scorer (hidden = 0) or a one-hidden-layer ReLU network, by minibatch Adam. Parameters:
 * linear → [w (width)]; MLP → [W (hidden × width), b (hidden), v (hidden), c].
 */
export function fitNeural(set: RankingSet, options: NeuralOptions): Scorer {
  const { width } = set;
  const { hidden } = options;
  const random = seededRandom(options.seed);
  const size = hidden === 0 ? width : hidden * width + 2 * hidden + 1;
  const params = new Float64Array(size);
  if (hidden > 0) for (let k = 0; k < hidden * width + hidden * 2; k += 1) params[k] = (random() * 2 - 1) * Math.sqrt(1 / width);
  const scorerOf = (p: Float64Array): Scorer =>
    hidden === 0
      ? { family: 'linear', weights: Array.from(p), bias: 0 }
      : {
          family: 'mlp',
          hidden: Array.from({ length: hidden }, (_, h) => Array.from(p.subarray(h * width, (h + 1) * width))),
          hiddenBias: Array.from(p.subarray(hidden * width, hidden * width + hidden)),
          output: Array.from(p.subarray(hidden * width + hidden, hidden * width + 2 * hidden)),
          outputBias: p[hidden * width + 2 * hidden] ?? 0,
        };
  const adam = new Adam(size, options.rate);
  const rows = set.target.length;
  const scores = new Float64Array(rows);
  const gradient = new Float64Array(rows);
  const activations = new Float64Array(rows * Math.max(1, hidden));
  const grad = new Float64Array(size);
  const questions = Array.from({ length: set.start.length - 1 }, (_, q) => q);
  for (let epoch = 0; epoch < options.epochs; epoch += 1) {
    const order = shuffled(questions, random);
    for (let at = 0; at < order.length; at += options.batch) {
      const batch = order.slice(at, at + options.batch);
      // Forward.
      for (const q of batch) {
        for (let r = set.start[q] ?? 0; r < (set.start[q + 1] ?? 0); r += 1) {
          const x = set.x.subarray(r * width, (r + 1) * width);
          if (hidden === 0) {
            let s = 0;
            for (let f = 0; f < width; f += 1) s += (params[f] ?? 0) * (x[f] ?? 0);
            scores[r] = s;
          } else {
            let s = params[hidden * width + 2 * hidden] ?? 0;
            for (let h = 0; h < hidden; h += 1) {
              let a = params[hidden * width + h] ?? 0;
              for (let f = 0; f < width; f += 1) a += (params[h * width + f] ?? 0) * (x[f] ?? 0);
              const relu = a > 0 ? a : 0;
              activations[r * hidden + h] = relu;
              s += (params[hidden * width + hidden + h] ?? 0) * relu;
            }
            scores[r] = s;
          }
        }
      }
      listwiseGradient(set, scores, batch, gradient);
      // Backward.
      grad.fill(0);
      for (const q of batch) {
        for (let r = set.start[q] ?? 0; r < (set.start[q + 1] ?? 0); r += 1) {
          const g = gradient[r] ?? 0;
          if (g === 0) continue;
          const x = set.x.subarray(r * width, (r + 1) * width);
          if (hidden === 0) {
            for (let f = 0; f < width; f += 1) grad[f] = (grad[f] ?? 0) + g * (x[f] ?? 0);
          } else {
            grad[hidden * width + 2 * hidden] = (grad[hidden * width + 2 * hidden] ?? 0) + g;
            for (let h = 0; h < hidden; h += 1) {
              const relu = activations[r * hidden + h] ?? 0;
              grad[hidden * width + hidden + h] = (grad[hidden * width + hidden + h] ?? 0) + g * relu;
              if (relu <= 0) continue;
              const back = g * (params[hidden * width + hidden + h] ?? 0);
              grad[hidden * width + h] = (grad[hidden * width + h] ?? 0) + back;
              for (let f = 0; f < width; f += 1) grad[h * width + f] = (grad[h * width + f] ?? 0) + back * (x[f] ?? 0);
            }
          }
        }
      }
      let batchWeight = 0;
      for (const q of batch) batchWeight += set.weight[q] ?? 1;
      for (let k = 0; k < size; k += 1) grad[k] = (grad[k] ?? 0) / batchWeight + options.l2 * (params[k] ?? 0);
      adam.step(params, grad);
    }
  }
  return scorerOf(params);
}

export interface LogisticOptions {
  epochs: number;
  rate: number;
  l2: number;
}

/** Weighted logistic regression on standardised rows, by full-batch Adam; returns [weights, bias]. */
export function fitLogistic(x: readonly Float64Array[], y: readonly number[], weights: readonly number[], options: LogisticOptions): { weights: number[]; bias: number } {
  const width = x[0]?.length ?? 0;
  const params = new Float64Array(width + 1);
  const grad = new Float64Array(width + 1);
  const adam = new Adam(width + 1, options.rate);
  const total = weights.reduce((a, b) => a + b, 0) || 1;
  for (let epoch = 0; epoch < options.epochs; epoch += 1) {
    grad.fill(0);
    x.forEach((row, k) => {
      let logit = params[width] ?? 0;
      for (let f = 0; f < width; f += 1) logit += (params[f] ?? 0) * (row[f] ?? 0);
      const error = ((1 / (1 + Math.exp(-logit))) - (y[k] ?? 0)) * (weights[k] ?? 1);
      for (let f = 0; f < width; f += 1) grad[f] = (grad[f] ?? 0) + error * (row[f] ?? 0);
      grad[width] = (grad[width] ?? 0) + error;
    });
    for (let f = 0; f <= width; f += 1) grad[f] = (grad[f] ?? 0) / total + (f < width ? options.l2 * (params[f] ?? 0) : 0);
    adam.step(params, grad);
  }
  return { weights: Array.from(params.subarray(0, width)), bias: params[width] ?? 0 };
}
