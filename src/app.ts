/**
 * @module app: what both front ends (Discord bot, CLI) share: the engine, the history, and the
 * stories. Each server owns its stories; a channel reads the story bound to it, else its server's
 * default, else the operator's. Stories are loaded on first use and released beyond INDEX_MEMORY_MB
 * (story-cache.ts); one story's use cases live in story-app.ts.
 */
import { limitConcurrency } from './concurrency-limit.js';
import type { Config } from './config.js';
import { createTransformersEmbedder } from './embeddings/transformers-embedder.js';
import { AppError, ErrorCodes, isAppError } from './errors.js';
import type { BuildProgress } from './index/build-index.js';
import { liveBuildId, readLiveManifest } from './index/index-store.js';
import type { Logger } from './logger.js';
import { memberHasher } from './member-id.js';
import { type Storage, type StorageEngine, openStorage } from './storage/storage.js';
import type { ChannelStories } from './stories/channel-stories.js';
import { embedOffTopic } from './search/off-topic.js';
import { loadRankingModel } from './search/ranker.js';
import type { OutsideKnowledge } from './search/search.js';
import { loadEnglishWords } from './search/dictionary.js';
import { loadRelatedTerms } from './search/related-terms.js';
import { type Story, isOperatorStory, readableFrom } from './stories/story.js';
import { StoryReplica } from './stories/story-replica.js';
import { StoryStore, corpusUsage } from './stories/story-store.js';
import { StoryCache } from './story-cache.js';
import { type Engine, type History, type IndexReload, type StoryApp, type StoryDeps, openStory } from './story-app.js';

export type { AddedArticle, ChangeProgress, Contributor, Engine, GapsOptions, History, IndexReload, RemovedArticle, Sources, StoryApp } from './story-app.js';

const DAY_MS = 86_400_000;
/** How often rows older than HISTORY_DAYS are purged while the bot runs (and once at start). */
const HISTORY_PURGE_INTERVAL_MS = DAY_MS;

/**
 * Searches run at once in this process, whatever their stories; more wait in line. A few keep the
 * model's threads busy, and a burst of questions then queues instead of flooding the event loop
 * the Discord client needs to stay prompt.
 */
const CONCURRENT_SEARCHES = 4;

/** One of a server's stories as `/story list` shows it. */
export interface StoryListing {
  story: Story;
  articles: number;
  passages: number;
  /** Channels bound to it. */
  channels: string[];
  /** Whether channels without a binding read it. */
  isDefault: boolean;
}

/** Loaded stories, for /status. */
export interface ResidentStories {
  count: number;
  /** Memory the servers' loaded indexes hold (the operator's is always loaded and not counted). */
  bytes: number;
  budgetBytes: number;
}

export interface App {
  /** Set when opened with `history: true` (the bot); the command line records nothing. */
  readonly history: History | undefined;
  readonly operator: Story;
  /** Where the shared state is kept. */
  readonly storageEngine: StorageEngine;
  /** The story a channel reads: its binding (a thread: its own, else its channel's), else its server's default, else the operator's. */
  storyOfChannel(guildId: string | undefined, channelId: string | undefined, parentChannelId?: string): Promise<Story>;
  /** The story with this id when members of `guildId` may read it (their server's, or the operator's); undefined otherwise. */
  readableStory(storyId: string, guildId: string | undefined): Story | undefined;
  /** A story by id (the command line, which may reach every story); STORY_NOT_FOUND when there is none. */
  storyById(storyId: string): Story;
  /** One of the server's stories by the name its members type, or the operator's ("shared"); STORY_NOT_FOUND otherwise. */
  storyNamed(guildId: string, name: string): Promise<Story>;
  /**
   * Runs `work` on the story's use cases, its index loaded (or built) on first use, and held in
   * memory until `work` finishes: what every interaction and command goes through.
   */
  using<T>(story: Story, work: (story: StoryApp) => Promise<T>): Promise<T>;
  /** The operator's story, loaded (built if need be); it stays loaded, so it may be kept. */
  operatorStory(): Promise<StoryApp>;
  /** Whether the story has no index yet (no articles), answered without loading it. */
  isEmpty(story: Story): Promise<boolean>;
  /** Why a change of the story from this server is refused, or undefined when it is allowed (`guildId` undefined: the host's CLI). */
  changeRefusal(story: Story, guildId: string | undefined): string | undefined;
  createStory(owner: string, name: string): Promise<Story>;
  /** Binds a channel to the story, or with `channelId` undefined makes it the server's default. */
  useStory(guildId: string, channelId: string | undefined, story: Story): Promise<void>;
  /** Removes the story's files, channel bindings and history; refused while it is being changed. */
  deleteStory(story: Story): Promise<void>;
  listStories(guildId: string): Promise<StoryListing[]>;
  /** The stories a server may bind, by name (the operator's first), without reading their indexes: what suggestions need. */
  storyNames(guildId: string): string[];
  /** Every server that has stories (the command line lists them all). */
  storyOwners(): string[];
  /** Switches a loaded story to the index another process built (undefined: not loaded here, it loads fresh when asked). */
  reloadStory(storyId: string): Promise<IndexReload | undefined>;
  /** Catches every loaded story up with what other processes did (rebuilt, deleted). */
  reloadLoaded(): Promise<void>;
  residentStories(): ResidentStories;
  close(): Promise<void>;
}

