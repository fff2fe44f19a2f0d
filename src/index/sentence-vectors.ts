/**
 * @module sentence-vectors: one vector per sentence, kept on disk and read per candidate passage.
 * At 100k passages the sentences outnumber passages three to one; held in memory as float32 they
 * alone would take 600 MB. On disk they are int8 with a float32 scale per vector (a quarter of the
 * size, cosine error around 1e-3), and a query reads only its candidates' few kilobytes.
 */
import { closeSync, openSync, readSync } from 'node:fs';

export function recordBytes(dimensions: number): number {
  return 4 + dimensions;
}

/** Encodes one vector as a [scale: float32 LE][dimensions × int8] record. */
export function encodeRecord(vector: Float32Array, dimensions: number): Uint8Array {
  const record = new Uint8Array(recordBytes(dimensions));
  let largest = 0;
  for (const value of vector) largest = Math.max(largest, Math.abs(value));
  const scale = largest / 127 || 1;
  new DataView(record.buffer).setFloat32(0, scale, true);
  const codes = new Int8Array(record.buffer, 4, dimensions);
  for (let d = 0; d < dimensions; d += 1) codes[d] = Math.round((vector[d] ?? 0) / scale);
  return record;
}

function decode(bytes: Buffer, offset: number, dimensions: number): Float32Array {
  const scale = bytes.readFloatLE(offset);
  const codes = new Int8Array(bytes.buffer, bytes.byteOffset + offset + 4, dimensions);
  return Float32Array.from(codes, (code) => code * scale);
}

/** Reads the sentence vectors of one passage at a time from an open file. */
export class SentenceVectorFile {
  private open = true;

  private constructor(
    private readonly fd: number,
    /** offsets[label] is the passage's first sentence record; offsets[label + 1] its end. */
    private readonly offsets: Uint32Array,
    private readonly dimensions: number,
  ) {}

  static open(path: string, sentenceCounts: readonly number[], dimensions: number): SentenceVectorFile {
    const offsets = new Uint32Array(sentenceCounts.length + 1);
    sentenceCounts.forEach((count, label) => {
      offsets[label + 1] = (offsets[label] ?? 0) + count;
    });
    return new SentenceVectorFile(openSync(path, 'r'), offsets, dimensions);
  }

  private read(label: number): { bytes: Buffer; count: number } {
    if (!this.open) throw new Error('the sentence vector file is closed');
    const first = this.offsets[label] ?? 0;
    const count = (this.offsets[label + 1] ?? first) - first;
    const size = recordBytes(this.dimensions);
    const bytes = Buffer.allocUnsafe(count * size);
    readSync(this.fd, bytes, 0, bytes.byteLength, first * size);
    return { bytes, count };
  }

  /** The encoded records of passage `label`'s sentences, in order, to copy into a new build as they are. */
  records(label: number): Uint8Array[] {
    const { bytes, count } = this.read(label);
    const size = recordBytes(this.dimensions);
    return Array.from({ length: count }, (_, k) => bytes.subarray(k * size, (k + 1) * size));
  }

  /** The vectors of passage `label`'s sentences, in order. */
  of(label: number): Float32Array[] {
    const { bytes, count } = this.read(label);
    return Array.from({ length: count }, (_, k) => decode(bytes, k * recordBytes(this.dimensions), this.dimensions));
  }

  /** Dot products of `query` with passage `label`'s sentence vectors, computed on the int8 codes. */
  similarities(label: number, query: Float32Array): number[] {
    const { bytes, count } = this.read(label);
    const size = recordBytes(this.dimensions);
    const result: number[] = [];
    for (let k = 0; k < count; k += 1) {
      const offset = k * size;
      const scale = bytes.readFloatLE(offset);
      const codes = new Int8Array(bytes.buffer, bytes.byteOffset + offset + 4, this.dimensions);
      let dot = 0;
      for (let d = 0; d < this.dimensions; d += 1) dot += (query[d] ?? 0) * (codes[d] ?? 0);
      result.push(dot * scale);
    }
    return result;
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    closeSync(this.fd);
  }
}
