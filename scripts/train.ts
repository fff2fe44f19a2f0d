/**
 * `npm run train [-- options]`: rebuilds the ranking model (src/search/model/ranking-model.json)
 * from the data folder, deterministically: the same data, seed and code give the same bytes.
 *
 * 1. Corpora of three shapes (one article, a few related, many) over the recorded split's
 *    training and validation articles, plus the news stories written for training.
 * 2. Ranking examples: each answerable question's candidates and their features, computed by the
 *    engine's own code. Three model families are fitted on training and compared on validation;
 *    the best is kept.
 * 3. Answerability examples: every question (answerable, near misses from neighbouring articles,
 *    everyday questions) searched with the chosen ranker. A logistic model is fitted on training;
 *    its threshold is set on validation so that almost no answerable question is declined.
 *
 * Options: --data DIR, --news DIR, --out FILE, --work DIR (built corpora and vectors, reused
 * between runs), --questions N (per article), --seed S, --slice N (only the first N training
 * articles and half as many validation ones: a quick run for tests).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import dotenv from 'dotenv';
import { openEngine } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { seededRandom, shuffled } from '../src/evaluation/random.js';
import { DEFAULT_DATA_DIR, loadSplit, loadStoryData } from '../src/evaluation/squad-data.js';
import { CorpusIndexes, type StoryCorpus, articleNeighbours, planCorpora } from '../src/evaluation/story-corpora.js';
import { buildIndex } from '../src/index/build-index.js';
import { closeIndex } from '../src/index/index-store.js';
import type { StoryIndex } from '../src/index/story-index.js';
import { createLogger } from '../src/logger.js';
import { ANSWERABILITY_FEATURES } from '../src/search/answerability.js';
import { FEATURE_NAMES } from '../src/search/features.js';
import { RANKING_MODEL_FILE, type RankingModel, type Scorer, parseRankingModel } from '../src/search/ranker.js';
import type { SearchTools } from '../src/search/search.js';
import { type AnswerabilityExample, type AskedQuestion, type RankingExample, answerabilityExamples, loadNewsStories, rankingExamples } from './train/examples.js';
import { type RankingSet, type Standardisation, fitLogistic, fitNeural, fitTrees, hitAt1, scoreSet, standardisation } from './train/fit.js';

const CREDIT = 'Trained on SQuAD v1.1 (Rajpurkar et al., 2016), CC BY-SA 4.0, and on news stories of this project (tests/fixtures: news/train, the seed dev set, the held-out corpus).';
/** A news question counts this many SQuAD questions: news is the product's shape, and its examples are few. */
const NEWS_WEIGHT = 30;
/** At most this share of validation's answerable questions may be declined. */
const MAX_FALSE_DECLINES = 0.02;
const EVERYDAY_QUESTIONS = new URL('./train/everyday-questions.txt', import.meta.url);

const { values: flags } = parseArgs({
  options: {
    data: { type: 'string', default: DEFAULT_DATA_DIR },
    news: { type: 'string', default: 'tests/fixtures/news/train' },
    out: { type: 'string' },
    work: { type: 'string', default: '.cache/train' },
    questions: { type: 'string', default: '24' },
    seed: { type: 'string', default: '1' },
    slice: { type: 'string' },
  },
});
const seed = Number(flags.seed);
const questionsPerArticle = Number(flags.questions);
const slice = flags.slice === undefined ? undefined : Number(flags.slice);
if (!Number.isInteger(seed) || !Number.isInteger(questionsPerArticle) || questionsPerArticle < 1 || (slice !== undefined && !(Number.isInteger(slice) && slice >= 2))) {
  process.stderr.write('usage: npm run train -- [--data DIR] [--news DIR] [--out FILE] [--work DIR] [--questions N] [--seed S] [--slice N ≥ 2]\n');
  process.exit(2);
}
const outFile = flags.out ?? RANKING_MODEL_FILE;
const started = performance.now();
const say = (line: string): void => void process.stderr.write(`${line}\n`);

/** A bar on a terminal, a line per 10% otherwise. */
function progressBar(label: string, total: number): { tick(): void; stop(): void } {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar({ stream: process.stderr, format: `${label} [{bar}] {value}/{total}, {eta}s left`, hideCursor: true }, cliProgress.Presets.shades_classic);
    bar.start(total, 0);
    return { tick: () => bar.increment(), stop: () => bar.stop() };
  }
  let done = 0;
  say(`${label}: ${total}…`);
  return {
    tick: () => {
      done += 1;
      if (done % Math.max(1, Math.ceil(total / 10)) === 0) say(`${label}: ${done}/${total}`);
    },
    stop: () => undefined,
  };
}

