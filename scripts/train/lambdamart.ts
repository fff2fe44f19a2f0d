/**
 * LambdaMART, fitted by XGBoost (Debian's python3-xgboost; lambdamart.py runs it) and turned into
 * the ranking model's `trees` scorer, which the engine walks in TypeScript. Every fit is checked:
 * the walker's scores of the validation rows must equal XGBoost's own.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { z } from 'zod';
import { type Scorer, type Tree, scoreRow } from '../../src/search/ranker.js';
import type { RankingSet } from './fit.js';

const run = promisify(execFile);
/** Debian's interpreter, where Debian's python3-xgboost is installed (a pyenv or venv python earlier on PATH would not see it). */
const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./lambdamart.py', import.meta.url));

export interface LambdaMartOptions {
  /** At most this many trees. */
  rounds: number;
  /** Stop when validation has not improved for this many rounds; keep the best. */
  patience: number;
  rate: number;
  depth: number;
  /** Smallest hessian sum a leaf may hold. */
  minChildWeight: number;
  /** L2 on leaf values. */
  lambda: number;
  /** Share of the rows each tree is grown on, and of the features. */
  subsample: number;
  featureSubsample: number;
  seed: number;
}

export interface LambdaMart {
  scorer: Extract<Scorer, { family: 'trees' }>;
  rounds: number;
  /** Largest difference between XGBoost's score of a validation row and the walker's. */
  maxDifference: number;
}

async function hasXgboost(): Promise<boolean> {
  try {
    await run(PYTHON, ['-c', 'import xgboost']);
    return true;
  } catch {
    return false;
  }
}

/** Installs python3-xgboost from Debian when it is missing (as root, or with sudo that asks no password). */
export async function ensureXgboost(say: (line: string) => void): Promise<void> {
  if (await hasXgboost()) return;
  say('XGBoost is missing: installing Debian’s python3-xgboost (used only by training)…');
  const [command, ...prefix] = process.getuid?.() === 0 ? ['apt-get'] : ['sudo', '-n', 'apt-get'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    await run(command as string, [...prefix, 'update', '-qq'], { env });
    await run(command as string, [...prefix, 'install', '-y', '-qq', '--no-install-recommends', 'python3-xgboost'], { env, maxBuffer: 16 * 1024 * 1024 });
  } catch (cause) {
    throw new Error(`python3-xgboost could not be installed (${String(cause).split('\n')[0]}). Install it with: sudo apt-get install python3-xgboost`, { cause });
  }
  if (!(await hasXgboost())) throw new Error(`python3-xgboost is installed but ${PYTHON} cannot import it.`);
}

async function writeSet(dir: string, name: string, set: RankingSet): Promise<void> {
  const questions = set.start.length - 1;
  await writeFile(join(dir, `${name}.x`), Float32Array.from(set.x));
  await writeFile(join(dir, `${name}.label`), Float32Array.from(set.target, (t) => (t > 0 ? 1 : 0)));
  await writeFile(join(dir, `${name}.group`), Uint32Array.from({ length: questions }, (_, q) => (set.start[q + 1] ?? 0) - (set.start[q] ?? 0)));
  await writeFile(join(dir, `${name}.weight`), Float32Array.from(set.weight));
}

/** The parts of XGBoost's JSON model (save_model) that a tree ensemble of numeric splits needs. */
const xgboostModel = z.object({
  learner: z.object({
    learner_model_param: z.object({ base_score: z.string() }),
    gradient_booster: z.object({
      model: z.object({
        trees: z.array(z.object({ left_children: z.array(z.number().int()), right_children: z.array(z.number().int()), split_indices: z.array(z.number().int()), split_conditions: z.array(z.number()) })),
      }),
    }),
  }),
});

/** XGBoost's tree: a leaf's value is kept in split_conditions. */
function treeOf(t: z.infer<typeof xgboostModel>['learner']['gradient_booster']['model']['trees'][number]): Tree {
  const leaf = (n: number): boolean => (t.left_children[n] ?? -1) < 0;
  return {
    feature: t.left_children.map((_, n) => (leaf(n) ? -1 : (t.split_indices[n] ?? 0))),
    threshold: t.left_children.map((_, n) => (leaf(n) ? 0 : (t.split_conditions[n] ?? 0))),
    left: [...t.left_children],
    right: [...t.right_children],
    value: t.left_children.map((_, n) => (leaf(n) ? (t.split_conditions[n] ?? 0) : 0)),
  };
}

/** Fits LambdaMART (rank:ndcg) on `training`, stopping early on `validation`'s ndcg@1. */
export async function fitLambdaMart(training: RankingSet, validation: RankingSet, options: LambdaMartOptions): Promise<LambdaMart> {
  const dir = await mkdtemp(join(tmpdir(), 'lambdamart-'));
  try {
    await writeSet(dir, 'training', training);
    await writeSet(dir, 'validation', validation);
    const params = {
      width: training.width,
      rounds: options.rounds,
      early_stopping_rounds: options.patience,
      eta: options.rate,
      max_depth: options.depth,
      min_child_weight: options.minChildWeight,
      lambda: options.lambda,
      subsample: options.subsample,
      colsample_bytree: options.featureSubsample,
      seed: options.seed,
      // A fixed thread count: the same data then give the same trees on any machine.
      nthread: 2,
    };
    const { stdout } = await run(PYTHON, [SCRIPT, dir, JSON.stringify(params)], { maxBuffer: 16 * 1024 * 1024 });
    const { rounds } = z.object({ rounds: z.number().int() }).parse(JSON.parse(stdout));
    const model = xgboostModel.parse(JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')));
    const scorer: LambdaMart['scorer'] = { family: 'trees', base: Number(model.learner.learner_model_param.base_score), trees: model.learner.gradient_booster.model.trees.map(treeOf) };
    // Copied into an ArrayBuffer of its own: a Buffer may sit at an unaligned offset of a shared one.
    const margins = new Float32Array(Uint8Array.from(await readFile(join(dir, 'validation.margin'))).buffer);
    if (margins.length !== validation.target.length) throw new Error(`XGBoost scored ${margins.length} validation rows of ${validation.target.length}`);
    let maxDifference = 0;
    for (let r = 0; r < margins.length; r += 1) {
      const mine = scoreRow(scorer, validation.x.subarray(r * validation.width, (r + 1) * validation.width));
      maxDifference = Math.max(maxDifference, Math.abs(mine - (margins[r] ?? 0)));
    }
    return { scorer, rounds, maxDifference };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
