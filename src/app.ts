/**
 * @module app: the use cases both front ends (Discord bot, CLI) share: ask, reindex, add and
 * remove an article, sources. It owns the live index and swaps in a rebuilt one only when the
 * rebuild succeeded, so questions keep being answered from the old index meanwhile, and after a
 * failure; a corpus change whose rebuild fails is undone, so the folder matches the live index.
 */
import { limitConcurrency } from './concurrency-limit.js';
import type { Config } from './config.js';
import type { Embedder } from './embeddings/embedder.js';
import { createTransformersEmbedder } from './embeddings/transformers-embedder.js';
import { AppError, ErrorCodes, isAppError } from './errors.js';
import { type BuildProgress, type BuildSummary, buildIndex } from './index/build-index.js';
import { closeIndex, liveBuildId, loadIndex } from './index/index-store.js';
import { lockReindex, tryLockReindex } from './index/reindex-lock.js';
import { manifestMismatch } from './index/manifest.js';
import { normalizeWord } from './index/terms.js';
import type { IndexedArticle, StoryIndex } from './index/story-index.js';
import { discardNewArticle, findArticleByUrl, resolveArticle, retireArticle, saveNewArticle } from './corpus/article-store.js';
import { fingerprintCorpus } from './corpus/fingerprint.js';
import { type ArticleSource, importArticle } from './corpus/import-article.js';
import type { Logger } from './logger.js';
import { type GapsReport, gapsReport } from './history/gaps.js';
import { HistoryStore } from './history/history-store.js';
import { type MemberHasher, memberHasher } from './member-id.js';
import { searchableQuestion } from './question-text.js';
import { embedOffTopic } from './search/off-topic.js';
import { loadRankingModel } from './search/ranker.js';
import { type OutsideKnowledge, type SearchOptions, type SearchResult, type SearchTools, searchStory } from './search/search.js';
import { loadEnglishWords } from './search/dictionary.js';

const DAY_MS = 86_400_000;
/** How often rows older than HISTORY_DAYS are purged while the bot runs (and once at start). */
const HISTORY_PURGE_INTERVAL_MS = DAY_MS;

/** Redirects a link may take to reach its article. */
const MAX_REDIRECTS = 5;

/** How long a replaced index stays readable for searches that began on it. */
const RETIRED_INDEX_GRACE_MS = 60_000;

/**
 * Searches run at once; more wait in line. A few keep the model's threads busy, and a burst of
 * questions then queues instead of flooding the event loop the Discord client needs to stay prompt.
 */
const CONCURRENT_SEARCHES = 4;

export interface Sources {
  articles: IndexedArticle[];
  builtAt: string;
  passageCount: number;
  /** The embedding model the index was built with. */
  model: string;
  /** The build folder being served. */
  buildId: string;
}

/** The outcome of looking for a newer saved index (one another process built). */
export interface IndexReload {
  switched: boolean;
  /** The build served from now on. */
  buildId: string;
}

/** Progress of a corpus change: fetching the article, then the index build. */
export type ChangeProgress = BuildProgress | { phase: 'fetching' };

/** Who adds an article: their member id is stored only as a keyed hash. */
export interface Contributor {
  memberId: string | undefined;
  name: string;
}

export interface AddedArticle {
  file: string;
  title: string | undefined;
  site: string | undefined;
  url: string | undefined;
  published: string | undefined;
  paragraphs: number;
  passages: number;
  /** The first paragraph, as it will be quoted. */
  preview: string;
  summary: BuildSummary;
}

export interface RemovedArticle {
  file: string;
  title: string | undefined;
  /** Where the file went, relative to the corpus folder. */
  movedTo: string;
  summary: BuildSummary;
}

export interface GapsOptions {
  /** One server's questions only; every server's when undefined. */
  guildId: string | undefined;
  days: number;
  /** Entries per list. */
  limit: number;
}

/** What the bot learns from its use: the history database, and member ids as keyed hashes for it. */
export interface History {
  store: HistoryStore;
  hashMember: MemberHasher;
}

