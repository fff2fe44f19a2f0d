/**
 * @module story-app: one story's use cases: ask, reindex, add and remove an article, sources, gaps.
 * It owns the story's live index and swaps in a rebuilt one only when the rebuild succeeded, so
 * questions keep being answered from the old index meanwhile, and after a failure; a corpus change
 * whose rebuild fails is undone, so the folder matches the live index. A story without articles yet
 * has no index: it answers nothing until one is added.
 */
import type { Limited } from './concurrency-limit.js';
import type { Config } from './config.js';
import type { Embedder } from './embeddings/embedder.js';
import { AppError, ErrorCodes, isAppError } from './errors.js';
import { type BuildProgress, type BuildSummary, buildIndex } from './index/build-index.js';
import { HNSW_FILE, closeIndex, liveBuildId, loadIndex } from './index/index-store.js';
import { RESIDENT_LIMIT_BYTES } from './index/file-bytes.js';
import { GRAPH_FIXED_BYTES } from './index/vector-index.js';
import { manifestMismatch } from './index/manifest.js';
import { normalizeWord } from './index/terms.js';
import type { IndexedArticle, StoryIndex } from './index/story-index.js';
import { discardNewArticle, findArticleByUrl, resolveArticle, retireArticle, saveNewArticle } from './corpus/article-store.js';
import { fingerprintCorpus } from './corpus/fingerprint.js';
import { type ArticleSource, importArticle } from './corpus/import-article.js';
import type { Logger } from './logger.js';
import { type GapsReport, gapsReport } from './history/gaps.js';
import type { HistoryStore } from './history/history-store.js';
import type { Storage } from './storage/storage.js';
import { type MemberHasher, memberHasher } from './member-id.js';
import { searchableQuestion } from './question-text.js';
import type { OutsideKnowledge, SearchOptions, SearchResult, SearchTools } from './search/search.js';
import { searchStory } from './search/search.js';
import { type Story, isOperatorStory } from './stories/story.js';
import type { StoryReplica } from './stories/story-replica.js';
import { type StoryStore, corpusUsage } from './stories/story-store.js';

const DAY_MS = 86_400_000;

/** Redirects a link may take to reach its article. */
const MAX_REDIRECTS = 5;

/** How long a replaced index stays readable for searches that began on it. */
const RETIRED_INDEX_GRACE_MS = 60_000;

export interface Sources {
  articles: IndexedArticle[];
  /** When the live index was built; undefined while the story has no articles. */
  builtAt: string | undefined;
  passageCount: number;
  /** The embedding model the index was built with. */
  model: string;
  /** The build folder being served; undefined while the story has no articles. */
  buildId: string | undefined;
}

