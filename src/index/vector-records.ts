/**
 * @module vector-records: full-length vectors kept on disk, grouped by passage and read per
 * candidate: each passage's sentence vectors, and each passage's own vector. At 100k passages
 * there are three sentences to a passage; held in memory as float32 the sentence vectors alone
 * would take 600 MB. On disk they are int8 with a float32 scale per vector (a quarter of the size,
 * cosine error around 1e-3), and a query reads only its candidates' few kilobytes (file-bytes.ts
 * holds a small file in memory).
 */
import { FileBytes } from './file-bytes.js';

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

/** Decodes one record back to a vector. */
export function decodeRecord(record: Uint8Array, dimensions: number): Float32Array {
  return decode(Buffer.from(record.buffer, record.byteOffset, record.byteLength), 0, dimensions);
}

/** Reads the vectors of one passage at a time from an open file. */
export class VectorRecordFile {
  private constructor(
    private readonly file: FileBytes,
    /** offsets[label] is the passage's first record; offsets[label + 1] its end. */
    private readonly offsets: Uint32Array,
    private readonly dimensions: number,
  ) {}

  /** @param recordCounts how many records each passage has, in label order */
  static open(path: string, recordCounts: readonly number[], dimensions: number): VectorRecordFile {
    const offsets = new Uint32Array(recordCounts.length + 1);
    recordCounts.forEach((count, label) => {
      offsets[label + 1] = (offsets[label] ?? 0) + count;
    });
    return new VectorRecordFile(FileBytes.open(path), offsets, dimensions);
  }

  private read(label: number): { bytes: Buffer; count: number } {
    const first = this.offsets[label] ?? 0;
    const count = (this.offsets[label + 1] ?? first) - first;
    const size = recordBytes(this.dimensions);
    return { bytes: this.file.read(first * size, count * size), count };
  }

  /** The encoded `position`-th record of passage `label`, to copy into a new build as it is; undefined past its last. */
  record(label: number, position: number): Uint8Array | undefined {
    const first = this.offsets[label] ?? 0;
    if (position < 0 || first + position >= (this.offsets[label + 1] ?? first)) return undefined;
    const size = recordBytes(this.dimensions);
    return this.file.read((first + position) * size, size);
  }

  /** The vectors of passage `label`, in order. */
  of(label: number): Float32Array[] {
    const { bytes, count } = this.read(label);
    return Array.from({ length: count }, (_, k) => decode(bytes, k * recordBytes(this.dimensions), this.dimensions));
  }

  /** Dot products of `query` with passage `label`'s vectors, computed on the int8 codes. */
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
    this.file.close();
  }
}