export interface App {
  ask(question: string, options?: SearchOptions): Promise<SearchResult>;
  /** Set when opened with `history: true` (the bot); the command line records nothing. */
  readonly history: History | undefined;
  /**
   * Fetches and saves an article, then indexes it (only its passages are embedded); fails with
   * REINDEX_IN_PROGRESS while another change runs, and leaves nothing behind on any failure.
   */
  addArticle(source: ArticleSource, contributor: Contributor, onProgress?: (progress: ChangeProgress) => void): Promise<AddedArticle>;
  /** Moves an article to the corpus's `.removed/` folder and reindexes; put back if the reindex fails. */
  removeArticle(name: string, onProgress?: (progress: ChangeProgress) => void): Promise<RemovedArticle>;
  /**
   * Rebuilds from the corpus folder and swaps the new index in; fails with REINDEX_IN_PROGRESS if a
   * rebuild is running here or in another process sharing the index folder.
   */
  reindex(onProgress?: (progress: BuildProgress) => void): Promise<BuildSummary>;
  /** Switches to the saved live index when another process rebuilt it; a no-op when already serving it. */
  reloadIndex(): Promise<IndexReload>;
  readonly reindexing: boolean;
  /** What the story does not cover yet, from the history; undefined without a working history database. */
  gaps(options: GapsOptions): Promise<GapsReport | undefined>;
  /** The build done while opening (index missing, stale or damaged), if there was one. */
  readonly openingBuild: BuildSummary | undefined;
  sources(): Sources;
  close(): Promise<void>;
}

export interface AppOptions {
  logger: Logger;
  /** Progress of an index build done while opening (index missing, stale or damaged). */
  onBuildProgress?: (progress: BuildProgress) => void;
  /** Skip the check that the corpus changed since the index was built (for processes that only serve). */
  trustIndex?: boolean;
  /** Record questions and votes in DATA_DIR/history.db (the bot does; the command line does not). */
  history?: boolean;
}

/** Why the saved index cannot serve as is, or undefined when it can. */
async function staleness(index: StoryIndex, config: Config): Promise<string | undefined> {
  const mismatch = manifestMismatch(index.manifest, { modelId: config.model.id, queryPrefix: config.model.queryPrefix, passagePrefix: config.model.passagePrefix });
  if (mismatch) return mismatch;
  const fingerprint = await fingerprintCorpus(config.corpusDir).catch(() => undefined);
  return fingerprint !== undefined && fingerprint !== index.manifest.corpusFingerprint ? 'the corpus changed since it was built' : undefined;
}

/** Builds from the corpus, reusing `previous`'s vectors, and logs the outcome; never touches a live index. */
async function rebuild(
  config: Config,
  embedder: Embedder,
  logger: Logger,
  previous: StoryIndex | undefined,
  onProgress: ((progress: BuildProgress) => void) | undefined,
): Promise<{ index: StoryIndex; summary: BuildSummary }> {
  const result = await buildIndex({
    corpusDir: config.corpusDir,
    indexDir: config.indexDir,
    embedder,
    prefixes: { queryPrefix: config.model.queryPrefix, passagePrefix: config.model.passagePrefix },
    previous,
    ...(onProgress ? { onProgress } : {}),
  });
  const { summary } = result;
  logger.info({ ...summary, skipped: summary.skipped.length }, summary.upToDate ? 'index already up to date' : 'index built');
  for (const { file, reason } of summary.skipped) logger.warn({ file, reason }, 'corpus file skipped');
  return result;
}

class StoryApp implements App {
  /** The corpus change or rebuild running, if any; one at a time. */
  private building: Promise<unknown> | undefined;
  private reloading: Promise<IndexReload> | undefined;
  private readonly searching = limitConcurrency(CONCURRENT_SEARCHES);