/** The outcome of looking for a newer saved index (one another process built). */
export interface IndexReload {
  switched: boolean;
  /** The build served from now on (undefined: the story has none yet). */
  buildId: string | undefined;
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

/** What answering needs besides an index: the model, and knowledge of the world outside the story. */
export interface Engine {
  embedder: Embedder;
  outside: OutsideKnowledge;
  prefixes: { queryPrefix: string; passagePrefix: string };
}

/** What every story of one app shares: settings, the engine and ranking model, the history, the stories on disk. */
export interface StoryDeps {
  config: Config;
  tools: SearchTools & Engine;
  logger: Logger;
  history: History | undefined;
  /** The shared state (channel bindings, history, member key): SQLite or PostgreSQL. */
  storage: Storage;
  stories: StoryStore;
  /** Servers' stories as copies of their snapshots in PostgreSQL; undefined on SQLite, where this host's folders are the stories. */
  replica: StoryReplica | undefined;
  /** Searches of every story wait their turn here (see app.ts). */
  searching: Limited;
}

export interface StoryApp {
  readonly story: Story;
  ask(question: string, options?: SearchOptions): Promise<SearchResult>;
  /**
   * Fetches and saves an article, then indexes it (only its passages are embedded); fails with
   * REINDEX_IN_PROGRESS while another change of this story runs, and leaves nothing behind on any failure.
   */
  addArticle(source: ArticleSource, contributor: Contributor, onProgress?: (progress: ChangeProgress) => void): Promise<AddedArticle>;
  /** Moves an article to the corpus's `.removed/` folder and reindexes; put back if the reindex fails. */
  removeArticle(name: string, onProgress?: (progress: ChangeProgress) => void): Promise<RemovedArticle>;
  /**
   * Rebuilds from the corpus folder and swaps the new index in; fails with REINDEX_IN_PROGRESS if a
   * rebuild of this story is running here or in another process sharing its index folder.
   */
  reindex(onProgress?: (progress: BuildProgress) => void): Promise<BuildSummary>;
  /** Switches to the saved live index when another process rebuilt it; a no-op when already serving it. */
  reloadIndex(): Promise<IndexReload>;
  readonly reindexing: boolean;
  /** The latest change's hold on the story's lock: resolves once it holds it, rejects (REINDEX_IN_PROGRESS) when another process does. */
  readonly changeLocked: Promise<void> | undefined;
  /** Questions being answered right now (an index is evicted from memory only when none are). */
  readonly answering: number;
  /** Roughly the memory the loaded index takes (its graph and the files read into memory), for the memory budget. */
  readonly memoryBytes: number;
  /** What the story does not cover yet, from the history; undefined without a working history database. */
  gaps(options: GapsOptions): Promise<GapsReport | undefined>;
  /** The build done while opening (index missing, stale or damaged), if there was one. */
  readonly openingBuild: BuildSummary | undefined;
  sources(): Sources;
  /** Waits for the story's work in flight, then releases its index (the engine and history stay open). */
  close(): Promise<void>;
}

/** Why the saved index cannot serve as is, or undefined when it can. */
async function staleness(index: StoryIndex, story: Story, config: Config): Promise<string | undefined> {
  const mismatch = manifestMismatch(index.manifest, { modelId: config.model.id, queryPrefix: config.model.queryPrefix, passagePrefix: config.model.passagePrefix });
  if (mismatch) return mismatch;
  const fingerprint = await fingerprintCorpus(story.corpusDir).catch(() => undefined);
  return fingerprint !== undefined && fingerprint !== index.manifest.corpusFingerprint ? 'the corpus changed since it was built' : undefined;
}

/** Builds from the story's corpus, reusing `previous`'s vectors, and logs the outcome; never touches a live index. */
async function rebuild(
  story: Story,
  deps: StoryDeps,
  previous: StoryIndex | undefined,
  onProgress: ((progress: BuildProgress) => void) | undefined,
): Promise<{ index: StoryIndex; summary: BuildSummary }> {
  const { config, tools, logger } = deps;
  const result = await buildIndex({
    corpusDir: story.corpusDir,
    indexDir: story.indexDir,
    embedder: tools.embedder,
    prefixes: { queryPrefix: config.model.queryPrefix, passagePrefix: config.model.passagePrefix },
    previous,
    ...(onProgress ? { onProgress } : {}),
  }).catch((error: unknown) => {
    // The loader's message names the folder on the host, which a server's members must not see.
    if (!isOperatorStory(story) && isAppError(error, ErrorCodes.CORPUS_EMPTY)) throw new AppError(ErrorCodes.CORPUS_EMPTY, 'This story has no usable article to index yet; add one with /article add.', { cause: error });
    throw error;
  });
  const { summary } = result;
  if (deps.replica !== undefined && !isOperatorStory(story)) {
    const { articleCount, passageCount } = result.index.manifest;
    await deps.replica.publish(story, { articles: articleCount, passages: passageCount }).catch((error: unknown) => {
      if (result.index !== previous) closeIndex(result.index);
      throw new AppError(ErrorCodes.SNAPSHOT_FAILED, 'The new index could not be shared with the other replicas; the previous one keeps serving.', { cause: error });
    });
  }
  logger.info({ story: story.id, ...summary, skipped: summary.skipped.length }, summary.upToDate ? 'index already up to date' : 'index built');
  for (const { file, reason } of summary.skipped) logger.warn({ story: story.id, file, reason }, 'corpus file skipped');
  return result;
}

/** What asking a story without articles gets. */
export function emptyStory(): AppError {
  return new AppError(ErrorCodes.STORY_EMPTY, 'This story has no articles yet. A server manager can add one with /article add.');
}

/**
 * JavaScript memory a loaded index grows per passage as it answers: its term maps, and the passages
 * and terms the search keeps for the next question. Measured on 50-passage stories (garbage
 * collected): 323 KB of resident memory each, of which the files and graph are 138 KB.
 */
const JS_BYTES_PER_PASSAGE = 4 * 1024;

/** Memory a loaded index holds: its vector graph if held (with hnswlib's fixed locks), each file small enough to be read into memory (file-bytes.ts), and its JavaScript objects. */
function indexBytes(index: StoryIndex | undefined): number {
  if (index === undefined) return 0;
  const graph = index.vectors.holdsGraph ? GRAPH_FIXED_BYTES + (index.manifest.files[HNSW_FILE]?.bytes ?? 0) : 0;
  const files = Object.entries(index.manifest.files).reduce((sum, [name, file]) => sum + (name !== HNSW_FILE && file.bytes <= RESIDENT_LIMIT_BYTES ? file.bytes : 0), 0);
  return graph + files + index.manifest.passageCount * JS_BYTES_PER_PASSAGE;
}

class LoadedStory implements StoryApp {
  /** The corpus change or rebuild running, if any; one at a time. */
  private building: Promise<unknown> | undefined;
  changeLocked: Promise<void> | undefined;
  private reloading: Promise<IndexReload> | undefined;
  private inFlight = 0;
  /** Who waits for the questions in flight to finish (close). */
  private readonly drained: (() => void)[] = [];

