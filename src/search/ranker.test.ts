import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../errors.js';
import { ANSWERABILITY_FEATURES } from './answerability.js';
import { FEATURE_NAMES } from './features.js';
import { RANKING_MODEL_FILE, answerProbability, loadRankingModel, parseRankingModel, scoreRow, scoreRows } from './ranker.js';

const shipped = (): Record<string, unknown> => JSON.parse(readFileSync(RANKING_MODEL_FILE, 'utf8')) as Record<string, unknown>;

describe('the shipped ranking model', () => {
  it('loads, lists exactly the features the engine computes, and credits its training data', () => {
    const model = loadRankingModel();
    expect(model.ranker.features).toEqual([...FEATURE_NAMES]);
    expect(model.answerability.features).toEqual([...ANSWERABILITY_FEATURES]);
    expect(model.ranker.mean).toHaveLength(FEATURE_NAMES.length);
    expect(model.answerability.weights).toHaveLength(ANSWERABILITY_FEATURES.length);
    expect(model.credit).toMatch(/SQuAD v1\.1 \(Rajpurkar et al\., 2016\), CC BY-SA 4\.0/);
    expect(model.answerability.threshold).toBeGreaterThan(0);
    expect(model.answerability.threshold).toBeLessThan(1);
  });

  it('is refused, with the fix named, when its features differ from the engine’s', () => {
    const model = shipped() as { ranker: { features: string[] } };
    model.ranker.features = [...model.ranker.features.slice(1), 'made_up'];
    let error: unknown;
    try {
      parseRankingModel(model);
    } catch (caught) {
      error = caught;
    }
    expect(isAppError(error)).toBe(true);
    expect(String((error as Error).message)).toMatch(/missing: bm25_relative; unknown: made_up.*npm run train/);
  });

  it('is refused when it is not a model at all', () => {
    expect(() => parseRankingModel({ format: 1 })).toThrow(/not a valid ranking model.*npm run train/);
  });
});

describe('scorers', () => {
  it('score a standardised row as their family defines', () => {
    expect(scoreRow({ family: 'linear', weights: [2, -1], bias: 0.5 }, [1, 3])).toBeCloseTo(-0.5);
    // ReLU hides the second unit's negative activation.
    expect(scoreRow({ family: 'mlp', hidden: [[1, 0], [0, -1]], hiddenBias: [0, 0], output: [2, 5], outputBias: 1 }, [1.5, 2])).toBeCloseTo(4);
    const stump = { feature: [0, -1, -1], threshold: [0.5, 0, 0], left: [1, -1, -1], right: [2, -1, -1], value: [0, -1, 1] };
    expect(scoreRow({ family: 'trees', base: 0.5, trees: [stump, stump] }, [0.2])).toBe(-1.5);
    expect(scoreRow({ family: 'trees', base: 0.5, trees: [stump, stump] }, [0.9])).toBe(2.5);
    // As in XGBoost: a row on the threshold goes right, and the comparison is in 32-bit floats.
    expect(scoreRow({ family: 'trees', base: 0, trees: [stump] }, [0.5])).toBe(1);
    expect(scoreRow({ family: 'trees', base: 0, trees: [{ ...stump, threshold: [0.1, 0, 0] }] }, [0.1 + 1e-12])).toBe(1);
  });

  it('standardise features before scoring, and turn answerability into a probability', () => {
    const model = parseRankingModel(shipped());
    const ranker = { ...model.ranker, mean: model.ranker.mean.map(() => 1), scale: model.ranker.scale.map(() => 2), scorer: { family: 'linear' as const, weights: model.ranker.mean.map((_, f) => (f === 0 ? 1 : 0)), bias: 0 } };
    const row = Float64Array.from(FEATURE_NAMES, (_, f) => (f === 0 ? 5 : 0));
    expect(scoreRows(ranker, [row])[0]).toBeCloseTo(2);
    const answerability = { ...model.answerability, mean: model.answerability.mean.map(() => 0), scale: model.answerability.scale.map(() => 1), weights: model.answerability.weights.map(() => 0), bias: 0 };
    expect(answerProbability({ ...model, answerability }, new Float64Array(ANSWERABILITY_FEATURES.length))).toBeCloseTo(0.5);
  });
});