  private readonly purgeTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly config: Config,
    private readonly tools: AppTools,
    private readonly logger: Logger,
    private index: StoryIndex,
    readonly history: History | undefined,
    readonly openingBuild: BuildSummary | undefined = undefined,
  ) {
    if (history) {
      const purge = (): void => {
        const removed = history.store.purge(config.historyDays);
        if (removed > 0) logger.info({ removed, days: config.historyDays }, 'purged old history');
      };
      purge();
      this.purgeTimer = setInterval(purge, HISTORY_PURGE_INTERVAL_MS).unref();
    }
  }

  get reindexing(): boolean {
    return this.building !== undefined;
  }

  async ask(question: string, options: SearchOptions = {}): Promise<SearchResult> {
    const trimmed = searchableQuestion(question);
    return this.searching(() => {
      // Read the index once: a swap during the search cannot mix two indexes in one answer.
      const index = this.index;
      return searchStory(index, this.tools, trimmed, options);
    });
  }

  /** Makes `index` live in one assignment; the one it replaces stays readable for searches already on it. */
  private swapIn(index: StoryIndex): void {
    if (index === this.index) return;
    const replaced = this.index;
    this.index = index;
    // Searches that started on the old index may still read its sentence vectors for a moment.
    setTimeout(() => closeIndex(replaced), RETIRED_INDEX_GRACE_MS).unref();
  }

  /**
   * Runs `work` as the one corpus change of this process and of any other sharing the index
   * folder; refuses synchronously, so a second request is refused rather than raced.
   */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.building) throw new AppError(ErrorCodes.REINDEX_IN_PROGRESS, 'A reindex is already running.');
    const lock = tryLockReindex(this.config.indexDir);
    const run = async (): Promise<T> => {
      try {
        return await work();
      } finally {
        lock.release();
        this.building = undefined;
      }
    };
    const running = run();
    this.building = running;
    return running;
  }

  /** Rebuilds and swaps the new index in; on failure undoes the corpus change, and the old index keeps serving. */
  private async rebuildLive(onProgress: ((progress: BuildProgress) => void) | undefined, undo?: () => Promise<void>): Promise<BuildSummary> {
    try {
      const { index, summary } = await rebuild(this.config, this.tools.embedder, this.logger, this.index, onProgress);
      this.swapIn(index);
      return summary;
    } catch (error) {
      this.logger.error({ err: error }, 'reindex failed; the previous index keeps serving');
      await undo?.().catch((undoError: unknown) => this.logger.error({ err: undoError }, 'could not undo the corpus change'));
      throw error;
    }
  }

  reindex(onProgress?: (progress: BuildProgress) => void): Promise<BuildSummary> {
    return this.exclusive(() => this.rebuildLive(onProgress));
  }

  addArticle(source: ArticleSource, contributor: Contributor, onProgress?: (progress: ChangeProgress) => void): Promise<AddedArticle> {
    return this.exclusive(async () => {
      const { corpusDir } = this.config;
      if (source.kind === 'link') await this.refuseKnownArticle([source.link]);
      onProgress?.({ phase: 'fetching' });
      const draft = await importArticle(source, { allowedHosts: this.config.fetch.allowedHosts, timeoutMs: this.config.fetch.timeoutMs, maxRedirects: MAX_REDIRECTS });
      await this.refuseKnownArticle([draft.metadata.url, draft.fetchedFrom].filter((url): url is string => url !== undefined));
      // The bot hashes with its history's key; a process without a history reads the same key file.
      const { memberId } = contributor;
      const addedBy = memberId === undefined ? undefined : (this.history?.hashMember ?? (await memberHasher(this.config.dataDir)))(memberId);
      const metadata = { ...draft.metadata, addedBy, addedByName: contributor.name, addedAt: new Date().toISOString() };
      const file = await saveNewArticle(corpusDir, metadata, draft.paragraphs);
      this.logger.info({ file, url: metadata.url, paragraphs: draft.paragraphs.length }, 'article saved; indexing it');
      const discard = (): Promise<void> => discardNewArticle(corpusDir, file);
      const summary = await this.rebuildLive(onProgress, discard);
      const skipped = summary.skipped.find((entry) => entry.file === file);
      if (skipped) {
        // Cannot happen for a draft the loader's own rules accepted; if it does, nothing stays half-added.
        await discard();
        await this.rebuildLive(undefined);
        throw new AppError(ErrorCodes.ARTICLE_UNREADABLE, `No article to add: ${skipped.reason}. Nothing was added.`);
      }
      const indexed = this.index.articles.find((article) => article.file === file);
      return {
        file,
        title: indexed?.title ?? metadata.title,
        site: metadata.source,
        url: metadata.url,
        published: metadata.published,
        paragraphs: draft.paragraphs.length,
        passages: indexed?.passageCount ?? 0,
        preview: draft.paragraphs[0] ?? '',
        summary,
      };
    });
  }

  private async refuseKnownArticle(links: readonly string[]): Promise<void> {
    const known = await findArticleByUrl(this.config.corpusDir, links);
    if (known) {
      const title = known.metadata.title === undefined ? '' : ` ("${known.metadata.title}")`;
      throw new AppError(ErrorCodes.ARTICLE_EXISTS, `That article is already in the story: ${known.file}${title}. Nothing was added.`);
    }
  }

  removeArticle(name: string, onProgress?: (progress: ChangeProgress) => void): Promise<RemovedArticle> {
    return this.exclusive(async () => {
      const { file, metadata } = await resolveArticle(this.config.corpusDir, name);
      const retired = await retireArticle(this.config.corpusDir, file);
      this.logger.info({ file, movedTo: retired.movedTo }, 'article removed from the corpus; reindexing');
      const summary = await this.rebuildLive(onProgress, retired.restore);
      return { file, title: metadata.title, movedTo: retired.movedTo, summary };
    });
  }

  reloadIndex(): Promise<IndexReload> {
    this.reloading ??= this.switchToLiveBuild().finally(() => (this.reloading = undefined));
    return this.reloading;
  }

  private async switchToLiveBuild(): Promise<IndexReload> {
    const serving = this.index;
    const live = await liveBuildId(this.config.indexDir);
    // A rebuild running here swaps its own result in when it finishes.
    if (live === undefined || live === serving.buildId || this.building) return { switched: false, buildId: serving.buildId };
    const index = await loadIndex(this.config.indexDir);
    if (this.index !== serving || this.building) {
      // This process swapped or started rebuilding meanwhile; its index wins.
      closeIndex(index);
      return { switched: false, buildId: this.index.buildId };
    }
    this.swapIn(index);
    this.logger.info({ from: serving.buildId, to: index.buildId, passages: index.manifest.passageCount }, 'switched to the index another process built');
    return { switched: true, buildId: index.buildId };
  }

  async gaps({ guildId, days, limit }: GapsOptions): Promise<GapsReport | undefined> {
    const store = this.history?.store;
    store?.flush();
    const db = store?.database;
    if (db === undefined) return undefined;
    const { vocabulary } = this.index;
    const storyKnows = (word: string): boolean => vocabulary.has(normalizeWord(word));
    return gapsReport(db, this.tools.embedder, { guildId, since: Date.now() - days * DAY_MS, limit, storyKnows });
  }

  sources(): Sources {
    const { articles, manifest, buildId } = this.index;
    return { articles, builtAt: manifest.builtAt, passageCount: manifest.passageCount, model: manifest.embedding.modelId, buildId };
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.building, this.reloading]);
    clearInterval(this.purgeTimer);
    this.history?.store.close();
    closeIndex(this.index);
    await this.tools.embedder.dispose();
  }
}

