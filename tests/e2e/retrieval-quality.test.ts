/**
 * Retrieval quality of the shipped ranking model on the project's own question sets, with the real
 * embedding model and index: the dev set and the blind validation set about the seed article, the
 * held-out corpus written differently, and news stories nobody trained on. The floors are the
 * measured quality minus about one question's worth, so any regression fails.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOperatorStory } from '../support/open-story.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { EVAL_DEPTH, type EvalReport, parseQuestions, report, runQuestions } from '../../src/search/evaluate.js';
import { makeTempDir } from '../support/temp-dir.js';

let scratch: string;
beforeAll(async () => {
  scratch = await makeTempDir('quality');
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

async function evaluate(corpusDir: string, questionsFile: string): Promise<EvalReport> {
  const config = loadConfig({ CORPUS_DIR: corpusDir, INDEX_DIR: join(scratch, corpusDir.replaceAll('/', '_')), MODEL_CACHE_DIR: '.cache/models' });
  const app = await openOperatorStory(config, { logger: createLogger('silent') });
  try {
    const questions = parseQuestions(await readFile(questionsFile, 'utf8'));
    return report(await runQuestions(questions, (question) => app.ask(question, { limit: EVAL_DEPTH })));
  } finally {
    await app.close();
  }
}

/**
 * Floors: the shipped model's measured figures (README, Quality) less about one question's worth.
 * Issue 21's entity tags and related words lowered three of them by one to three questions (dev
 * declines, validation declines, ashford hit@1), for the bold sentence and declines on SQuAD: the
 * README's before → after table has the trade.
 */
const SETS = [
  { set: 'the dev set about the seed article', corpus: 'corpus', questions: 'tests/fixtures/questions.jsonl', hit1: 0.79, hit3: 0.92, declined: 0.77, falseDeclines: 0.11 },
  {
    set: 'the held-out corpus, written differently (encyclopedic, wire, explainer, web debris)',
    corpus: 'tests/fixtures/heldout/corpus',
    questions: 'tests/fixtures/heldout/questions.jsonl',
    hit1: 0.73,
    hit3: 0.94,
    declined: 0.68,
    falseDeclines: 0.04,
  },
  {
    set: 'a validation set about the seed, written by someone who saw neither the other sets nor the engine',
    corpus: 'corpus',
    questions: 'tests/fixtures/validation/questions.jsonl',
    hit1: 0.91,
    hit3: 0.94,
    declined: 0.62,
    falseDeclines: 0.06,
  },
  ...[
    { story: 'ashford-comets-arena-vote', hit1: 0.57, hit3: 0.87 },
    { story: 'lakeshore-regional-ransomware', hit1: 0.68, hit3: 0.91 },
    { story: 'riverbend-festival-salmonella', hit1: 0.69, hit3: 0.83 },
  ].map(({ story, hit1, hit3 }) => ({
    set: `the news story ${story}, written blind and never trained on`,
    corpus: `tests/fixtures/news/test/${story}/corpus`,
    questions: `tests/fixtures/news/test/${story}/questions.jsonl`,
    hit1,
    hit3,
    declined: 0.41,
    falseDeclines: 0.07,
  })),
];

describe('retrieval quality', () => {
  it.each(SETS)('on $set', async ({ corpus, questions, hit1, hit3, declined, falseDeclines }) => {
    const metrics = await evaluate(corpus, questions);
    expect(metrics.hit1).toBeGreaterThanOrEqual(hit1);
    expect(metrics.hit3).toBeGreaterThanOrEqual(hit3);
    expect(metrics.declined_oos).toBeGreaterThanOrEqual(declined);
    expect(metrics.false_declines).toBeLessThanOrEqual(falseDeclines);
  });
});
