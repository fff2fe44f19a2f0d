/**
 * @module vector-index: nearest passages to a question vector. An HNSW graph (hnswlib-node)
 * proposes candidates; the passages' full vectors, read from disk, score them exactly. Big graphs
 * hold vectors shortened by a projection (projection.ts), which halves their memory.
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

export interface VectorHit {
  /** Position in the passage list (the HNSW label). */
  passage: number;
  /** Cosine similarity (vectors are unit length, so the inner product). */
  similarity: number;
}

export class VectorIndex {
  private constructor(
    private readonly hnsw: InstanceType<typeof HierarchicalNSW>,
    /** Undefined when the graph holds the full vectors. */
    readonly projection: Projection | undefined,
    readonly size: number,
  ) {
    hnsw.setEf(HNSW_PARAMETERS.efSearch);
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

  static async read(file: string, dimensions: number, projection: Projection | undefined): Promise<VectorIndex> {
    const hnsw = new HierarchicalNSW(HNSW_PARAMETERS.space, projection?.outputDimensions ?? dimensions);
    await hnsw.readIndex(file);
    return new VectorIndex(hnsw, projection, hnsw.getCurrentCount());
  }

  async write(file: string): Promise<void> {
    await this.hnsw.writeIndex(file);
  }

  /** The `limit` passages most similar to `query`, scored exactly on `fullVectors` (one record per passage). */
  search(query: Float32Array, limit: number, fullVectors: VectorRecordFile): VectorHit[] {
    const k = Math.min(Math.max(limit, PROJECTION.rescoreDepth), this.size);
    if (k === 0 || limit <= 0) return [];
    const { neighbors } = this.hnsw.searchKnn(Array.from(this.projection ? this.projection.query(query) : query), k);
    return neighbors
      .map((passage) => ({ passage, similarity: fullVectors.similarities(passage, query)[0] ?? -1 }))
      .sort((a, b) => b.similarity - a.similarity || a.passage - b.passage)
      .slice(0, limit);
  }
}
