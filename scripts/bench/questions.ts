/** @module questions: benchmark questions: the dev set, plus questions made from the corpus's own sentences. */
import { readFile } from 'node:fs/promises';
import { isStopword, normalizeWord, words } from '../../src/index/terms.js';
import { parseQuestions } from '../../src/search/evaluate.js';
import { randomGenerator } from './synthetic-corpus.js';

const OPENERS = ['What about', 'Tell me about', 'Why did', 'When did', 'Who said', 'How many'];

/** `count` questions: the dev set first, then "opener + a few content words of a pool sentence". */
export async function benchQuestions(pool: readonly string[], count: number, seed = 7): Promise<string[]> {
  const dev = parseQuestions(await readFile('tests/fixtures/questions.jsonl', 'utf8')).map((q) => q.q);
  const random = randomGenerator(seed);
  const questions = dev.slice(0, count);
  while (questions.length < count) {
    const sentence = pool[Math.floor(random() * pool.length)] ?? '';
    const content = words(sentence)
      .map(({ word }) => word)
      .filter((word) => !isStopword(normalizeWord(word)));
    const start = Math.floor(random() * Math.max(1, content.length - 4));
    const opener = OPENERS[Math.floor(random() * OPENERS.length)] ?? 'What about';
    questions.push(`${opener} ${content.slice(start, start + 3 + Math.floor(random() * 3)).join(' ')}?`);
  }
  return questions;
}
