/**
 * Training examples, computed by the engine's own code: candidates and their features come from
 * `gatherCandidates` and `candidateFeatures` (what answering uses), answerability features from a
 * full `searchStory`. Nothing here recomputes a feature.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { StoryIndex } from '../../src/index/story-index.js';
import { gatherCandidates } from '../../src/search/candidates.js';
import { normalizeForMatch, parseQuestions } from '../../src/search/evaluate.js';
import { candidateFeatures } from '../../src/search/features.js';
import { partsOf } from '../../src/search/paragraphs.js';
import { type SearchTools, searchStory } from '../../src/search/search.js';

export interface AskedQuestion {
  q: string;
  /** Answer spans; null when the corpus does not answer it. */
  expect: readonly string[] | null;
}

/** One question's candidates: raw feature rows and which of them hold an answer. */
export interface RankingExample {
  rows: Float64Array[];
  answers: boolean[];
}

export interface AnswerabilityExample {
  features: Float64Array;
  answerable: boolean;
}

function holdsAnswer(text: string, answers: readonly string[]): boolean {
  const haystack = normalizeForMatch(text);
  return answers.some((answer) => haystack.includes(normalizeForMatch(answer)));
}

/** Ranking examples for the answerable questions whose answer is among the candidates (the others teach ranking nothing). */
export async function rankingExamples(index: StoryIndex, tools: SearchTools, questions: readonly AskedQuestion[], onEach?: () => void): Promise<{ examples: RankingExample[]; unreachable: number }> {
  const examples: RankingExample[] = [];
  let unreachable = 0;
  for (const { q, expect } of questions) {
    if (expect === null) continue;
    const set = await gatherCandidates(index, tools.embedder, q, { englishWords: tools.outside.englishWords });
    // Readers get the whole paragraph (paragraphs.ts), so every part of an answering paragraph answers.
    const answers = set.candidates.map((c) => holdsAnswer(partsOf(index.passages, c).map((part) => part.text).join(' '), expect));
    if (answers.some(Boolean)) examples.push({ rows: candidateFeatures(set), answers });
    else unreachable += 1;
    onEach?.();
  }
  return { examples, unreachable };
}

/** The answerability model's inputs for each question, as a search with `tools.model`'s ranker computes them. */
export async function answerabilityExamples(index: StoryIndex, tools: SearchTools, questions: readonly AskedQuestion[], onEach?: () => void): Promise<AnswerabilityExample[]> {
  const examples: AnswerabilityExample[] = [];
  for (const { q, expect } of questions) {
    const result = await searchStory(index, tools, q);
    examples.push({ features: result.answerability.features, answerable: expect !== null });
    onEach?.();
  }
  return examples;
}

export interface NewsStory {
  name: string;
  corpusDir: string;
  questions: AskedQuestion[];
}

async function storyOf(name: string, corpusDir: string, questionsFile: string): Promise<NewsStory> {
  return { name, corpusDir, questions: parseQuestions(await readFile(questionsFile, 'utf8')) };
}

/**
 * The news-shaped stories of our own the models learn from, beside SQuAD: the stories written for
 * training (`<dir>/<story>/corpus/` and `questions.jsonl` each), the dev set about the seed article
 * and the held-out corpus (the sets the hand-set weights were once tuned on). The blind validation
 * set and the news test stories stay out.
 */
export async function loadNewsStories(dir: string): Promise<NewsStory[]> {
  const names = (await readdir(dir, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  return Promise.all([
    ...names.map((name) => storyOf(name, join(dir, name, 'corpus'), join(dir, name, 'questions.jsonl'))),
    storyOf('seed-dev', 'tests/fixtures/seed/corpus', 'tests/fixtures/questions.jsonl'),
    storyOf('heldout', 'tests/fixtures/heldout/corpus', 'tests/fixtures/heldout/questions.jsonl'),
  ]);
}