  constructor(
    readonly story: Story,
    private readonly deps: StoryDeps,
    private index: StoryIndex | undefined,
    readonly openingBuild: BuildSummary | undefined = undefined,
  ) {}

  get reindexing(): boolean {
    return this.building !== undefined;
  }

  get answering(): number {
    return this.inFlight;
  }

  get memoryBytes(): number {
    return indexBytes(this.index);
  }

  async ask(question: string, options: SearchOptions = {}): Promise<SearchResult> {
    const trimmed = searchableQuestion(question);
    this.inFlight += 1;
    try {
      return await this.deps.searching(() => {
        // Read the index once: a swap during the search cannot mix two indexes in one answer.
        const index = this.index;
        if (index === undefined) throw emptyStory();
        return searchStory(index, this.deps.tools, trimmed, options);
      });
    } finally {
      this.inFlight -= 1;
      if (this.inFlight === 0) for (const resume of this.drained.splice(0)) resume();
    }
  }

  /** Makes `index` live in one assignment; the one it replaces stays readable for searches already on it. */
  private swapIn(index: StoryIndex): void {
    if (index === this.index) return;
    const replaced = this.index;
    this.index = index;
    // Searches that started on the old index may still read its sentence vectors for a moment.
    if (replaced !== undefined) setTimeout(() => closeIndex(replaced), RETIRED_INDEX_GRACE_MS).unref();
  }

