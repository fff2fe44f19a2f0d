/**
 * @module projection: principal components that shorten passage vectors for the HNSW graph. A big
 * index spends most of its memory on the graph's copy of every vector (512 float32 per passage
 * with use-lite); sentence embeddings keep nearly all their variance in far fewer directions, so
 * the graph holds vectors projected onto the top components, and the full vectors (int8, on
 * disk) rescore the graph's candidates exactly.
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/** Enough vectors to estimate a 512 × 512 covariance well; more only costs build time. */
const MAX_FIT_SAMPLE = 10_000;

export class Projection {
  private constructor(
    readonly inputDimensions: number,
    readonly outputDimensions: number,
    /** The fitted vectors' mean, subtracted from passages (not queries: a constant shift of every score does not change their order). */
    private readonly mean: Float32Array,
    /** outputDimensions rows of inputDimensions, strongest component first. */
    private readonly components: Float32Array,
  ) {}

  /** The top `outputDimensions` principal components of `vectors` (an even sample of at most 10,000). */
  static fit(vectors: readonly Float32Array[], inputDimensions: number, outputDimensions: number): Projection {
    const step = Math.max(1, vectors.length / MAX_FIT_SAMPLE);
    const sample: Float32Array[] = [];
    for (let at = 0; at < vectors.length; at += step) sample.push(vectors[Math.floor(at)] as Float32Array);
    const n = Math.max(1, sample.length);
    const d = inputDimensions;

    const mean = new Float64Array(d);
    for (const vector of sample) for (let i = 0; i < d; i += 1) mean[i] = (mean[i] ?? 0) + (vector[i] ?? 0) / n;
    // Upper triangle of the covariance, accumulated one centred vector at a time.
    const covariance = new Float64Array(d * d);
    const centred = new Float64Array(d);
    for (const vector of sample) {
      for (let i = 0; i < d; i += 1) centred[i] = (vector[i] ?? 0) - (mean[i] ?? 0);
      for (let i = 0; i < d; i += 1) {
        const ci = centred[i] ?? 0;
        const row = i * d;
        for (let j = i; j < d; j += 1) covariance[row + j] = (covariance[row + j] ?? 0) + ci * (centred[j] ?? 0);
      }
    }
    const matrix = new Matrix(d, d);
    for (let i = 0; i < d; i += 1) {
      for (let j = i; j < d; j += 1) {
        const value = (covariance[i * d + j] ?? 0) / n;
        matrix.set(i, j, value);
        matrix.set(j, i, value);
      }
    }
    const decomposition = new EigenvalueDecomposition(matrix, { assumeSymmetric: true });
    const strongestFirst = decomposition.realEigenvalues
      .map((value, column) => ({ value, column }))
      .sort((a, b) => b.value - a.value)
      .slice(0, outputDimensions);
    const components = new Float32Array(outputDimensions * d);
    strongestFirst.forEach(({ column }, k) => components.set(decomposition.eigenvectorMatrix.getColumn(column), k * d));
    return new Projection(d, outputDimensions, Float32Array.from(mean), components);
  }

  /** A passage vector in the graph's space (centred on the fitted mean). */
  passage(vector: Float32Array): Float32Array {
    return this.apply(vector, this.mean);
  }

  /** A query vector in the graph's space. */
  query(vector: Float32Array): Float32Array {
    return this.apply(vector, undefined);
  }

  private apply(vector: Float32Array, mean: Float32Array | undefined): Float32Array {
    const d = this.inputDimensions;
    const projected = new Float32Array(this.outputDimensions);
    for (let k = 0; k < this.outputDimensions; k += 1) {
      let sum = 0;
      const row = k * d;
      for (let i = 0; i < d; i += 1) sum += (this.components[row + i] ?? 0) * ((vector[i] ?? 0) - (mean?.[i] ?? 0));
      projected[k] = sum;
    }
    return projected;
  }

  /** [input dimensions: u32][output dimensions: u32][mean: f32 × input][components: f32 × output × input], little-endian. */
  toBytes(): Uint8Array {
    const header = new Uint32Array([this.inputDimensions, this.outputDimensions]);
    return Buffer.concat([header, this.mean, this.components].map((array) => Buffer.from(array.buffer, array.byteOffset, array.byteLength)));
  }

  static fromBytes(bytes: Uint8Array): Projection {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (buffer.byteLength < 8) throw new Error('projection is truncated');
    const input = buffer.readUInt32LE(0);
    const output = buffer.readUInt32LE(4);
    if (buffer.byteLength !== 8 + 4 * input * (1 + output)) throw new Error(`projection has ${buffer.byteLength} bytes, expected ${8 + 4 * input * (1 + output)}`);
    // Copied out: a Float32Array needs a 4-byte-aligned offset, which a file buffer slice may not have.
    const floats = new Float32Array(Uint8Array.from(buffer.subarray(8)).buffer);
    return new Projection(input, output, floats.slice(0, input), floats.slice(input));
  }
}