export interface AppOptions {
  logger: Logger;
  /** Progress of an index build done while opening a story (index missing, stale or damaged). */
  onBuildProgress?: (progress: BuildProgress) => void;
  /** Skip the check that the corpus changed since the index was built (for processes that only serve). */
  trustIndex?: boolean;
  /** Record questions and votes in DATA_DIR/history.db (the bot does; the command line does not). */
  history?: boolean;
}

class StoriesApp implements App {
  private readonly cache: StoryCache;
  private readonly purgeTimer: NodeJS.Timeout | undefined;
  readonly operator: Story;

  private readonly channels: ChannelStories;

  constructor(
    private readonly deps: StoryDeps,
    options: AppOptions,
  ) {
    this.channels = deps.storage.channels;
    this.operator = deps.stories.operator;
    const openOptions = { trustIndex: options.trustIndex ?? false, onBuildProgress: options.onBuildProgress };
    this.cache = new StoryCache((story) => openStory(story, deps, openOptions), deps.config.stories.memoryBudgetBytes, deps.logger);
    // Another replica made, changed or deleted a story: follow at once (the periodic check is the safety net).
    deps.storage.watch((storyId) => {
      const following = storyId === undefined ? this.reloadLoaded() : this.reloadStory(storyId);
      following.catch((error: unknown) => deps.logger.warn({ err: error, story: storyId }, 'could not follow a change another replica made; still serving what this one has'));
    });
    const { history, logger, config } = deps;
    if (history) {
      const purge = async (): Promise<void> => {
        const removed = await history.store.purge(config.historyDays);
        if (removed > 0) logger.info({ removed, days: config.historyDays }, 'purged old history');
      };
      void purge();
      this.purgeTimer = setInterval(() => void purge(), HISTORY_PURGE_INTERVAL_MS).unref();
    }
  }

  get history(): History | undefined {
    return this.deps.history;
  }

  get storageEngine(): StorageEngine {
    return this.deps.storage.engine;
  }

  async storyOfChannel(guildId: string | undefined, channelId: string | undefined, parentChannelId?: string): Promise<Story> {
    if (guildId === undefined) return this.operator;
    const bound = await this.channels.storyIdOf(guildId, [channelId, parentChannelId]);
    if (bound === undefined) return this.operator;
    // Made on another replica a moment ago, before its notification arrived here: look again.
    if (this.readableStory(bound, guildId) === undefined) await this.deps.stories.refresh(guildId);
    // A story deleted by another process since: its channels read the operator's story again.
    return this.readableStory(bound, guildId) ?? this.operator;
  }

  readableStory(storyId: string, guildId: string | undefined): Story | undefined {
    const story = this.deps.stories.find(storyId);
    return story !== undefined && readableFrom(story, guildId) ? story : undefined;
  }

  storyById(storyId: string): Story {
    return this.deps.stories.get(storyId);
  }