/** The saved index, and whether it can serve as is; a stale or outdated one is kept to reuse its vectors. */
async function openSavedIndex(config: Config, logger: Logger, trustIndex: boolean): Promise<{ index?: StoryIndex; usable: boolean }> {
  try {
    const index = await loadIndex(config.indexDir);
    const reason = trustIndex ? undefined : await staleness(index, config);
    if (reason === undefined) return { index, usable: true };
    logger.info({ reason }, 'the index is out of date; rebuilding');
    return { index, usable: false };
  } catch (error) {
    if (isAppError(error, ErrorCodes.INDEX_CORRUPT)) logger.warn({ err: error }, 'the saved index is damaged; rebuilding');
    else if (isAppError(error, ErrorCodes.INDEX_OUTDATED)) logger.info({ reason: error.message }, 'the index was written by another version; rebuilding');
    else if (isAppError(error, ErrorCodes.INDEX_MISSING)) logger.info({ indexDir: config.indexDir }, 'no index yet; building it');
    else throw error;
    return { usable: false };
  }
}

/** What answering needs besides an index: the model, and knowledge of the world outside the story. */
export interface Engine {
  embedder: Embedder;
  outside: OutsideKnowledge;
  prefixes: { queryPrefix: string; passagePrefix: string };
}

/** What the app answers with: the engine and the trained ranking model. */
type AppTools = SearchTools & Engine;

