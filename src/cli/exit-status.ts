/** @module exit-status: error codes → process exit statuses, so scripts can tell failures apart. */
import { type ErrorCode, isAppError } from '../errors.js';

export const EXIT_STATUS: Readonly<Record<ErrorCode, number>> = {
  CONFIG_INVALID: 2,
  QUESTION_INVALID: 2,
  CORPUS_EMPTY: 3,
  INDEX_MISSING: 3,
  INDEX_OUTDATED: 3,
  INDEX_CORRUPT: 3,
  MODEL_SOURCE_MISMATCH: 4,
  MODEL_BUILD_FAILED: 4,
  MODEL_UNAVAILABLE: 4,
  REINDEX_IN_PROGRESS: 5,
  FETCH_REFUSED: 6,
  FETCH_FAILED: 6,
  ARTICLE_UNREADABLE: 6,
  ARTICLE_EXISTS: 7,
  ARTICLE_NOT_FOUND: 7,
  STORY_NOT_FOUND: 7,
  STORY_EXISTS: 7,
  STORY_NAME_INVALID: 2,
  STORY_LIMIT: 8,
  STORY_FORBIDDEN: 8,
  STORY_EMPTY: 3,
  SNAPSHOT_FAILED: 9,
};

/** 1 for anything unexpected. */
export function exitStatusOf(error: unknown): number {
  return isAppError(error) ? EXIT_STATUS[error.code] : 1;
}
