/**
 * @module many-stories: the bot as a public bot holds it: the operator's large story plus many small
 * server stories, through the app itself (open on first question, least recently used released
 * beyond INDEX_MEMORY_MB). Each server story is a slice of the operator's synthetic passages, so its
 * build reuses their vectors instead of embedding 50,000 passages again.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type App, createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Embedder } from '../../src/embeddings/embedder.js';
import { buildIndex } from '../../src/index/build-index.js';
import type { StoryIndex } from '../../src/index/story-index.js';
import { createLogger } from '../../src/logger.js';
import type { SearchResult } from '../../src/search/search.js';
import { type Story, serverStory } from '../../src/stories/story.js';
import type { StoryApp } from '../../src/story-app.js';
import { percentile, round, timed } from './stats.js';

export interface ManyStoriesSetup {
  benchDir: string;
  modelCacheDir: string;
  /** The operator's story: its folders, its loaded index (whose vectors the small stories reuse) and its passages. */
  operator: { corpusDir: string; indexDir: string; index: StoryIndex; passages: readonly string[] };
  embedder: Embedder;
  stories: number;
  passagesPerStory: number;
  budgetMb: number;
  questions: readonly string[];
  /** Renders an answer as the bot would (the same work an answer costs besides the search). */
  render: (result: SearchResult, story: StoryApp) => void;
  progress: (message: string) => void;
}

/** Ten stories a server, as MAX_STORIES_PER_SERVER allows by default. */
const STORIES_PER_SERVER = 10;
const FIRST_SERVER = 200_000_000_000_000_000n;

function storyAt(dataDir: string, k: number): Story {
  return serverStory(dataDir, String(FIRST_SERVER + BigInt(Math.floor(k / STORIES_PER_SERVER))), `story-${k % STORIES_PER_SERVER}`);
}

/** Writes and indexes the stories not built by an earlier run; returns how many it built and the seconds it took. */
async function buildStories(setup: ManyStoriesSetup, dataDir: string): Promise<{ built: number; seconds: number }> {
  const { operator, passagesPerStory } = setup;
  const started = performance.now();
  let built = 0;
  for (let k = 0; k < setup.stories; k += 1) {
    const story = storyAt(dataDir, k);
    if (existsSync(join(story.indexDir, 'CURRENT'))) continue;
    // A different window of the operator's passages each, wrapping around.
    const start = (k * 37) % (operator.passages.length - passagesPerStory);
    await mkdir(story.corpusDir, { recursive: true });
    await writeFile(join(story.corpusDir, 'article.md'), `---\ntitle: Story ${k}\n---\n\n${operator.passages.slice(start, start + passagesPerStory).join('\n\n')}\n`);
    await buildIndex({ corpusDir: story.corpusDir, indexDir: story.indexDir, embedder: setup.embedder, prefixes: { queryPrefix: '', passagePrefix: '' }, previous: operator.index });
    built += 1;
    if (built % 100 === 0) setup.progress(`  ${built} stories built…`);
  }
  const seconds = (performance.now() - started) / 1000;
  setup.progress(`  ${built} stories built in ${round(seconds, 1)} s, ${setup.stories - built} saved by an earlier run`);
  return { built, seconds };
}

/** Answer times (search and render) of `questions` asked of one story. */
async function answerTimes(story: StoryApp, questions: readonly string[], render: ManyStoriesSetup['render']): Promise<number[]> {
  const times: number[] = [];
  for (const question of questions) {
    const { ms } = await timed(async () => render(await story.ask(question), story));
    times.push(ms);
  }
  return times;
}

/** The first question of a story not in memory: open (load its index from disk) and answer. */
async function firstQuestion(app: App, story: Story, question: string, render: ManyStoriesSetup['render']): Promise<number> {
  const { ms } = await timed(() => app.using(story, async (opened) => render(await opened.ask(question), opened)));
  return ms;
}

const megabytes = (bytes: number): number => round(bytes / 2 ** 20, 1);

/**
 * The app over the operator's story and the server stories in `dataDir`, with this budget for
 * loaded indexes. Not trusting the index, as `npm start` runs: opening a story then also checks
 * that its corpus did not change since the build, which is part of a first question's cost there.
 */
function openApp(setup: ManyStoriesSetup, dataDir: string, budgetMb: number): Promise<App> {
  const config = loadConfig({
    CORPUS_DIR: setup.operator.corpusDir,
    INDEX_DIR: setup.operator.indexDir,
    DATA_DIR: dataDir,
    MODEL_CACHE_DIR: setup.modelCacheDir,
    INDEX_MEMORY_MB: String(budgetMb),
  });
  return createApp(config, { logger: createLogger('silent'), trustIndex: false });
}

/** The first question of every story, in order (none of them loaded before). */
async function askEveryStory(setup: ManyStoriesSetup, app: App, dataDir: string): Promise<number[]> {
  const times: number[] = [];
  for (let k = 0; k < setup.stories; k += 1) {
    times.push(await firstQuestion(app, storyAt(dataDir, k), setup.questions[k % setup.questions.length] ?? '', setup.render));
    if ((k + 1) % 100 === 0) setup.progress(`    ${k + 1} of ${setup.stories} asked, ${app.residentStories().count} loaded…`);
  }
  return times;
}

