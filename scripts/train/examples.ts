/**
 * Training examples, computed by the engine's own code: candidates and their features come from
 * `gatherCandidates` and `candidateFeatures` (what answering uses), answerability features and
 * sentence lists from the same search answering runs. Nothing here recomputes a feature.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { StoryIndex } from '../../src/index/story-index.js';
import { sentenceFeatures } from '../../src/search/answering-sentence.js';
import { type CandidateSet, gatherCandidates } from '../../src/search/candidates.js';
import { boldHoldsAnswer, normalizeForMatch, parseQuestions } from '../../src/search/evaluate.js';
import { candidateFeatures } from '../../src/search/features.js';
import { partsOf } from '../../src/search/paragraphs.js';
import { type SearchResult, type SearchTools, rankCandidates } from '../../src/search/search.js';

export interface AskedQuestion {
  q: string;
  /** Answer spans; null when the corpus does not answer it. */
  expect: readonly string[] | null;
}

/** One question's list to order (its candidates, or its first passage's sentences): raw feature rows and which of them hold an answer. */
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
    const set = await gatherCandidates(index, tools.embedder, q, tools.outside);
    // Readers get the whole paragraph (paragraphs.ts), so every part of an answering paragraph answers.
    const answers = set.candidates.map((c) => holdsAnswer(partsOf(index.passages, c).map((part) => part.text).join(' '), expect));
    if (answers.some(Boolean)) examples.push({ rows: candidateFeatures(set), answers });
    else unreachable += 1;
    onEach?.();
  }
  return { examples, unreachable };
}

/**
 * The sentences of the first passage, as a reader sees them, when it holds the answer: which one
 * should be bold. Only lists where the bold can be right or wrong teach anything: two sentences at
 * least, and the answer in some of them but not all.
 */
function sentenceExample(set: CandidateSet, result: SearchResult, expect: readonly string[]): RankingExample | undefined {
  const first = result.passages[0];
  const candidate = first && set.candidates.find((c) => c.label === first.label);
  if (!first || !candidate || !holdsAnswer(first.passage.text, expect)) return undefined;
  // As `npm run eval` judges the bold sentence.
  const answers = candidate.sentences.map(({ span }) => boldHoldsAnswer(candidate.passage.text.slice(span[0], span[1]), expect));
  if (!answers.some(Boolean) || answers.every(Boolean)) return undefined;
  return { rows: sentenceFeatures(set.question, candidate), answers };
}

/**
 * Each question searched as answering does, with `tools.model`'s ranker: the answerability model's
 * inputs, and for answerable questions the first passage's sentences (for the sentence model).
 */
export async function searchExamples(index: StoryIndex, tools: SearchTools, questions: readonly AskedQuestion[], onEach?: () => void): Promise<{ answerability: AnswerabilityExample[]; sentences: RankingExample[] }> {
  const answerability: AnswerabilityExample[] = [];
  const sentences: RankingExample[] = [];
  for (const { q, expect } of questions) {
    const set = await gatherCandidates(index, tools.embedder, q, tools.outside);
    const result = rankCandidates(index, tools, set);
    answerability.push({ features: result.answerability.features, answerable: expect !== null });
    const sentenceList = expect === null ? undefined : sentenceExample(set, result, expect);
    if (sentenceList) sentences.push(sentenceList);
    onEach?.();
  }
  return { answerability, sentences };
}

export interface NewsStory {
  name: string;
  role: 'training' | 'validation';
  corpusDir: string;
  questions: AskedQuestion[];
}

async function storyOf(name: string, role: NewsStory['role'], corpusDir: string, questionsFile: string): Promise<NewsStory> {
  return { name, role, corpusDir, questions: parseQuestions(await readFile(questionsFile, 'utf8')) };
}

/** Each story of `dir` (`<story>/corpus/` and `<story>/questions.jsonl`), in name order. */
async function storiesIn(dir: string, role: NewsStory['role']): Promise<NewsStory[]> {
  const names = (await readdir(dir, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  return Promise.all(names.map((name) => storyOf(name, role, join(dir, name, 'corpus'), join(dir, name, 'questions.jsonl'))));
}

/**
 * The news-shaped stories of our own beside SQuAD. The models learn from the stories written for
 * training (`trainingDir`), the dev set about the seed article and the held-out corpus (the sets the
 * hand-set weights were once tuned on). Model families are also compared on the stories of
 * `validationDir`: news is the product's shape, and SQuAD's validation alone once chose a family
 * that read Wikipedia better and news worse. The blind validation set and the news test stories
 * stay out.
 */
export async function loadNewsStories(trainingDir: string, validationDir: string): Promise<NewsStory[]> {
  return [
    ...(await storiesIn(trainingDir, 'training')),
    await storyOf('seed-dev', 'training', 'tests/fixtures/seed/corpus', 'tests/fixtures/questions.jsonl'),
    await storyOf('heldout', 'training', 'tests/fixtures/heldout/corpus', 'tests/fixtures/heldout/questions.jsonl'),
    ...(await storiesIn(validationDir, 'validation')),
  ];
}
