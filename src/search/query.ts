/** @module query: a question analysed against the story: spelling fixed, terms weighted, answer type guessed. */
import { normalizeWord, termOf, words } from '../index/terms.js';
import { type AnswerType, answerTypeOf } from './answer-type.js';
import type { WordSet } from './dictionary.js';
import type { Vocabulary } from '../index/vocabulary.js';

export interface AnalysedQuestion {
  /** The question as asked. */
  original: string;
  /** The question with misspelt words replaced by the story's spelling; what gets searched. */
  text: string;
  /** Replaced words, original → corrected. */
  corrections: [string, string][];
  /** Distinct index terms, each with its weight (inverse document frequency). */
  terms: Map<string, number>;
  answerType: AnswerType | undefined;
  /**
   * Names and years that appear nowhere in the story, e.g. "China" or "2012" in a story that
   * never mentions them: the question is about something else.
   */
  unmentioned: string[];
}

export interface TermStatistics {
  vocabulary: Vocabulary;
  documentFrequency: ReadonlyMap<string, number>;
  passageCount: number;
  /** Common English words, lower case; without it only capitalised words are taken for names. */
  englishWords?: WordSet | undefined;
}

/** Shorter unknown words are too often abbreviations ("ppl") to be taken for names. */
const MIN_UNKNOWN_WORD_LENGTH = 4;

/** BM25's inverse document frequency, always positive. */
export function inverseDocumentFrequency(documentFrequency: number, passageCount: number): number {
  return Math.log(1 + (passageCount - documentFrequency + 0.5) / (documentFrequency + 0.5));
}

const YEAR = /^(?:1[5-9]|20)\d\d$/;

/** Words opening a question are capitalised for grammar, not because they are names. */
function looksLikeName(word: string, index: number, question: string): boolean {
  if (!/^\p{Lu}/u.test(word) || word.length < 2) return false;
  const before = question.slice(0, index).trimEnd();
  return before !== '' && !/[.!?:;"“(]$/.test(before);
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** Whether a word is one typo away from an English word: a dropped letter, a swap, or (in long words) any one edit. */
function isTypoOfEnglish(word: string, englishWords: WordSet): boolean {
  const variants: string[] = [];
  for (let at = 0; at <= word.length; at += 1) for (const letter of LETTERS) variants.push(word.slice(0, at) + letter + word.slice(at));
  for (let at = 0; at + 1 < word.length; at += 1) variants.push(word.slice(0, at) + (word[at + 1] ?? '') + (word[at] ?? '') + word.slice(at + 2));
  if (word.length >= 8) {
    for (let at = 0; at < word.length; at += 1) {
      variants.push(word.slice(0, at) + word.slice(at + 1));
      for (const letter of LETTERS) variants.push(word.slice(0, at) + letter + word.slice(at + 1));
    }
  }
  return variants.some((variant) => englishWords.has(variant));
}

/** A word neither in the story nor in English, nor a typo of an English word: a name, however written. */
function isUnknownWord(normalized: string, englishWords: WordSet | undefined): boolean {
  return englishWords !== undefined && normalized.length >= MIN_UNKNOWN_WORD_LENGTH && !englishWords.has(normalized) && !isTypoOfEnglish(normalized, englishWords);
}

export function analyseQuestion(question: string, statistics: TermStatistics): AnalysedQuestion {
  const corrections: [string, string][] = [];
  const unmentioned: string[] = [];
  let text = '';
  let copied = 0;
  for (const { word, index } of words(question)) {
    const normalized = normalizeWord(word);
    const term = termOf(word);
    if (term === undefined || statistics.documentFrequency.has(term) || statistics.vocabulary.has(normalized)) continue;
    if (YEAR.test(normalized)) {
      unmentioned.push(word);
      continue;
    }
    if (!/^\p{L}+$/u.test(normalized)) continue;
    const corrected = statistics.vocabulary.correct(normalized);
    if (corrected !== undefined) {
      corrections.push([word, corrected]);
      text += question.slice(copied, index) + corrected;
      copied = index + word.length;
    } else if ((looksLikeName(word, index, question) && !statistics.englishWords?.has(normalized)) || isUnknownWord(normalized, statistics.englishWords)) {
      unmentioned.push(word);
    }
  }
  text += question.slice(copied);

  const terms = new Map<string, number>();
  for (const { word } of words(text)) {
    const term = termOf(word);
    if (term !== undefined) terms.set(term, inverseDocumentFrequency(statistics.documentFrequency.get(term) ?? 0, statistics.passageCount));
  }
  return { original: question, text, corrections, terms, answerType: answerTypeOf(text), unmentioned };
}
