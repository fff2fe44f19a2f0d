/**
 * @module story-catalog: which servers' stories exist. On one host it is the story folders under
 * DATA_DIR (folder-story-catalog.ts); across replicas it is PostgreSQL's `stories` table, cached in
 * each replica and kept current by notifications (postgres-story-catalog.ts). Either way a story is
 * made by one atomic step (a mkdir, an INSERT), so two processes cannot both make it.
 */
import { AppError, ErrorCodes } from '../errors.js';

export interface StoryCatalog {
  /** Whether the server has a story of that name (synchronous: it is asked on every question). */
  has(owner: string, name: string): boolean;
  /** One server's story names, sorted. */
  names(owner: string): string[];
  /** Every server that has stories, sorted. */
  owners(): string[];
  /** Rereads one server's stories where the answers above are a copy (another replica may have made one a moment ago). */
  refresh(owner: string): Promise<void>;
  /**
   * Records a new story and makes its (empty) folder on this host; STORY_EXISTS when the server
   * has one of that name, STORY_LIMIT when it has `maxPerServer` already.
   */
  add(owner: string, name: string, maxPerServer: number): Promise<void>;
  /** Removes the story and its folder on this host; STORY_NOT_FOUND when it is gone already. */
  remove(owner: string, name: string): Promise<void>;
}

/** The refusals both catalogues give, in the same words. */
export function storyLimit(maxPerServer: number): AppError {
  return new AppError(ErrorCodes.STORY_LIMIT, `This server has ${maxPerServer} stories, the most this bot allows (MAX_STORIES_PER_SERVER); delete one first.`);
}

export function storyExists(name: string): AppError {
  return new AppError(ErrorCodes.STORY_EXISTS, `This server already has a story called "${name}".`);
}

export function storyGone(id: string): AppError {
  return new AppError(ErrorCodes.STORY_NOT_FOUND, `There is no story "${id}" any more.`);
}