/** Budget small enough that most stories are released as the others are asked. */
const EVICTING_BUDGET_MB = 16;
/** Questions answered before any is timed. */
const WARM_UP_QUESTIONS = 50;
/** Released stories asked again. */
const ASKED_AGAIN = 100;

export interface Latency {
  p50: number;
  p99: number;
}

const latency = (times: readonly number[]): Latency => ({ p50: round(percentile(times, 50)), p99: round(percentile(times, 99)) });

/** Loaded stories and memory at one moment, in MB. */
export interface Residency {
  /** Loaded stories, the operator's included. */
  loaded: number;
  /** What the app counts against the budget (servers' stories only). */
  indexMb: number;
  rssMb: number;
}

export interface ManyStories {
  stories: number;
  passagesPerStory: number;
  operatorPassages: number;
  budgetMb: number;
  built: number;
  buildSeconds: number;
  /** The operator's story answering before any server story was opened. */
  operatorAlone: Latency;
  /** Process RSS then: the operator's story loaded and asked, no server story yet. */
  baseRssMb: number;
  /** The first question of each story, none loaded before, under `budgetMb`. */
  firstQuestion: Latency;
  /** Right after every story was asked once, under `budgetMb`. */
  afterEveryStory: Residency;
  /** A server story already loaded, after that. */
  resident: Latency;
  /** The operator's story, after that. */
  operatorAmongStories: Latency;
  evicting: {
    budgetMb: number;
    /** After every story was asked once under this budget. */
    afterEveryStory: Residency;
    released: number;
    /** The first question again of stories released to keep this budget. */
    firstQuestion: Latency;
    askedAgain: number;
  };
}

type BudgetRun = Pick<ManyStories, 'operatorAlone' | 'baseRssMb' | 'firstQuestion' | 'afterEveryStory' | 'resident' | 'operatorAmongStories'>;

function residency(app: App): Residency {
  const { count, bytes } = app.residentStories();
  return { loaded: count, indexMb: megabytes(bytes), rssMb: megabytes(process.memoryUsage.rss()) };
}

/** Whether the process stayed within the memory it may grow by: the base plus the budget. */
const withinBudget = (m: ManyStories): boolean => m.afterEveryStory.rssMb <= m.baseRssMb + m.budgetMb;

/**
 * Every story asked once under `budgetMb` (memory before and after), then answer times on a loaded
 * story and on the operator's; the operator's story is opened first, as the bot's is.
 */
async function measureWithBudget(setup: ManyStoriesSetup, dataDir: string): Promise<BudgetRun> {
  const { questions, render, progress } = setup;
  const app = await openApp(setup, dataDir, setup.budgetMb);
  try {
    const operator = await app.operatorStory();
    // A bot that has answered for a while: the first questions of a process also compile its code.
    await answerTimes(operator, questions.slice(0, WARM_UP_QUESTIONS), render);
    const operatorAlone = latency(await answerTimes(operator, questions, render));
    const baseRssMb = megabytes(process.memoryUsage.rss());
    progress(`  the first question of each of the ${setup.stories} stories (budget ${setup.budgetMb} MB, base RSS ${baseRssMb} MB)…`);
    const firstQuestion = latency(await askEveryStory(setup, app, dataDir));
    const afterEveryStory = residency(app);
    progress(`  RSS ${afterEveryStory.rssMb} MB (base + budget: ${round(baseRssMb + setup.budgetMb, 1)} MB), ${afterEveryStory.loaded} stories loaded, counted ${afterEveryStory.indexMb} MB`);
    progress('  answers on a loaded story and on the operator story…');
    const resident = latency(await app.using(storyAt(dataDir, setup.stories - 1), (loaded) => answerTimes(loaded, questions, render)));
    const operatorAmongStories = latency(await answerTimes(operator, questions, render));
    return { operatorAlone, baseRssMb, firstQuestion, afterEveryStory, resident, operatorAmongStories };
  } finally {
    await app.close();
  }
}

/** Every story asked once under a budget that releases most of them, then the released asked again. */
async function measureEvicted(setup: ManyStoriesSetup, dataDir: string): Promise<ManyStories['evicting']> {
  setup.progress(`  with a ${EVICTING_BUDGET_MB} MB budget: every story asked, then up to ${ASKED_AGAIN} of those released asked again…`);
  const app = await openApp(setup, dataDir, EVICTING_BUDGET_MB);
  try {
    await app.operatorStory();
    await askEveryStory(setup, app, dataDir);
    const afterEveryStory = residency(app);
    const released = setup.stories + 1 - afterEveryStory.loaded;
    // Released least recently used first: the first stories asked are the released ones.
    const askedAgain = Math.min(released, ASKED_AGAIN);
    const times: number[] = [];
    for (let k = 0; k < askedAgain; k += 1) times.push(await firstQuestion(app, storyAt(dataDir, k), setup.questions[k] ?? '', setup.render));
    return { budgetMb: EVICTING_BUDGET_MB, afterEveryStory, released, firstQuestion: latency(times), askedAgain };
  } finally {
    await app.close();
  }
}

