/**
 * @module story-store: the stories on disk. A server's story is its folder under
 * `DATA_DIR/stories/<server id>/<name>/`: made with one mkdir (two servers' shards, or a shard and
 * the CLI, cannot both create it), deleted by renaming it out of sight first, so no reader sees
 * half a story. Every process sharing DATA_DIR sees the same stories.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config.js';
import { AppError, ErrorCodes } from '../errors.js';
import { OPERATOR, STORIES_FOLDER, type Story, isOperatorStory, normalizedName, operatorStory, ownerFolder, parseStoryId, serverStory, storyName } from './story.js';

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

  constructor(private readonly config: Pick<Config, 'corpusDir' | 'indexDir' | 'dataDir' | 'stories'>) {
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
    if (parts.owner === OPERATOR) return undefined;
    const story = serverStory(this.config.dataDir, parts.owner, parts.name);
    return existsSync(story.corpusDir) ? story : undefined;
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
    let names: string[];
    try {
      names = readdirSync(ownerFolder(this.config.dataDir, owner));
    } catch {
      return [];
    }
    return names
      .filter((name) => !name.startsWith('.'))
      .sort()
      .map((name) => serverStory(this.config.dataDir, owner, name))
      .filter((story) => existsSync(story.corpusDir));
  }

  /** Every server that has stories (the CLI lists them all). */
  owners(): string[] {
    try {
      return readdirSync(join(this.config.dataDir, STORIES_FOLDER)).filter((name) => !name.startsWith('.')).sort();
    } catch {
      return [];
    }
  }

  /** A new empty story owned by the server; STORY_EXISTS, STORY_NAME_INVALID or STORY_LIMIT otherwise. */
  async create(owner: string, typedName: string): Promise<Story> {
    const name = storyName(typedName);
    const { maxPerServer } = this.config.stories;
    if (this.list(owner).length >= maxPerServer) {
      throw new AppError(ErrorCodes.STORY_LIMIT, `This server has ${maxPerServer} stories, the most this bot allows (MAX_STORIES_PER_SERVER); delete one first.`);
    }
    const story = serverStory(this.config.dataDir, owner, name);
    const folder = join(ownerFolder(this.config.dataDir, owner), name);
    await mkdir(ownerFolder(this.config.dataDir, owner), { recursive: true });
    try {
      await mkdir(folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (existsSync(story.corpusDir)) throw new AppError(ErrorCodes.STORY_EXISTS, `This server already has a story called "${name}".`);
      // What a deletion left behind (a question in flight recreating its index folder): no story, so clear it.
      await rm(folder, { recursive: true, force: true });
      await mkdir(folder);
    }
    await mkdir(story.corpusDir);
    return story;
  }

  /** Removes a server story's folder: out of sight at once (one rename), then from the disk. */
  async delete(story: Story): Promise<void> {
    if (isOperatorStory(story)) throw new AppError(ErrorCodes.STORY_FORBIDDEN, "The operator's story cannot be deleted; it is the bot's CORPUS_DIR.");
    const folder = join(ownerFolder(this.config.dataDir, story.owner), story.name);
    const trash = join(ownerFolder(this.config.dataDir, story.owner), `.deleted-${story.name}-${randomBytes(4).toString('hex')}`);
    try {
      await rename(folder, trash);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new AppError(ErrorCodes.STORY_NOT_FOUND, `There is no story "${story.id}" any more.`);
      throw error;
    }
    await rm(trash, { recursive: true, force: true });
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
