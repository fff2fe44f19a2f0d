/**
 * @module vector-index: nearest passages to a question vector. An HNSW graph (hnswlib-node)
 * proposes candidates; the passages' full vectors, read from disk, score them exactly. Big graphs
 * hold vectors shortened by a projection (projection.ts), which halves their memory. A story with no
 * more passages than the graph would propose anyway has every passage scored exactly, so its graph,
 * which would decide nothing, is not held in memory (see GRAPH_FIXED_BYTES).
 */
import hnswlib from 'hnswlib-node';
import { Projection } from './projection.js';
import type { VectorRecordFile } from './vector-records.js';

const { HierarchicalNSW } = hnswlib;

/**
 * HNSW parameters. M=16 and efConstruction=200 are hnswlib's recommended quality settings for
 * vectors of a few hundred dimensions; search uses ef=256, far above the default of 10, because
 * recall at the top matters more to us than the fraction of a millisecond it costs (measured at
 * 100k passages: recall@10 0.993 at ef 128, 0.9985 at ef 256, for 0.4 and 0.7 ms a query).
 */
export const HNSW_PARAMETERS = { space: 'ip', m: 16, efConstruction: 200, efSearch: 256, randomSeed: 100 } as const;

/**
 * From this many passages the graph holds vectors projected to `dimensions` (measured at 100k:
 * 227 → 116 MB). Smaller graphs keep full vectors: they cost little memory, and fitting a
 * projection costs about a second. The graph proposes `rescoreDepth` candidates, which the full
 * vectors then rank.
 */
export const PROJECTION = { minPassages: 20_000, dimensions: 256, rescoreDepth: 100 } as const;

/**
 * Memory every loaded graph holds however small it is: hnswlib's HierarchicalNSW allocates 65,536
 * label locks (std::mutex, 40 bytes each on Linux x86-64; hnswalg.h, MAX_LABEL_OPERATION_LOCKS). A
 * 50-passage story's graph takes 2.6 MB that way against about 0.25 MB of data (measured: 1,000
 * such stories loaded grew the process by 2.9 GB).
 */
export const GRAPH_FIXED_BYTES = 65_536 * 40;

export interface VectorHit {
  /** Position in the passage list (the HNSW label). */
  passage: number;
  /** Cosine similarity (vectors are unit length, so the inner product). */
  similarity: number;
}

/** Whether a graph of `size` passages would propose all of them to the exact scoring anyway. */
function graphDecidesNothing(size: number): boolean {
  return size <= PROJECTION.rescoreDepth;
}

type Graph = InstanceType<typeof HierarchicalNSW>;

export class VectorIndex {
  private constructor(
    /** Undefined when the graph would propose every passage anyway (a small story). */
    private readonly hnsw: Graph | undefined,
    /** Undefined when the graph holds the full vectors. */
    readonly projection: Projection | undefined,
    readonly size: number,
  ) {
    hnsw?.setEf(HNSW_PARAMETERS.efSearch);
  }

  /** Whether the graph is held in memory (it costs GRAPH_FIXED_BYTES and its file's size). */
  get holdsGraph(): boolean {
    return this.hnsw !== undefined;
  }

  /** @param minPassagesToProject from how many passages to project (a parameter for tests) */
  static build(vectors: readonly Float32Array[], dimensions: number, minPassagesToProject: number = PROJECTION.minPassages): VectorIndex {
    const projection = vectors.length >= minPassagesToProject && dimensions > PROJECTION.dimensions ? Projection.fit(vectors, dimensions, PROJECTION.dimensions) : undefined;
    const hnsw = new HierarchicalNSW(HNSW_PARAMETERS.space, projection?.outputDimensions ?? dimensions);
    hnsw.initIndex({
      maxElements: Math.max(1, vectors.length),
      m: HNSW_PARAMETERS.m,
      efConstruction: HNSW_PARAMETERS.efConstruction,
      randomSeed: HNSW_PARAMETERS.randomSeed,
    });
    vectors.forEach((vector, label) => hnsw.addPoint(Array.from(projection ? projection.passage(vector) : vector), label));
    return new VectorIndex(hnsw, projection, vectors.length);
  }

  /** Reads the graph saved in `file`, unless `size` passages are so few that it would decide nothing. */
  static async read(file: string, dimensions: number, projection: Projection | undefined, size: number): Promise<VectorIndex> {
    if (graphDecidesNothing(size)) return new VectorIndex(undefined, projection, size);
    const hnsw = new HierarchicalNSW(HNSW_PARAMETERS.space, projection?.outputDimensions ?? dimensions);
    await hnsw.readIndex(file);
    return new VectorIndex(hnsw, projection, hnsw.getCurrentCount());
  }

  /** Saves the graph (a freshly built index holds it) and returns the index to serve from: without the graph when it decides nothing. */
  async write(file: string): Promise<VectorIndex> {
    if (this.hnsw === undefined) throw new Error('only a freshly built vector index can be saved');
    await this.hnsw.writeIndex(file);
    return graphDecidesNothing(this.size) ? new VectorIndex(undefined, this.projection, this.size) : this;
  }

  /** The `limit` passages most similar to `query`, scored exactly on `fullVectors` (one record per passage). */
  search(query: Float32Array, limit: number, fullVectors: VectorRecordFile): VectorHit[] {
    const k = Math.min(Math.max(limit, PROJECTION.rescoreDepth), this.size);
    if (k === 0 || limit <= 0) return [];
    const neighbors = this.hnsw?.searchKnn(Array.from(this.projection ? this.projection.query(query) : query), k).neighbors ?? Array.from({ length: this.size }, (_, passage) => passage);
    return neighbors
      .map((passage) => ({ passage, similarity: fullVectors.similarities(passage, query)[0] ?? -1 }))
      .sort((a, b) => b.similarity - a.similarity || a.passage - b.passage)
      .slice(0, limit);
  }
}