export async function measureManyStories(setup: ManyStoriesSetup): Promise<ManyStories> {
  const dataDir = join(setup.benchDir, `stories-${setup.stories}`, 'data');
  setup.progress(`${setup.stories} stories of ${setup.passagesPerStory} passages beside the ${setup.operator.passages.length}-passage operator story…`);
  const building = await buildStories(setup, dataDir);
  const withBudget = await measureWithBudget(setup, dataDir);
  const evicting = await measureEvicted(setup, dataDir);
  return {
    stories: setup.stories,
    passagesPerStory: setup.passagesPerStory,
    operatorPassages: setup.operator.passages.length,
    budgetMb: setup.budgetMb,
    built: building.built,
    buildSeconds: round(building.seconds, 1),
    ...withBudget,
    evicting,
  };
}

/** The figures for bench/results.json; `operatorSize` names the operator's story's size ("10k"). */
export function manyStoriesFigures(m: ManyStories, operatorSize: string): Record<string, number> {
  const n = `stories_${m.stories}`;
  const budget = `budget_${m.budgetMb}`;
  return {
    [`${n}_built`]: m.built,
    [`${n}_build_s`]: m.buildSeconds,
    [`${n}_resident_p50_ms`]: m.resident.p50,
    [`${n}_resident_p99_ms`]: m.resident.p99,
    [`stories_operator_${operatorSize}_alone_p50_ms`]: m.operatorAlone.p50,
    [`stories_operator_${operatorSize}_alone_p99_ms`]: m.operatorAlone.p99,
    [`${n}_operator_${operatorSize}_p50_ms`]: m.operatorAmongStories.p50,
    [`${n}_operator_${operatorSize}_p99_ms`]: m.operatorAmongStories.p99,
    [`${n}_first_question_ms_p50`]: m.firstQuestion.p50,
    [`${n}_first_question_ms_p99`]: m.firstQuestion.p99,
    // None released (a smoke run's few stories fit even the smallest budget): no time to report.
    ...(m.evicting.askedAgain > 0 ? { stories_evicted_first_question_ms_p50: m.evicting.firstQuestion.p50, stories_evicted_first_question_ms_p99: m.evicting.firstQuestion.p99 } : {}),
    stories_evicting_budget_mb: m.evicting.budgetMb,
    stories_evicting_loaded: m.evicting.afterEveryStory.loaded,
    stories_evicting_index_mb: m.evicting.afterEveryStory.indexMb,
    stories_rss_base_mb: m.baseRssMb,
    [`stories_rss_mb_${budget}`]: m.afterEveryStory.rssMb,
    [`stories_rss_within_${budget}`]: withinBudget(m) ? 1 : 0,
    [`stories_loaded_${budget}`]: m.afterEveryStory.loaded,
    [`stories_index_mb_${budget}`]: m.afterEveryStory.indexMb,
  };
}

/** The report's lines. */
export function manyStoriesReport(m: ManyStories): string[] {
  const after = m.afterEveryStory;
  const grown = round(after.rssMb - m.baseRssMb, 1);
  const row = (what: string, l: Latency): string => `| ${what} | ${l.p50} | ${l.p99} |`;
  return [
    '## Many stories',
    '',
    `${m.stories} server stories of ${m.passagesPerStory} passages (10 a server) beside the operator's story of ${m.operatorPassages} passages, through the app as \`npm start\` runs it, INDEX_MEMORY_MB=${m.budgetMb}. ${
      m.built === 0 ? 'The small stories were saved by an earlier run.' : `Building ${m.built} small stories (their vectors reused from the operator's): ${m.buildSeconds} s.`
    }`,
    '',
    '| figure | p50 ms | p99 ms |',
    '|---|---|---|',
    row('answer, a loaded server story', m.resident),
    row("answer, the operator's story, alone (same run, before the others)", m.operatorAlone),
    row(`answer, the operator's story, after the ${m.stories} others were asked`, m.operatorAmongStories),
    row(`first question of a story not in memory (open: load from disk, check the corpus; answer), each of the ${m.stories}`, m.firstQuestion),
    m.evicting.askedAgain > 0
      ? row(`first question again of a story released to keep a ${m.evicting.budgetMb} MB budget (${m.evicting.askedAgain} of the ${m.evicting.released} released)`, m.evicting.firstQuestion)
      : `| first question again of a released story: none released, all fit a ${m.evicting.budgetMb} MB budget | | |`,
    '',
    `Memory (INDEX_MEMORY_MB=${m.budgetMb}): resident memory of the process ${m.baseRssMb} MB with the operator's story alone, ${after.rssMb} MB after every story was asked once (${grown} MB more, ${
      withinBudget(m) ? 'within' : '**over**'
    } the ${m.budgetMb} MB budget); ${after.loaded} stories loaded, their indexes counted at ${after.indexMb} MB. With a ${m.evicting.budgetMb} MB budget, ${m.evicting.afterEveryStory.loaded} stories stayed loaded, counted at ${m.evicting.afterEveryStory.indexMb} MB.`,
    '',
  ];
}