  async storyNamed(guildId: string, name: string): Promise<Story> {
    try {
      return this.deps.stories.named(guildId, name);
    } catch (error) {
      if (!isAppError(error, ErrorCodes.STORY_NOT_FOUND)) throw error;
      await this.deps.stories.refresh(guildId);
      return this.deps.stories.named(guildId, name);
    }
  }

  using<T>(story: Story, work: (story: StoryApp) => Promise<T>): Promise<T> {
    return this.cache.use(story, work);
  }

  operatorStory(): Promise<StoryApp> {
    return this.cache.use(this.operator, async (story) => story);
  }

  async isEmpty(story: Story): Promise<boolean> {
    const loaded = this.cache.loaded(story.id);
    if (loaded !== undefined) return loaded.sources().buildId === undefined;
    const { replica } = this.deps;
    if (replica !== undefined && !isOperatorStory(story)) return (await replica.heads([story])).size === 0;
    return (await liveBuildId(story.indexDir).catch(() => undefined)) === undefined;
  }

  changeRefusal(story: Story, guildId: string | undefined): string | undefined {
    if (guildId === undefined) return undefined;
    if (isOperatorStory(story)) {
      if (this.deps.replica !== undefined) {
        return "The bot operator's shared story is the articles deployed with every replica (CORPUS_DIR); it is changed there, not from Discord. Make this server a story of its own with /story create, then /story use.";
      }
      return this.deps.config.stories.adminGuildIds.includes(guildId)
        ? undefined
        : "This channel reads the bot operator's shared story, which only the operator changes. Make this server a story of its own with /story create, then /story use.";
    }
    return story.owner === guildId ? undefined : 'That story belongs to another server.';
  }

  createStory(owner: string, name: string): Promise<Story> {
    return this.deps.stories.create(owner, name);
  }

  async useStory(guildId: string, channelId: string | undefined, story: Story): Promise<void> {
    if (!readableFrom(story, guildId)) throw new AppError(ErrorCodes.STORY_NOT_FOUND, 'That story is not one of this server\'s.');
    if (channelId === undefined) await this.channels.setDefault(guildId, story.id);
    else await this.channels.bind(guildId, channelId, story.id);
  }

  async deleteStory(story: Story): Promise<void> {
    if (this.cache.loaded(story.id)?.reindexing) throw new AppError(ErrorCodes.REINDEX_IN_PROGRESS, 'A reindex or article change of that story is running; delete it when that finishes.');
    // Held until the folder is gone, so no other process starts changing the story meanwhile.
    const lock = await this.deps.storage.locks.tryLock(story);
    try {
      // Out of sight first: if that fails, nothing else has changed.
      await this.deps.stories.delete(story);
      this.cache.forget(story.id);
      await this.channels.forget(story.id);
      this.deps.logger.info({ story: story.id }, 'story deleted');
      await this.forgetHistory(story);
    } finally {
      await lock.release();
    }
  }

  /** The story's questions and votes go with it; a history database that fails to let them go is logged, not fatal (the story is gone). */
  private async forgetHistory(story: Story): Promise<void> {
    const store = this.deps.history?.store;
    if (store === undefined) return;
    try {
      this.deps.logger.info({ story: story.id, rows: await store.forgetStory(story.id) }, "deleted the story's history");
    } catch (error) {
      this.deps.logger.error({ err: error, story: story.id }, "could not delete the deleted story's history rows");
    }
  }

  async listStories(guildId: string): Promise<StoryListing[]> {
    const bindings = await this.channels.channelsOf(guildId);
    const defaultId = (await this.channels.defaultOf(guildId)) ?? this.operator.id;
    await this.deps.stories.refresh(guildId);
    const stories = this.deps.stories.list(guildId);
    // Replicas count a server's stories from their snapshots, which this host may not have copied.
    const heads = await this.deps.replica?.heads(stories);
    const counts = async (story: Story): Promise<{ articles: number; passages: number }> => {
      if (heads !== undefined && !isOperatorStory(story)) return heads.get(story.id) ?? { articles: 0, passages: 0 };
      const manifest = await readLiveManifest(story.indexDir);
      return { articles: manifest?.articleCount ?? (await corpusUsage(story.corpusDir)).articles, passages: manifest?.passageCount ?? 0 };
    };
    const listing = async (story: Story): Promise<StoryListing> => {
      const { articles, passages } = await counts(story);
      return {
        story,
        articles,
        passages,
        channels: bindings.filter((binding) => binding.storyId === story.id).map((binding) => binding.channelId),
        isDefault: story.id === defaultId,
      };
    };
    return Promise.all([this.operator, ...stories].map(listing));
  }