/** Rounds every number so the file is stable and readable: 8 significant digits. */
function stableJson(value: unknown): string {
  return `${JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' ? Number(v.toPrecision(8)) : v), 1)}\n`;
}

/**
 * The questions the answerability model learns from: every one the story does not answer, and a
 * third of SQuAD's answerable ones (they are many, alike, and each costs a search).
 */
function answerabilityQuestions(group: Group): AskedQuestion[] {
  let answerable = 0;
  return group.questions.filter((q) => q.expect === null || group.name === 'news' || answerable++ % 3 === 0);
}

interface Group {
  /** "squad/one-article", "news", ... */
  name: string;
  role: 'training' | 'validation';
  weight: number;
  open(): Promise<StoryIndex>;
  questions: AskedQuestion[];
}

function rankingSet(examples: readonly { example: RankingExample; weight: number }[], scaling: Standardisation): RankingSet {
  const width = FEATURE_NAMES.length;
  const rows = examples.reduce((sum, { example }) => sum + example.rows.length, 0);
  const set: RankingSet = { width, x: new Float64Array(rows * width), target: new Float64Array(rows), start: new Uint32Array(examples.length + 1), weight: new Float64Array(examples.length) };
  let r = 0;
  examples.forEach(({ example, weight }, q) => {
    set.start[q] = r;
    set.weight[q] = weight;
    const positives = example.answers.filter(Boolean).length;
    example.rows.forEach((row, k) => {
      for (let f = 0; f < width; f += 1) set.x[r * width + f] = ((row[f] ?? 0) - (scaling.mean[f] ?? 0)) / (scaling.scale[f] || 1);
      set.target[r] = example.answers[k] ? 1 / positives : 0;
      r += 1;
    });
  });
  set.start[examples.length] = r;
  return set;
}

