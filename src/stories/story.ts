/**
 * @module story: the unit the bot serves. A story is a named set of articles with its own index,
 * history, votes and gaps, owned by one Discord server or by the operator. The operator's story is
 * CORPUS_DIR and INDEX_DIR as they always were; a server's stories live under
 * `DATA_DIR/stories/<server id>/<name>/{corpus,index}`.
 */
import { join } from 'node:path';
import type { Config } from '../config.js';
import { AppError, ErrorCodes } from '../errors.js';

/** The owner of the story every server reads until it chooses another. */
export const OPERATOR = 'operator';
/** The operator's story's name, reserved: no server story may take it. */
export const SHARED_STORY_NAME = 'shared';
export const OPERATOR_STORY_ID = `${OPERATOR}/${SHARED_STORY_NAME}`;
/** Where server stories live under DATA_DIR. */
export const STORIES_FOLDER = 'stories';

/** Short enough that a story id fits in a button's custom id (100 characters) beside an answer id. */
const MAX_NAME_LENGTH = 32;
const NAME_PATTERN = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const SERVER_ID = /^\d{17,20}$/;

export interface Story {
  /** `<owner>/<name>`: what history rows, locks and button custom ids carry. */
  id: string;
  /** A server id, or OPERATOR. */
  owner: string;
  name: string;
  corpusDir: string;
  indexDir: string;
}

export function isOperatorStory(story: Pick<Story, 'owner'>): boolean {
  return story.owner === OPERATOR;
}

/** A name as typed ("Election night") in the form story names take ("election-night"), checked or not. */
export function normalizedName(typed: string): string {
  return typed.trim().toLowerCase().replace(/[\s_]+/g, '-');
}

/** A name as typed → the story's name, or STORY_NAME_INVALID. */
export function storyName(typed: string): string {
  const name = normalizedName(typed);
  if (name === SHARED_STORY_NAME) throw new AppError(ErrorCodes.STORY_NAME_INVALID, `"${SHARED_STORY_NAME}" is the bot operator's story; pick another name.`);
  if (name.length > MAX_NAME_LENGTH || !NAME_PATTERN.test(name)) {
    throw new AppError(
      ErrorCodes.STORY_NAME_INVALID,
      `A story name is 1-${MAX_NAME_LENGTH} letters (a-z), digits and dashes, starting and ending with a letter or digit, e.g. "election-night".`,
    );
  }
  return name;
}

/** The operator's story, in the folders the settings name. */
export function operatorStory(config: Pick<Config, 'corpusDir' | 'indexDir'>): Story {
  return { id: OPERATOR_STORY_ID, owner: OPERATOR, name: SHARED_STORY_NAME, corpusDir: config.corpusDir, indexDir: config.indexDir };
}

/** The folder holding one server's stories. */
export function ownerFolder(dataDir: string, owner: string): string {
  if (!SERVER_ID.test(owner)) throw new AppError(ErrorCodes.STORY_NOT_FOUND, `"${owner}" is not a server id (17-20 digits) or "${OPERATOR}".`);
  return join(dataDir, STORIES_FOLDER, owner);
}

/** A server's story by owner and (already valid) name; whether it exists is the store's business. */
export function serverStory(dataDir: string, owner: string, name: string): Story {
  const folder = join(ownerFolder(dataDir, owner), name);
  return { id: `${owner}/${name}`, owner, name, corpusDir: join(folder, 'corpus'), indexDir: join(folder, 'index') };
}

/** `<owner>/<name>` → its parts, or STORY_NOT_FOUND for text that is no story id. */
export function parseStoryId(id: string): { owner: string; name: string } {
  const slash = id.indexOf('/');
  const owner = id.slice(0, slash);
  const name = id.slice(slash + 1);
  if (slash < 1 || !(owner === OPERATOR || SERVER_ID.test(owner)) || !(name === SHARED_STORY_NAME || NAME_PATTERN.test(name)) || name.length > MAX_NAME_LENGTH) {
    throw new AppError(ErrorCodes.STORY_NOT_FOUND, `"${id}" is not a story id (<server id>/<name>, or ${OPERATOR_STORY_ID}).`);
  }
  return { owner, name };
}

/** The story an id names, whether or not it exists (the store says whether it does). */
export function storyOfId(config: Pick<Config, 'corpusDir' | 'indexDir' | 'dataDir'>, id: string): Story {
  const { owner, name } = parseStoryId(id);
  return owner === OPERATOR ? operatorStory(config) : serverStory(config.dataDir, owner, name);
}

/** Whether members of `guildId` may read the story: their own server's, and the operator's. */
export function readableFrom(story: Pick<Story, 'owner'>, guildId: string | undefined): boolean {
  return isOperatorStory(story) || (guildId !== undefined && story.owner === guildId);
}
