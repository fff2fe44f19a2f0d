/**
 * @module app: the use cases both front ends (Discord bot, CLI) share: ask, reindex, sources.
 * It owns the live index and swaps in a rebuilt one only when the rebuild succeeded, so questions
 * keep being answered from the old index meanwhile, and after a failure.
 */
import { limitConcurrency } from './concurrency-limit.js';
import type { Config } from './config.js';
import type { Embedder } from './embeddings/embedder.js';
import { createTransformersEmbedder } from './embeddings/transformers-embedder.js';
import { AppError, ErrorCodes, isAppError } from './errors.js';
import { type BuildProgress, type BuildSummary, buildIndex } from './index/build-index.js';
import { closeIndex, loadIndex } from './index/index-store.js';
import { manifestMismatch } from './index/manifest.js';
import type { IndexedArticle, StoryIndex } from './index/story-index.js';
import { fingerprintCorpus } from './corpus/fingerprint.js';
import type { Logger } from './logger.js';
import { searchableQuestion } from './question-text.js';
import { embedOffTopic } from './search/off-topic.js';
import { type OutsideKnowledge, type SearchOptions, type SearchResult, searchStory } from './search/search.js';
import { loadEnglishWords } from './search/dictionary.js';

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
}

export interface App {
  ask(question: string, options?: SearchOptions): Promise<SearchResult>;
  /** Rebuilds from the corpus folder and swaps the new index in; fails with REINDEX_IN_PROGRESS if one is running. */
  reindex(onProgress?: (progress: BuildProgress) => void): Promise<BuildSummary>;
  readonly reindexing: boolean;
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
  private building: Promise<BuildSummary> | undefined;
  private readonly searching = limitConcurrency(CONCURRENT_SEARCHES);

  constructor(
    private readonly config: Config,
    private readonly embedder: Embedder,
    private readonly logger: Logger,
    private index: StoryIndex,
    private readonly outside: OutsideKnowledge,
    readonly openingBuild: BuildSummary | undefined = undefined,
  ) {}

  get reindexing(): boolean {
    return this.building !== undefined;
  }

  async ask(question: string, options: SearchOptions = {}): Promise<SearchResult> {
    const trimmed = searchableQuestion(question);
    return this.searching(() => {
      // Read the index once: a swap during the search cannot mix two indexes in one answer.
      const index = this.index;
      return searchStory(index, this.embedder, trimmed, { outside: this.outside, ...options });
    });
  }

  reindex(onProgress?: (progress: BuildProgress) => void): Promise<BuildSummary> {
    if (this.building) throw new AppError(ErrorCodes.REINDEX_IN_PROGRESS, 'A reindex is already running.');
    const run = async (): Promise<BuildSummary> => {
      try {
        const { index, summary } = await rebuild(this.config, this.embedder, this.logger, this.index, onProgress);
        if (index !== this.index) {
          const replaced = this.index;
          this.index = index;
          // Searches that started on the old index may still read its sentence vectors for a moment.
          setTimeout(() => closeIndex(replaced), RETIRED_INDEX_GRACE_MS).unref();
        }
        return summary;
      } catch (error) {
        this.logger.error({ err: error }, 'reindex failed; the previous index keeps serving');
        throw error;
      } finally {
        this.building = undefined;
      }
    };
    this.building = run();
    return this.building;
  }

  sources(): Sources {
    const { articles, manifest } = this.index;
    return { articles, builtAt: manifest.builtAt, passageCount: manifest.passageCount };
  }

  async close(): Promise<void> {
    await this.building?.catch(() => undefined);
    closeIndex(this.index);
    await this.embedder.dispose();
  }
}

/** Loads the model and the saved index; builds the index first when it is missing, stale or damaged. */
export async function createApp(config: Config, options: AppOptions): Promise<App> {
  const { logger } = options;
  const embedder = await createTransformersEmbedder({
    model: config.model,
    cacheDir: config.modelCacheDir,
    hubUrl: config.modelHubUrl,
    batchSize: config.embedBatchSize,
    onModelBuild: () => logger.info({ cacheDir: config.modelCacheDir }, 'building the embedded model (once)'),
  });
  const outside: OutsideKnowledge = { offTopic: await embedOffTopic(embedder), englishWords: await loadEnglishWords() };
  let previous: StoryIndex | undefined;
  try {
    previous = await loadIndex(config.indexDir);
    const reason = options.trustIndex ? undefined : await staleness(previous, config);
    if (reason === undefined) return new StoryApp(config, embedder, logger, previous, outside);
    logger.info({ reason }, 'the index is out of date; rebuilding');
  } catch (error) {
    if (isAppError(error, ErrorCodes.INDEX_CORRUPT)) logger.warn({ err: error }, 'the saved index is damaged; rebuilding');
    else if (isAppError(error, ErrorCodes.INDEX_OUTDATED)) logger.info({ reason: error.message }, 'the index was written by another version; rebuilding');
    else if (isAppError(error, ErrorCodes.INDEX_MISSING)) logger.info({ indexDir: config.indexDir }, 'no index yet; building it');
    else {
      await embedder.dispose();
      throw error;
    }
  }
  try {
    const { index, summary } = await rebuild(config, embedder, logger, previous, options.onBuildProgress);
    if (previous && previous !== index) closeIndex(previous);
    return new StoryApp(config, embedder, logger, index, outside, summary);
  } catch (error) {
    if (previous) {
      // A stale index answers better than none: serve it, and say why it was not refreshed.
      logger.error({ err: error }, 'could not refresh the index; serving the previous one');
      return new StoryApp(config, embedder, logger, previous, outside);
    }
    await embedder.dispose();
    throw error;
  }
}