  /**
   * Runs `work` as the one corpus change of this story, in this process and any other sharing its
   * index folder; refuses synchronously, so a second request is refused rather than raced.
   */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.building) throw new AppError(ErrorCodes.REINDEX_IN_PROGRESS, 'A reindex is already running.');
    let locked: () => void = () => undefined;
    let refused: (error: unknown) => void = () => undefined;
    this.changeLocked = new Promise<void>((resolve, reject) => {
      locked = resolve;
      refused = reject;
    });
    // Whoever needs it awaits it; the change's own promise carries the failure too.
    this.changeLocked.catch(() => undefined);
    const run = async (): Promise<T> => {
      try {
        const lock = await this.deps.storage.locks.tryLock(this.story).catch((error: unknown) => {
          refused(error);
          throw error;
        });
        locked();
        try {
          await this.catchUpUnderLock();
          return await work();
        } finally {
          await lock.release();
        }
      } finally {
        this.building = undefined;
      }
    };
    const running = run();
    this.building = running;
    return running;
  }

  /** Before a change: another replica may have changed the story since this one loaded it, and the change builds on the latest. */
  private async catchUpUnderLock(): Promise<void> {
    const { replica } = this.deps;
    if (replica === undefined || isOperatorStory(this.story)) return;
    const caughtUp = await replica.catchUp(this.story);
    await replica.changing(this.story);
    if (!caughtUp) return;
    const live = await liveBuildId(this.story.indexDir);
    if (live !== undefined && live !== this.index?.buildId) this.swapIn(await loadIndex(this.story.indexDir));
  }

  /** Rebuilds and swaps the new index in; on failure undoes the corpus change, and the old index keeps serving. */
  private async rebuildLive(onProgress: ((progress: BuildProgress) => void) | undefined, undo?: () => Promise<void>): Promise<BuildSummary> {
    try {
      const { index, summary } = await rebuild(this.story, this.deps, this.index, onProgress);
      this.swapIn(index);
      return summary;
    } catch (error) {
      this.deps.logger.error({ err: error, story: this.story.id }, 'reindex failed; the previous index keeps serving');
      await undo?.().catch((undoError: unknown) => this.deps.logger.error({ err: undoError, story: this.story.id }, 'could not undo the corpus change'));
      throw error;
    }
  }

  reindex(onProgress?: (progress: BuildProgress) => void): Promise<BuildSummary> {
    return this.exclusive(() => this.rebuildLive(onProgress));
  }

  addArticle(source: ArticleSource, contributor: Contributor, onProgress?: (progress: ChangeProgress) => void): Promise<AddedArticle> {
    return this.exclusive(async () => {
      const { config, stories, history, storage, logger } = this.deps;
      const { corpusDir } = this.story;
      await stories.checkRoom(this.story, { articles: 1, bytes: 0 });
      if (source.kind === 'link') await this.refuseKnownArticle([source.link]);
      onProgress?.({ phase: 'fetching' });
      const draft = await importArticle(source, { allowedHosts: config.fetch.allowedHosts, timeoutMs: config.fetch.timeoutMs, maxRedirects: MAX_REDIRECTS });
      await this.refuseKnownArticle([draft.metadata.url, draft.fetchedFrom].filter((url): url is string => url !== undefined));
      await stories.checkRoom(this.story, { articles: 1, bytes: draft.paragraphs.reduce((sum, paragraph) => sum + Buffer.byteLength(paragraph) + 2, 0) });
      // The bot hashes with its history's key; a process without a history reads the same key.
      const { memberId } = contributor;
      const addedBy = memberId === undefined ? undefined : (history?.hashMember ?? memberHasher(await storage.memberKey()))(memberId);
      const metadata = { ...draft.metadata, addedBy, addedByName: contributor.name, addedAt: new Date().toISOString() };
      const file = await saveNewArticle(corpusDir, metadata, draft.paragraphs);
      logger.info({ story: this.story.id, file, url: metadata.url, paragraphs: draft.paragraphs.length }, 'article saved; indexing it');
      const discard = (): Promise<void> => discardNewArticle(corpusDir, file);
      const summary = await this.rebuildLive(onProgress, discard);
      const skipped = summary.skipped.find((entry) => entry.file === file);
      if (skipped) {
        // Cannot happen for a draft the loader's own rules accepted; if it does, nothing stays half-added.
        await discard();
        await this.rebuildLive(undefined);
        throw new AppError(ErrorCodes.ARTICLE_UNREADABLE, `No article to add: ${skipped.reason}. Nothing was added.`);
      }
      const indexed = this.index?.articles.find((article) => article.file === file);
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
    const known = await findArticleByUrl(this.story.corpusDir, links);
    if (known) {
      const title = known.metadata.title === undefined ? '' : ` ("${known.metadata.title}")`;
      throw new AppError(ErrorCodes.ARTICLE_EXISTS, `That article is already in the story: ${known.file}${title}. Nothing was added.`);
    }
  }

  removeArticle(name: string, onProgress?: (progress: ChangeProgress) => void): Promise<RemovedArticle> {
    return this.exclusive(async () => {
      const { corpusDir } = this.story;
      const { file, metadata } = await resolveArticle(corpusDir, name);
      if (!isOperatorStory(this.story) && (await corpusUsage(corpusDir)).articles <= 1) {
        throw new AppError(ErrorCodes.CORPUS_EMPTY, 'That is the story’s only article, and a story keeps at least one. To remove the whole story, use /story delete.');
      }
      const retired = await retireArticle(corpusDir, file);
      this.deps.logger.info({ story: this.story.id, file, movedTo: retired.movedTo }, 'article removed from the corpus; reindexing');
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
    const live = await liveBuildId(this.story.indexDir);
    // A rebuild running here swaps its own result in when it finishes.
    if (live === undefined || live === serving?.buildId || this.building) return { switched: false, buildId: serving?.buildId };
    const index = await loadIndex(this.story.indexDir);
    if (this.index !== serving || this.building) {
      // This process swapped or started rebuilding meanwhile; its index wins.
      closeIndex(index);
      return { switched: false, buildId: this.index?.buildId };
    }
    this.swapIn(index);
    this.deps.logger.info({ story: this.story.id, from: serving?.buildId, to: index.buildId, passages: index.manifest.passageCount }, 'switched to the index another process built');
    return { switched: true, buildId: index.buildId };
  }

  async gaps({ guildId, days, limit }: GapsOptions): Promise<GapsReport | undefined> {
    const store = this.deps.history?.store;
    if (store === undefined || !store.status().ok) return undefined;
    const vocabulary = this.index?.vocabulary;
    const storyKnows = (word: string): boolean => vocabulary?.has(normalizeWord(word)) ?? false;
    return gapsReport(store, this.deps.tools.embedder, { storyId: this.story.id, guildId, since: Date.now() - days * DAY_MS, limit, storyKnows });
  }

  sources(): Sources {
    const model = this.index?.manifest.embedding.modelId ?? this.deps.config.model.id;
    if (this.index === undefined) return { articles: [], builtAt: undefined, passageCount: 0, model, buildId: undefined };
    const { articles, manifest, buildId } = this.index;
    return { articles, builtAt: manifest.builtAt, passageCount: manifest.passageCount, model, buildId };
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.building, this.reloading]);
    if (this.inFlight > 0) await new Promise<void>((resolve) => this.drained.push(resolve));
    if (this.index !== undefined) closeIndex(this.index);
    this.index = undefined;
  }
}

/** The saved index, and whether it can serve as is; a stale or outdated one is kept to reuse its vectors. */
async function openSavedIndex(story: Story, deps: StoryDeps, trustIndex: boolean): Promise<{ index?: StoryIndex; usable: boolean; missing?: boolean }> {
  const { logger, config } = deps;
  try {
    const index = await loadIndex(story.indexDir);
    const reason = trustIndex ? undefined : await staleness(index, story, config);
    if (reason === undefined) return { index, usable: true };
    logger.info({ story: story.id, reason }, 'the index is out of date; rebuilding');
    return { index, usable: false };
  } catch (error) {
    if (isAppError(error, ErrorCodes.INDEX_CORRUPT)) logger.warn({ err: error, story: story.id }, 'the saved index is damaged; rebuilding');
    else if (isAppError(error, ErrorCodes.INDEX_OUTDATED)) logger.info({ story: story.id, reason: error.message }, 'the index was written by another version; rebuilding');
    else if (isAppError(error, ErrorCodes.INDEX_MISSING)) return { usable: false, missing: true };
    else throw error;
    return { usable: false };
  }
}

export interface OpenStoryOptions {
  /** Progress of an index build done while opening (index missing, stale or damaged). */
  onBuildProgress?: ((progress: BuildProgress) => void) | undefined;
  /** Skip the check that the corpus changed since the index was built (for processes that only serve). */
  trustIndex: boolean;
}

/**
 * Loads the story's saved index; builds it first when it is missing, stale or damaged, under the
 * story's reindex lock (waiting while another process builds it). A server story with no articles
 * yet opens with no index.
 */
export async function openStory(story: Story, deps: StoryDeps, options: OpenStoryOptions): Promise<StoryApp> {
  const { logger } = deps;
  // Deleted meanwhile: taking its lock below would make its folder again.
  if (deps.stories.find(story.id) === undefined) throw new AppError(ErrorCodes.STORY_NOT_FOUND, 'That story has been deleted.');
  const replica = isOperatorStory(story) ? undefined : deps.replica;
  await replica?.catchUp(story);
  const { trustIndex } = options;
  let saved = await openSavedIndex(story, deps, trustIndex);
  if (saved.usable && saved.index) return new LoadedStory(story, deps, saved.index);
  if (saved.missing) logger.info({ story: story.id, indexDir: story.indexDir }, 'no index yet; building it');
  let waited = false;
  const lock = await deps.storage.locks.lock(story, () => {
    waited = true;
    logger.info({ story: story.id, indexDir: story.indexDir }, 'another process is rebuilding the index; waiting for it');
  });
  try {
    // Another replica may have published while this one waited, or before it took the lock.
    const caughtUp = (await replica?.catchUp(story)) ?? false;
    if (waited || caughtUp) {
      // That process may have built just what this one needs.
      const again = await openSavedIndex(story, deps, trustIndex);
      if (again.index && saved.index) closeIndex(saved.index);
      if (again.usable && again.index) return new LoadedStory(story, deps, again.index);
      if (again.index) saved = again;
    }
    const previous = saved.index;
    try {
      const { index, summary } = await rebuild(story, deps, previous, options.onBuildProgress);
      if (previous && previous !== index) closeIndex(previous);
      return new LoadedStory(story, deps, index, summary);
    } catch (error) {
      // A server's new story has nothing to index until an article is added.
      if (!previous && !isOperatorStory(story) && isAppError(error, ErrorCodes.CORPUS_EMPTY)) return new LoadedStory(story, deps, undefined);
      if (!previous) throw error;
      // A stale index answers better than none: serve it, and say why it was not refreshed.
      logger.error({ err: error, story: story.id }, 'could not refresh the index; serving the previous one');
      return new LoadedStory(story, deps, previous);
    }
  } finally {
    await lock.release();
  }
}
