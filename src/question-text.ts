/** @module question-text: what part of a user's question is searched, and when there is nothing to search. */
import { AppError, ErrorCodes } from './errors.js';

/** Longer questions are cut here: nobody types more, and the encoder reads 128 pieces anyway. */
const QUESTION_CHARACTERS_READ = 1000;

/**
 * The part of a question that is searched; fails with QUESTION_INVALID when there is nothing to
 * search: blank, or no letter or digit at all ("...", a row of emoji), which would otherwise match
 * passages on noise.
 */
export function searchableQuestion(question: string): string {
  const trimmed = question.trim().slice(0, QUESTION_CHARACTERS_READ);
  if (trimmed === '') throw new AppError(ErrorCodes.QUESTION_INVALID, 'The question is empty.');
  if (!/[\p{L}\p{N}]/u.test(trimmed)) throw new AppError(ErrorCodes.QUESTION_INVALID, 'The question has no words in it.');
  return trimmed;
}
