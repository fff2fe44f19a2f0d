/**
 * @module transformers-embedder: the Embedder on transformers.js's feature-extraction pipeline.
 * The embedded model is built locally; hub models use transformers.js's own download-and-cache path.
 */
import { type FeatureExtractionPipeline, type PretrainedModelOptions, type Tensor, env, pipeline } from '@huggingface/transformers';
import { AppError, ErrorCodes } from '../errors.js';
import type { EmbedPassagesOptions, Embedder } from './embedder.js';
import type { ModelSpec } from './models.js';
import { ensureUseLiteModel } from './use-lite/build-model.js';

export interface TransformersEmbedderOptions {
  model: ModelSpec;
  /** Where the embedded model is built and hub models are cached. */
  cacheDir: string;
  /** Base URL of the model hub (a mirror, or a local stand-in in tests). @default transformers.js's own (huggingface.co) */
  hubUrl?: string | undefined;
  /** Texts per model call. @default 32 */
  batchSize?: number | undefined;
  /**
   * Threads one model call may use. @default ONNX Runtime's: one per core, which suits one process
   * per machine; several processes on one machine (replicas, shards) each want fewer, or their
   * threads crowd each other out.
   */
  threads?: number | undefined;
  /** Told when the embedded model is being built (a one-off, under a second). */
  onModelBuild?: () => void;
}

const DEFAULT_BATCH_SIZE = 32;
/** transformers.js keeps settings in one global `env`; remember its default hub to restore it. */
const DEFAULT_HUB_URL = env.remoteHost;

function describe(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error instanceof Error ? error.message : String(error)}${cause}`;
}

/** What every pipeline is loaded with: full precision, and the thread count when one is set. */
function pipelineOptions(options: TransformersEmbedderOptions): PretrainedModelOptions {
  const { threads } = options;
  return { dtype: 'fp32', ...(threads === undefined ? {} : { session_options: { intraOpNumThreads: threads, interOpNumThreads: 1 } }) };
}

async function loadHubPipeline(options: TransformersEmbedderOptions): Promise<FeatureExtractionPipeline> {
  const { model, cacheDir } = options;
  env.allowRemoteModels = true;
  env.useFSCache = true;
  env.cacheDir = cacheDir;
  // Hub ids such as "use-lite" must never be mistaken for folders inside the library's own directory.
  env.localModelPath = cacheDir;
  const hubUrl = options.hubUrl ?? DEFAULT_HUB_URL;
  env.remoteHost = hubUrl.endsWith('/') ? hubUrl : `${hubUrl}/`;
  try {
    return await pipeline('feature-extraction', model.id, pipelineOptions(options));
  } catch (cause) {
    throw new AppError(
      ErrorCodes.MODEL_UNAVAILABLE,
      `Embedding model "${model.id}" is not in the cache folder ${cacheDir} and could not be downloaded from ` +
        `${env.remoteHost} (${describe(cause)}). Fix: run once with network access to that hub (or set MODEL_HUB_URL ` +
        `to a reachable mirror), copy the model's files into ${cacheDir}/${model.id}, or use EMBEDDING_MODEL=use-lite, ` +
        'which needs no download.',
      { cause },
    );
  }
}

async function loadEmbeddedPipeline(options: TransformersEmbedderOptions): Promise<FeatureExtractionPipeline> {
  const { modelDir } = await ensureUseLiteModel(options.cacheDir, { onBuild: options.onModelBuild });
  // An absolute folder is never a hub id, so transformers.js reads it directly and never goes online.
  return pipeline('feature-extraction', modelDir, pipelineOptions(options));
}

function rows(tensor: Tensor): Float32Array[] {
  const [count = 0, dimensions = 0] = tensor.dims;
  const data = tensor.data as Float32Array;
  return Array.from({ length: count }, (_, k) => data.slice(k * dimensions, (k + 1) * dimensions));
}

class TransformersEmbedder implements Embedder {
  constructor(
    private readonly extractor: FeatureExtractionPipeline,
    private readonly spec: ModelSpec,
    readonly dimensions: number,
    readonly maxTokens: number,
    private readonly batchSize: number,
  ) {}

  get modelId(): string {
    return this.spec.id;
  }

  private async embed(texts: string[]): Promise<Float32Array[]> {
    return rows(await this.extractor(texts, { pooling: this.spec.pooling, normalize: true }));
  }

  async embedPassages(texts: readonly string[], options: EmbedPassagesOptions = {}): Promise<Float32Array[]> {
    // Batches of similar length waste less work on padding.
    const order = texts.map((_, k) => k).sort((a, b) => (texts[a]?.length ?? 0) - (texts[b]?.length ?? 0));
    const vectors = new Array<Float32Array>(texts.length);
    for (let start = 0; start < order.length; start += this.batchSize) {
      const batch = order.slice(start, start + this.batchSize);
      const embedded = await this.embed(batch.map((k) => this.spec.passagePrefix + (texts[k] ?? '')));
      batch.forEach((k, row) => {
        vectors[k] = embedded[row] ?? new Float32Array(this.dimensions);
      });
      options.onProgress?.({ done: Math.min(start + batch.length, texts.length), total: texts.length });
    }
    return vectors;
  }

  async embedQuery(text: string): Promise<Float32Array> {
    const [vector] = await this.embed([this.spec.queryPrefix + text]);
    if (!vector) throw new Error('the model returned no vector');
    return vector;
  }

  countTokens(text: string): number {
    return this.extractor.tokenizer.encode(text).length;
  }

  async dispose(): Promise<void> {
    await this.extractor.dispose();
  }
}

/** Loads (and for the embedded model, first builds) the model, and warms it with one call. */
export async function createTransformersEmbedder(options: TransformersEmbedderOptions): Promise<Embedder> {
  const extractor = options.model.source === 'embedded' ? await loadEmbeddedPipeline(options) : await loadHubPipeline(options);
  // The first call also pays for ONNX Runtime's lazy initialisation, so it doubles as warm-up.
  const probe = await extractor(['warm-up'], { pooling: options.model.pooling, normalize: true });
  const dimensions = probe.dims[1] ?? 0;
  const maxTokens = extractor.tokenizer.model_max_length;
  return new TransformersEmbedder(extractor, options.model, dimensions, maxTokens, options.batchSize ?? DEFAULT_BATCH_SIZE);
}