async function main(): Promise<void> {
  dotenv.config({ quiet: true });
  const config = loadConfig({ LOG_LEVEL: 'warn', ...process.env });
  const engine = await openEngine(config, createLogger(config.logLevel));
  const workDir = resolve(flags.work);
  const data = await loadStoryData(flags.data);
  const split = await loadSplit(data);
  const articles = {
    training: slice === undefined ? split.training : split.training.slice(0, slice),
    validation: slice === undefined ? split.validation : split.validation.slice(0, Math.ceil(slice / 2)),
  };
  const indexes = new CorpusIndexes({ data, workDir, embedder: engine.embedder, prefixes: engine.prefixes });
  const news = slice === undefined ? await loadNewsStories(flags.news) : [];
  say(`Embedding ${articles.training.length} training and ${articles.validation.length} validation articles (once; reused by later runs)…`);
  await indexes.prepare([...articles.training, ...articles.validation], (p) => p.phase === 'embedding' && p.total > 0 && p.done === 0 && say(`  ${p.total} passages to embed`));
  const neighbours = articleNeighbours(indexes.vectors);
  const corpora = (role: 'training' | 'validation'): StoryCorpus[] =>
    planCorpora(data, articles[role], neighbours, { seed, questionsPerArticle: role === 'training' ? questionsPerArticle : Math.ceil(questionsPerArticle / 2), fewArticles: slice === undefined ? 4 : 2, manyArticles: slice === undefined ? 50 : slice });
  const groups: Group[] = [
    ...(['training', 'validation'] as const).flatMap((role) =>
      corpora(role).map((corpus): Group => ({ name: `squad/${corpus.shape}`, role, weight: 1, open: () => indexes.open(corpus), questions: corpus.questions })),
    ),
    ...news.map((story): Group => ({
      name: 'news',
      role: 'training',
      weight: NEWS_WEIGHT,
      open: async () => (await buildIndex({ corpusDir: story.corpusDir, indexDir: join(workDir, 'news', story.name), embedder: engine.embedder, prefixes: engine.prefixes })).index,
      questions: story.questions,
    })),
  ];
  const everyday = shuffled((await readFile(EVERYDAY_QUESTIONS, 'utf8')).split('\n').filter((line) => line.trim() !== ''), seededRandom(seed));

  // Ranking examples.
  const ranking: { example: RankingExample; weight: number; group: Group }[] = [];
  let unreachable = 0;
  const askable = groups.reduce((sum, g) => sum + g.questions.filter((q) => q.expect !== null).length, 0);
  const bar = progressBar('Ranking examples (questions)', askable);
  for (const group of groups) {
    const index = await group.open();
    try {
      const found = await rankingExamples(index, { ...engine, model: placeholderModel() }, group.questions, () => bar.tick());
      unreachable += found.unreachable;
      for (const example of found.examples) ranking.push({ example, weight: group.weight, group });
    } finally {
      closeIndex(index);
    }
  }
  bar.stop();

  const training = ranking.filter((r) => r.group.role === 'training');
  const scaling = standardisation(training.flatMap((r) => r.example.rows), FEATURE_NAMES.length);
  const trainingSet = rankingSet(training, scaling);
  const validationByShape = new Map<string, RankingSet>();
  for (const shape of new Set(ranking.filter((r) => r.group.role === 'validation').map((r) => r.group.name))) {
    validationByShape.set(shape, rankingSet(ranking.filter((r) => r.group.role === 'validation' && r.group.name === shape), scaling));
  }
  const validationHits = (scorer: Scorer): Record<string, number> => Object.fromEntries([...validationByShape].map(([shape, set]) => [shape, hitAt1(set, scoreSet(scorer, set))]));
  const meanHit = (hits: Record<string, number>): number => Object.values(hits).reduce((a, b) => a + b, 0) / Math.max(1, Object.values(hits).length);

  say(`Fitting rankers on ${training.length} questions (${trainingSet.target.length} candidates, ${FEATURE_NAMES.length} features)…`);
  const families: Record<string, { scorer: Scorer; validation: Record<string, number>; seconds: number }> = {};
  const fit = (name: string, make: () => Scorer): void => {
    const t0 = performance.now();
    const scorer = make();
    families[name] = { scorer, validation: validationHits(scorer), seconds: (performance.now() - t0) / 1000 };
    say(`  ${name}: validation hit@1 ${JSON.stringify(families[name]?.validation, (_k, v: unknown) => (typeof v === 'number' ? Number(v.toFixed(3)) : v))}`);
  };
  fit('linear', () => fitNeural(trainingSet, { seed, epochs: 8, batch: 64, rate: 0.01, l2: 1e-4, hidden: 0 }));
  fit('mlp', () => fitNeural(trainingSet, { seed, epochs: 12, batch: 64, rate: 0.005, l2: 1e-4, hidden: 16 }));
  fit('trees', () => {
    // As many rounds as validation keeps improving on: boosting past that point only memorises.
    const shapes = [...validationByShape.values()];
    let best = { rounds: 0, hit: -1 };
    const all = fitTrees(trainingSet, {
      rounds: slice === undefined ? 300 : 20,
      depth: 4,
      rate: 0.1,
      lambda: 1,
      minLeafHessian: 1,
      every: 10,
      validation: shapes,
      onRound: (rounds, scores) => {
        const hit = shapes.reduce((sum, set, v) => sum + hitAt1(set, scores[v] as Float64Array), 0) / Math.max(1, shapes.length);
        if (hit > best.hit) best = { rounds, hit };
      },
    });
    return all.family === 'trees' && best.rounds > 0 ? { family: 'trees', trees: all.trees.slice(0, best.rounds) } : all;
  });
  const [chosen] = Object.entries(families).sort(([, a], [, b]) => meanHit(b.validation) - meanHit(a.validation));
  if (!chosen) throw new Error('no model was fitted');
  const [family, { scorer }] = chosen;
  say(`Chosen: ${family}.`);

  // Answerability examples, searched with the chosen ranker.
  const ranker: RankingModel['ranker'] = { features: [...FEATURE_NAMES], ...scaling, scorer };
  const withRanker: SearchTools = { ...engine, model: { ...placeholderModel(), ranker } };
  const everydayFor = (role: 'training' | 'validation'): string[] => (role === 'training' ? everyday.slice(0, Math.floor((everyday.length * 2) / 3)) : everyday.slice(Math.floor((everyday.length * 2) / 3)));
  const random = seededRandom(seed + 1);
  const answerability: { example: AnswerabilityExample; role: 'training' | 'validation'; weight: number }[] = [];
  const bar2 = progressBar('Answerability examples (questions)', groups.reduce((sum, g) => sum + answerabilityQuestions(g).length + 2, 0));
  for (const group of groups) {
    const index = await group.open();
    try {
      const pool = everydayFor(group.role);
      const offTopic = [0, 1].map(() => ({ q: pool[Math.floor(random() * pool.length)] ?? '', expect: null }));
      for (const example of await answerabilityExamples(index, withRanker, [...answerabilityQuestions(group), ...offTopic], () => bar2.tick())) answerability.push({ example, role: group.role, weight: group.weight });
    } finally {
      closeIndex(index);
    }
  }
  bar2.stop();
  const answerTraining = answerability.filter((a) => a.role === 'training');
  const answerScaling = standardisation(answerTraining.map((a) => a.example.features), ANSWERABILITY_FEATURES.length);
  const standardise = (row: Float64Array): Float64Array => row.map((v, f) => (v - (answerScaling.mean[f] ?? 0)) / (answerScaling.scale[f] || 1));
  // Each class counts as much as the other, whatever their numbers.
  const classWeight = (answerable: boolean): number => answerTraining.length / (2 * Math.max(1, answerTraining.filter((a) => a.example.answerable === answerable).length));
  const logistic = fitLogistic(
    answerTraining.map((a) => standardise(a.example.features)),
    answerTraining.map((a) => (a.example.answerable ? 1 : 0)),
    answerTraining.map((a) => a.weight * classWeight(a.example.answerable)),
    { epochs: 400, rate: 0.05, l2: 1e-3 },
  );
  const model: RankingModel = { ...placeholderModel(), ranker, answerability: { features: [...ANSWERABILITY_FEATURES], ...answerScaling, ...logistic, threshold: 0 } };
  const probability = (row: Float64Array): number => 1 / (1 + Math.exp(-logistic.weights.reduce((sum, w, f) => sum + w * (standardise(row)[f] ?? 0), logistic.bias)));
  const validationAnswers = answerability.filter((a) => a.role === 'validation');
  const answerableScores = validationAnswers.filter((a) => a.example.answerable).map((a) => probability(a.example.features)).sort((a, b) => a - b);
  const threshold = answerableScores[Math.floor(answerableScores.length * MAX_FALSE_DECLINES)] ?? 0.5;
  const outOfScope = validationAnswers.filter((a) => !a.example.answerable);
  const declinedShare = outOfScope.filter((a) => probability(a.example.features) < threshold).length / Math.max(1, outOfScope.length);
  const falseDeclines = answerableScores.filter((p) => p < threshold).length / Math.max(1, answerableScores.length);

  const final: RankingModel = {
    ...model,
    answerability: { ...model.answerability, threshold },
    training: {
      data: `${data.dir} (SQuAD v1.1 train as story corpora), split by article in src/evaluation/squad-split.json`,
      articles: { training: articles.training.length, validation: articles.validation.length },
      newsStories: news.map((story) => story.name),
      seed,
      questionsPerArticle,
      rankingExamples: { training: training.length, validation: ranking.length - training.length, answerNotAmongCandidates: unreachable },
      families: Object.fromEntries(Object.entries(families).map(([name, f]) => [name, f.validation])),
      chosen: family,
      answerabilityExamples: { training: answerTraining.length, validation: validationAnswers.length },
      answerabilityValidation: { outOfScopeDeclined: declinedShare, answerableDeclined: falseDeclines },
    },
  };
  parseRankingModel(JSON.parse(stableJson(final)), outFile);
  await mkdir(dirname(outFile), { recursive: true });
  await writeFile(outFile, stableJson(final));
  indexes.close();
  await engine.embedder.dispose();

  const seconds = (performance.now() - started) / 1000;
  say('');
  say(`Wrote ${outFile}`);
  say(`  examples: ${training.length} training / ${ranking.length - training.length} validation questions for ranking (${unreachable} without their answer among the candidates), ${answerTraining.length} / ${validationAnswers.length} for answerability`);
  say(`  features: ${FEATURE_NAMES.length} ranking, ${ANSWERABILITY_FEATURES.length} answerability`);
  for (const [name, f] of Object.entries(families)) say(`  ${name.padEnd(7)} validation hit@1 (candidates) ${Object.entries(f.validation).map(([shape, hit]) => `${shape} ${hit.toFixed(3)}`).join(', ')}  (${f.seconds.toFixed(1)} s)${name === family ? '  ← chosen' : ''}`);
  say(`  answerability: threshold ${threshold.toFixed(3)}; validation out-of-scope declined ${declinedShare.toFixed(3)}, answerable declined ${falseDeclines.toFixed(3)}`);
  say(`  ${seconds.toFixed(0)} s`);
}

/** A model that ranks by nothing and declines nothing: what examples are gathered with before any model exists. */
function placeholderModel(): RankingModel {
  const zeros = (n: number): number[] => new Array<number>(n).fill(0);
  return {
    format: 1,
    credit: CREDIT,
    ranker: { features: [...FEATURE_NAMES], mean: zeros(FEATURE_NAMES.length), scale: zeros(FEATURE_NAMES.length).map(() => 1), scorer: { family: 'linear', weights: zeros(FEATURE_NAMES.length), bias: 0 } },
    answerability: { features: [...ANSWERABILITY_FEATURES], mean: zeros(ANSWERABILITY_FEATURES.length), scale: zeros(ANSWERABILITY_FEATURES.length).map(() => 1), weights: zeros(ANSWERABILITY_FEATURES.length), bias: 0, threshold: 0 },
    training: {},
  };
}

await main();
