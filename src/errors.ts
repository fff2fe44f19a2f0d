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
  /** A link the bot may not fetch (scheme, credentials, port, a non-public address). */
  FETCH_REFUSED: 'FETCH_REFUSED',
  /** A link that could not be fetched (the site's answer, a timeout, the size limit). */
  FETCH_FAILED: 'FETCH_FAILED',
  /** A document with no article in it (a login wall, a list of links, an image, an unreadable encoding). */
  ARTICLE_UNREADABLE: 'ARTICLE_UNREADABLE',
  /** The article is in the corpus already. */
  ARTICLE_EXISTS: 'ARTICLE_EXISTS',
  /** No article in the corpus goes by that name. */
  ARTICLE_NOT_FOUND: 'ARTICLE_NOT_FOUND',
  /** No story of this server (or the operator's) goes by that name. */
  STORY_NOT_FOUND: 'STORY_NOT_FOUND',
  /** A story of that name exists already. */
  STORY_EXISTS: 'STORY_EXISTS',
  /** A story name that cannot be used (characters, length, a reserved name). */
  STORY_NAME_INVALID: 'STORY_NAME_INVALID',
  /** A limit for a public bot was reached (stories per server, articles or bytes per story). */
  STORY_LIMIT: 'STORY_LIMIT',
  /** The story may not be changed from here (the operator's story outside ADMIN_GUILD_IDS). */
  STORY_FORBIDDEN: 'STORY_FORBIDDEN',
  /** The story has no articles yet, so there is nothing to answer from. */
  STORY_EMPTY: 'STORY_EMPTY',
  /** A change was built but could not be shared with the other replicas (the database failed), so it was undone. */
  SNAPSHOT_FAILED: 'SNAPSHOT_FAILED',
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