  storyNames(guildId: string): string[] {
    return [this.operator, ...this.deps.stories.list(guildId)].map((story) => story.name);
  }

  storyOwners(): string[] {
    return this.deps.stories.owners();
  }

  async reloadStory(storyId: string): Promise<IndexReload | undefined> {
    const app = this.cache.loaded(storyId);
    if (app === undefined) return undefined;
    if (this.deps.stories.find(storyId) === undefined) {
      // Deleted by another process.
      this.cache.forget(storyId);
      return undefined;
    }
    // A change running here holds the story's lock: no other replica can have published meanwhile.
    if (this.deps.replica !== undefined && !isOperatorStory(app.story) && !app.reindexing) await this.deps.replica.catchUp(app.story);
    return app.reloadIndex();
  }

  async reloadLoaded(): Promise<void> {
    await Promise.all(this.cache.loadedStories.map((app) => this.reloadStory(app.story.id)));
  }

  residentStories(): ResidentStories {
    return { count: this.cache.count, bytes: this.cache.serverStoryBytes, budgetBytes: this.deps.config.stories.memoryBudgetBytes };
  }

  async close(): Promise<void> {
    clearInterval(this.purgeTimer);
    await this.cache.closeAll();
    await this.deps.storage.close();
    await this.deps.tools.embedder.dispose();
  }
}

/** Loads the configured model (building the embedded one on first use) and the outside knowledge. */
export async function openEngine(config: Config, logger: Logger): Promise<Engine> {
  const embedder = await createTransformersEmbedder({
    model: config.model,
    cacheDir: config.modelCacheDir,
    hubUrl: config.modelHubUrl,
    batchSize: config.embedBatchSize,
    threads: config.modelThreads,
    onModelBuild: () => logger.info({ cacheDir: config.modelCacheDir }, 'building the embedded model (once)'),
  });
  try {
    const outside: OutsideKnowledge = { offTopic: await embedOffTopic(embedder), englishWords: await loadEnglishWords(), relatedTerms: await loadRelatedTerms() };
    return { embedder, outside, prefixes: { queryPrefix: config.model.queryPrefix, passagePrefix: config.model.passagePrefix } };
  } catch (error) {
    await embedder.dispose();
    throw error;
  }
}

/** The history and the member-id key; neither failing stops the bot (votes are then refused, questions not recorded). */
async function openHistory(storage: Storage, logger: Logger): Promise<History> {
  const store = storage.history();
  try {
    return { store, hashMember: memberHasher(await storage.memberKey()) };
  } catch (error) {
    logger.error({ err: error, engine: storage.engine }, 'could not read or make the member-id key; votes cannot be stored');
    const reason = error instanceof Error ? error.message : String(error);
    return {
      store,
      hashMember: () => {
        throw new Error(`member ids cannot be hashed (${reason})`);
      },
    };
  }
}

/** Loads the model and opens the stories and the shared state; no index is loaded until a story is opened (`open`). */
export async function createApp(config: Config, options: AppOptions): Promise<App> {
  const { logger } = options;
  const engine = await openEngine(config, logger);
  let storage: Storage | undefined;
  try {
    storage = await openStorage(config, logger);
    const history = options.history ? await openHistory(storage, logger) : undefined;
    const deps: StoryDeps = {
      config,
      tools: { ...engine, model: loadRankingModel() },
      logger,
      history,
      storage,
      stories: new StoryStore(config, storage.catalog),
      replica: storage.snapshots === undefined ? undefined : new StoryReplica(storage.snapshots, logger),
      searching: limitConcurrency(CONCURRENT_SEARCHES),
    };
    return new StoriesApp(deps, options);
  } catch (error) {
    await storage?.close();
    await engine.embedder.dispose();
    throw error;
  }
}
