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
  return { built, seconds: (performance.now() - started) / 1000 };
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
  const { ms } = await timed(async () => {
    const opened = await app.open(story);
    render(await opened.ask(question), opened);
  });
  return ms;
}

const megabytes = (bytes: number): number => round(bytes / 2 ** 20, 1);

/** The app over the operator's story and the server stories in `dataDir`, with this budget for loaded indexes. */
function openApp(setup: ManyStoriesSetup, dataDir: string, budgetMb: number): Promise<App> {
  const config = loadConfig({
    CORPUS_DIR: setup.operator.corpusDir,
    INDEX_DIR: setup.operator.indexDir,
    DATA_DIR: dataDir,
    MODEL_CACHE_DIR: setup.modelCacheDir,
    INDEX_MEMORY_MB: String(budgetMb),
  });
  return createApp(config, { logger: createLogger('silent'), trustIndex: true });
}

/** The first question of every story, in order (none of them loaded before). */
async function askEveryStory(setup: ManyStoriesSetup, app: App, dataDir: string): Promise<number[]> {
  const times: number[] = [];
  for (let k = 0; k < setup.stories; k += 1) times.push(await firstQuestion(app, storyAt(dataDir, k), setup.questions[k % setup.questions.length] ?? '', setup.render));
  return times;
}

/** Budget small enough that most stories are released as the others are asked. */
const EVICTING_BUDGET_MB = 16;
/** Released stories asked again. */
const ASKED_AGAIN = 100;

export async function measureManyStories(setup: ManyStoriesSetup): Promise<Record<string, number>> {
  const { questions, render, progress } = setup;
  const dataDir = join(setup.benchDir, `stories-${setup.stories}`, 'data');
  progress(`${setup.stories} stories of ${setup.passagesPerStory} passages beside the ${setup.operator.passages.length}-passage operator story…`);
  const building = await buildStories(setup, dataDir);
  const figures: Record<string, number> = {
    stories_count: setup.stories,
    stories_operator_passages: setup.operator.passages.length,
    stories_built: building.built,
    stories_build_s: round(building.seconds, 1),
    stories_budget_mb: setup.budgetMb,
  };

  const app = await openApp(setup, dataDir, setup.budgetMb);
  try {
    const operator = await app.open(app.operator);
    const operatorAlone = await answerTimes(operator, questions, render);
    const baseRss = process.memoryUsage.rss();
    progress(`  the first question of each of the ${setup.stories} stories (budget ${setup.budgetMb} MB)…`);
    const firstTimes = await askEveryStory(setup, app, dataDir);
    const afterRss = process.memoryUsage.rss();
    const resident = app.residentStories();
    progress('  answers on a loaded story and on the operator story…');
    const residentTimes = await answerTimes(await app.open(storyAt(dataDir, setup.stories - 1)), questions, render);
    const operatorTimes = await answerTimes(operator, questions, render);
    Object.assign(figures, {
      stories_first_question_p50_ms: round(percentile(firstTimes, 50)),
      stories_first_question_p99_ms: round(percentile(firstTimes, 99)),
      stories_resident_p50_ms: round(percentile(residentTimes, 50)),
      stories_resident_p99_ms: round(percentile(residentTimes, 99)),
      stories_operator_alone_p50_ms: round(percentile(operatorAlone, 50)),
      stories_operator_alone_p99_ms: round(percentile(operatorAlone, 99)),
      stories_operator_p50_ms: round(percentile(operatorTimes, 50)),
      stories_operator_p99_ms: round(percentile(operatorTimes, 99)),
      stories_loaded: resident.count,
      stories_resident_index_mb: megabytes(resident.bytes),
      stories_rss_base_mb: megabytes(baseRss),
      stories_rss_mb: megabytes(afterRss),
    });
  } finally {
    await app.close();
  }

  progress(`  with a ${EVICTING_BUDGET_MB} MB budget: every story asked, then ${ASKED_AGAIN} of those released asked again…`);
  const evicting = await openApp(setup, dataDir, EVICTING_BUDGET_MB);
  try {
    await evicting.open(evicting.operator);
    await askEveryStory(setup, evicting, dataDir);
    const released = setup.stories + 1 - evicting.residentStories().count;
    const againTimes: number[] = [];
    for (let k = 0; k < Math.min(released, ASKED_AGAIN); k += 1) againTimes.push(await firstQuestion(evicting, storyAt(dataDir, k), questions[k] ?? '', render));
    Object.assign(figures, {
      stories_evicting_budget_mb: EVICTING_BUDGET_MB,
      stories_evicted: released,
      stories_evicted_first_question_p50_ms: round(percentile(againTimes, 50)),
      stories_evicted_first_question_p99_ms: round(percentile(againTimes, 99)),
    });
  } finally {
    await evicting.close();
  }
  return figures;
}

/** The report's lines for the figures measureManyStories returned. */
export function manyStoriesReport(f: Record<string, number>): string[] {
  return [
    '## Many stories',
    '',
    `${f.stories_count} server stories of 50 passages (10 a server) beside the operator's story of ${f.stories_operator_passages} passages, through the app as the bot runs it, INDEX_MEMORY_MB=${f.stories_budget_mb}. ${
      f.stories_built === 0 ? 'The small stories were saved by an earlier run.' : `Building ${f.stories_built} small stories (their vectors reused from the operator's): ${f.stories_build_s} s.`
    }`,
    '',
    '| figure | p50 ms | p99 ms |',
    '|---|---|---|',
    `| answer, a loaded server story | ${f.stories_resident_p50_ms} | ${f.stories_resident_p99_ms} |`,
    `| answer, the operator's story, alone (same run, before the others) | ${f.stories_operator_alone_p50_ms} | ${f.stories_operator_alone_p99_ms} |`,
    `| answer, the operator's story, after the ${f.stories_count} others were asked | ${f.stories_operator_p50_ms} | ${f.stories_operator_p99_ms} |`,
    `| first question of a story not in memory (load from disk + answer), each of the ${f.stories_count} | ${f.stories_first_question_p50_ms} | ${f.stories_first_question_p99_ms} |`,
    `| first question again of a story released to keep a ${f.stories_evicting_budget_mb} MB budget (${Math.min(f.stories_evicted ?? 0, ASKED_AGAIN)} of the ${f.stories_evicted} released) | ${f.stories_evicted_first_question_p50_ms} | ${f.stories_evicted_first_question_p99_ms} |`,
    '',
    `Memory: ${f.stories_loaded} stories loaded at the end, their indexes ${f.stories_resident_index_mb} MB of the ${f.stories_budget_mb} MB budget; resident memory of the process ${f.stories_rss_base_mb} MB with the operator's story alone, ${f.stories_rss_mb} MB after every story was asked (${round((f.stories_rss_mb ?? 0) - (f.stories_rss_base_mb ?? 0), 1)} MB more).`,
    '',
  ];
}
