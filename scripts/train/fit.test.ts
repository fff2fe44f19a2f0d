import { beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/evaluation/random.js';
import { type RankingSet, fitLogistic, fitNeural, hitAt1, scoreSet } from './fit.js';
import { ensureXgboost, fitLambdaMart } from './lambdamart.js';

/** Questions of 10 candidates each; the answering one is the one `isAnswer` picks from its two features. */
function synthetic(questions: number, seed: number, answerFeature: (random: () => number) => [number, number], otherFeature: (random: () => number) => [number, number]): RankingSet {
  const random = seededRandom(seed);
  const width = 2;
  const candidates = 10;
  const set: RankingSet = { width, x: new Float64Array(questions * candidates * width), target: new Float64Array(questions * candidates), start: new Uint32Array(questions + 1), weight: new Float64Array(questions).fill(1) };
  for (let q = 0; q < questions; q += 1) {
    set.start[q] = q * candidates;
    const answer = Math.floor(random() * candidates);
    for (let c = 0; c < candidates; c += 1) {
      const r = q * candidates + c;
      set.x.set(c === answer ? answerFeature(random) : otherFeature(random), r * width);
      set.target[r] = c === answer ? 1 : 0;
    }
  }
  set.start[questions] = questions * candidates;
  return set;
}

// Answers score higher on feature 0; feature 1 is noise.
const monotone = (random: () => number): [number, number] => [1 + random(), random() * 4 - 2];
const plain = (random: () => number): [number, number] => [random() * 1.5 - 1, random() * 4 - 2];
// Answers sit in a band of feature 0 that others surround: no linear score can find them.
const band = (random: () => number): [number, number] => [random() * 0.4 - 0.2, random() * 4 - 2];
const outside = (random: () => number): [number, number] => [(random() < 0.5 ? -1 : 1) * (0.5 + random() * 1.5), random() * 4 - 2];

const lambdaMart = { rounds: 30, patience: 30, rate: 0.3, depth: 3, minChildWeight: 0.1, lambda: 1, subsample: 1, featureSubsample: 1, seed: 1 };

beforeAll(() => ensureXgboost(() => undefined), 600_000);

describe('ranker fitting', () => {
  const train = synthetic(400, 1, monotone, plain);
  const test = synthetic(200, 2, monotone, plain);

  it.each([
    ['linear', () => fitNeural(train, { seed: 1, epochs: 10, batch: 32, rate: 0.05, l2: 0, hidden: 0 })],
    ['mlp', () => fitNeural(train, { seed: 1, epochs: 10, batch: 32, rate: 0.02, l2: 0, hidden: 8 })],
    ['lambdamart', async () => (await fitLambdaMart(train, synthetic(100, 5, monotone, plain), lambdaMart)).scorer],
  ])('%s learns to rank the answer first on unseen questions', async (_family, fit) => {
    expect(hitAt1(test, scoreSet(await fit(), test))).toBeGreaterThan(0.9);
  });

  it('LambdaMART and the MLP learn a band that a linear score cannot', async () => {
    const bandTrain = synthetic(400, 3, band, outside);
    const bandTest = synthetic(200, 4, band, outside);
    const linear = fitNeural(bandTrain, { seed: 1, epochs: 10, batch: 32, rate: 0.05, l2: 0, hidden: 0 });
    const { scorer: trees } = await fitLambdaMart(bandTrain, synthetic(100, 6, band, outside), lambdaMart);
    const mlp = fitNeural(bandTrain, { seed: 1, epochs: 30, batch: 32, rate: 0.02, l2: 0, hidden: 8 });
    expect(hitAt1(bandTest, scoreSet(linear, bandTest))).toBeLessThan(0.5);
    expect(hitAt1(bandTest, scoreSet(trees, bandTest))).toBeGreaterThan(0.9);
    expect(hitAt1(bandTest, scoreSet(mlp, bandTest))).toBeGreaterThan(0.8);
  });

  it('LambdaMART: the TypeScript walker scores every validation row as XGBoost does, to 1e-6, and boosting stops early', async () => {
    const validation = synthetic(300, 7, band, outside);
    const fitted = await fitLambdaMart(synthetic(400, 3, band, outside), validation, { ...lambdaMart, rounds: 400, patience: 10 });
    expect(fitted.maxDifference).toBeLessThanOrEqual(1e-6);
    expect(fitted.scorer.trees.length).toBe(fitted.rounds);
    expect(fitted.rounds).toBeLessThan(400);
    // Rows on a split's threshold take XGBoost's side (x < threshold goes left), not the other one.
    const onThreshold = { ...validation, x: validation.x.map(() => Math.fround(fitted.scorer.trees[0]?.threshold[0] ?? 0)) };
    expect((await fitLambdaMart(synthetic(400, 3, band, outside), onThreshold, { ...lambdaMart, rounds: fitted.rounds, patience: fitted.rounds })).maxDifference).toBeLessThanOrEqual(1e-6);
  });

  it('is deterministic: the same data and seed give the same model', () => {
    expect(fitNeural(train, { seed: 7, epochs: 2, batch: 32, rate: 0.02, l2: 0, hidden: 4 })).toEqual(fitNeural(train, { seed: 7, epochs: 2, batch: 32, rate: 0.02, l2: 0, hidden: 4 }));
  });
});

describe('fitLogistic', () => {
  it('separates two classes along the feature that tells them apart, weighting examples as told', () => {
    const x = [-2, -1, -0.5, 0.5, 1, 2].map((v) => Float64Array.of(v, 0.3));
    const y = [0, 0, 0, 1, 1, 1];
    const { weights, bias } = fitLogistic(x, y, [1, 1, 1, 1, 1, 1], { epochs: 300, rate: 0.1, l2: 0 });
    expect(weights[0]).toBeGreaterThan(1);
    expect(Math.abs(bias)).toBeLessThan(0.5);
    const skewed = fitLogistic(x, y, [5, 5, 5, 1, 1, 1], { epochs: 300, rate: 0.1, l2: 0 });
    expect(skewed.bias).toBeLessThan(bias);
  });
});
