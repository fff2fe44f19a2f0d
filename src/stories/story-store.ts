/**
 * @module story-store: finding, making and deleting stories, and their limits. A server's story
 * keeps its files in `DATA_DIR/stories/<server id>/<name>/`; which stories exist is the catalogue's
 * to say (story-catalog.ts): the folders themselves on one host, PostgreSQL across replicas.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config.js';
import { AppError, ErrorCodes } from '../errors.js';
import type { StoryCatalog } from './story-catalog.js';
import { OPERATOR, type Story, isOperatorStory, normalizedName, operatorStory, parseStoryId, serverStory, storyName } from './story.js';

/** How much a story's corpus holds, for the limits of a public bot. */
export interface StoryUsage {
  articles: number;
  bytes: number;
}

/** Article files and their bytes (hidden files such as `.removed/` do not count). */
export async function corpusUsage(corpusDir: string): Promise<StoryUsage> {
  let articles = 0;
  let bytes = 0;
  for (const name of await readdir(corpusDir).catch(() => [] as string[])) {
    if (name.startsWith('.')) continue;
    const info = await stat(join(corpusDir, name)).catch(() => undefined);
    if (!info?.isFile()) continue;
    articles += 1;
    bytes += info.size;
  }
  return { articles, bytes };
}

export class StoryStore {
  readonly operator: Story;

  constructor(
    private readonly config: Pick<Config, 'corpusDir' | 'indexDir' | 'dataDir' | 'stories'>,
    private readonly catalog: StoryCatalog,
  ) {
    this.operator = operatorStory(config);
  }

  /** The story with this id if it exists (synchronous: it is asked on every question). */
  find(id: string): Story | undefined {
    if (id === this.operator.id) return this.operator;
    let parts: { owner: string; name: string };
    try {
      parts = parseStoryId(id);
    } catch {
      return undefined;
    }
    if (parts.owner === OPERATOR || !this.catalog.has(parts.owner, parts.name)) return undefined;
    return serverStory(this.config.dataDir, parts.owner, parts.name);
  }

  /** The story with this id, or STORY_NOT_FOUND. */
  get(id: string): Story {
    const story = this.find(id);
    if (story === undefined) throw new AppError(ErrorCodes.STORY_NOT_FOUND, `There is no story "${id}".`);
    return story;
  }

  /** A server's story by the name its members type, or STORY_NOT_FOUND (never another server's). */
  named(owner: string, typed: string): Story {
    const wanted = normalizedName(typed);
    if (wanted === this.operator.name) return this.operator;
    const story = this.find(`${owner}/${wanted}`);
    if (story === undefined) throw new AppError(ErrorCodes.STORY_NOT_FOUND, `This server has no story called "${typed.trim().slice(0, 40)}". See /story list.`);
    return story;
  }

  /** One server's stories, by name. */
  list(owner: string): Story[] {
    return this.catalog.names(owner).map((name) => serverStory(this.config.dataDir, owner, name));
  }

  /** Rereads one server's stories from the catalogue's source (PostgreSQL), for a story another replica just made. */
  refresh(owner: string): Promise<void> {
    return this.catalog.refresh(owner);
  }

  /** Every server that has stories (the CLI lists them all). */
  owners(): string[] {
    return this.catalog.owners();
  }

  /** A new empty story owned by the server; STORY_EXISTS, STORY_NAME_INVALID or STORY_LIMIT otherwise. */
  async create(owner: string, typedName: string): Promise<Story> {
    const name = storyName(typedName);
    await this.catalog.add(owner, name, this.config.stories.maxPerServer);
    return serverStory(this.config.dataDir, owner, name);
  }

  /** Removes a server story: out of sight at once for every process, then its files. */
  async delete(story: Story): Promise<void> {
    if (isOperatorStory(story)) throw new AppError(ErrorCodes.STORY_FORBIDDEN, "The operator's story cannot be deleted; it is the bot's CORPUS_DIR.");
    await this.catalog.remove(story.owner, story.name);
  }

  /** Refuses a change that would take the story past its limits (articles, bytes). */
  async checkRoom(story: Story, adding: { articles: number; bytes: number }): Promise<void> {
    if (isOperatorStory(story)) return; // the operator sizes their own story
    const { maxArticles, maxBytes } = this.config.stories;
    const usage = await corpusUsage(story.corpusDir);
    if (usage.articles + adding.articles > maxArticles) {
      throw new AppError(ErrorCodes.STORY_LIMIT, `This story has ${usage.articles} articles, the most this bot allows per story (MAX_ARTICLES_PER_STORY); remove one first. Nothing was added.`);
    }
    if (usage.bytes + adding.bytes > maxBytes) {
      const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);
      throw new AppError(ErrorCodes.STORY_LIMIT, `This story's articles would take ${mb(usage.bytes + adding.bytes)} MB, more than the ${mb(maxBytes)} MB this bot allows per story (MAX_STORY_MB). Nothing was added.`);
    }
  }
}