/** Loads the configured model (building the embedded one on first use) and the outside knowledge. */
export async function openEngine(config: Config, logger: Logger): Promise<Engine> {
  const embedder = await createTransformersEmbedder({
    model: config.model,
    cacheDir: config.modelCacheDir,
    hubUrl: config.modelHubUrl,
    batchSize: config.embedBatchSize,
    onModelBuild: () => logger.info({ cacheDir: config.modelCacheDir }, 'building the embedded model (once)'),
  });
  try {
    const outside: OutsideKnowledge = { offTopic: await embedOffTopic(embedder), englishWords: await loadEnglishWords() };
    return { embedder, outside, prefixes: { queryPrefix: config.model.queryPrefix, passagePrefix: config.model.passagePrefix } };
  } catch (error) {
    await embedder.dispose();
    throw error;
  }
}

/** The history database and the member-id key; neither failing stops the bot (votes are then refused, questions not recorded). */
async function openHistory(config: Config, logger: Logger): Promise<History> {
  const store = HistoryStore.open(config.dataDir, logger);
  try {
    return { store, hashMember: await memberHasher(config.dataDir) };
  } catch (error) {
    logger.error({ err: error, dataDir: config.dataDir }, 'could not read or make the member-id key; votes cannot be stored');
    const reason = error instanceof Error ? error.message : String(error);
    return {
      store,
      hashMember: () => {
        throw new Error(`member ids cannot be hashed (${reason})`);
      },
    };
  }
}

/** Loads the model and the saved index; builds the index first when it is missing, stale or damaged. */
export async function createApp(config: Config, options: AppOptions): Promise<App> {
  const { logger } = options;
  const trustIndex = options.trustIndex ?? false;
  const engine = await openEngine(config, logger);
  const { embedder } = engine;
  let tools: AppTools;
  let history: History | undefined;
  try {
    tools = { ...engine, model: loadRankingModel() };
    history = options.history ? await openHistory(config, logger) : undefined;
    let saved = await openSavedIndex(config, logger, trustIndex);
    if (saved.usable && saved.index) return new StoryApp(config, tools, logger, saved.index, history);
    let waited = false;
    const lock = await lockReindex(config.indexDir, {
      onWait: () => {
        waited = true;
        logger.info({ indexDir: config.indexDir }, 'another process is rebuilding the index; waiting for it');
      },
    });
    try {
      if (waited) {
        // That process may have built just what this one needs.
        const again = await openSavedIndex(config, logger, trustIndex);
        if (again.index && saved.index) closeIndex(saved.index);
        if (again.usable && again.index) return new StoryApp(config, tools, logger, again.index, history);
        if (again.index) saved = again;
      }
      const previous = saved.index;
      try {
        const { index, summary } = await rebuild(config, embedder, logger, previous, options.onBuildProgress);
        if (previous && previous !== index) closeIndex(previous);
        return new StoryApp(config, tools, logger, index, history, summary);
      } catch (error) {
        if (!previous) throw error;
        // A stale index answers better than none: serve it, and say why it was not refreshed.
        logger.error({ err: error }, 'could not refresh the index; serving the previous one');
        return new StoryApp(config, tools, logger, previous, history);
      }
    } finally {
      lock.release();
    }
  } catch (error) {
    history?.store.close();
    await embedder.dispose();
    throw error;
  }
}
