/** @module errors: coded application errors; front ends (cli/, discord/) turn codes into wording and exit statuses. */

export const ErrorCodes = {
  /** Settings are missing or invalid. */
  CONFIG_INVALID: 'CONFIG_INVALID',
  /** The embedded model's source package differs from the one the converter was written for. */
  MODEL_SOURCE_MISMATCH: 'MODEL_SOURCE_MISMATCH',
  /** The embedded model could not be converted. */
  MODEL_BUILD_FAILED: 'MODEL_BUILD_FAILED',
  /** A hub model is neither cached nor downloadable. */
  MODEL_UNAVAILABLE: 'MODEL_UNAVAILABLE',
  /** The corpus folder is missing or holds no usable article. */
  CORPUS_EMPTY: 'CORPUS_EMPTY',
  /** No index has been built yet. */
  INDEX_MISSING: 'INDEX_MISSING',
  /** The index on disk was written by a version that lays its files out differently. */
  INDEX_OUTDATED: 'INDEX_OUTDATED',
  /** The index on disk is damaged or incomplete. */
  INDEX_CORRUPT: 'INDEX_CORRUPT',
  /** A rebuild is already running. */
  REINDEX_IN_PROGRESS: 'REINDEX_IN_PROGRESS',
  /** The question cannot be searched (empty, or nothing searchable in it). */
  QUESTION_INVALID: 'QUESTION_INVALID',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** An expected failure with a stable code and a message fit to show a user. */
export class AppError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
  }
}

export function isAppError(error: unknown, code?: ErrorCode): error is AppError {
  return error instanceof AppError && (code === undefined || error.code === code);
}
