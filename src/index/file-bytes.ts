/**
 * @module file-bytes: byte ranges of an index file that is read per candidate (passage texts,
 * vector records). A small file is read into memory once: a question reads a few hundred ranges,
 * and on this machine each read from disk costs a system call (about 2-4 ms per question at 10k
 * passages, a third of the answer). A large file stays on disk, so memory at 100k passages does
 * not grow.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** Files up to this size are held in memory (at 10k passages the largest is 12 MB; at 100k the smallest is 42 MB). */
export const RESIDENT_LIMIT_BYTES = 32 * 1024 * 1024;

export class FileBytes {
  private open = true;

  private constructor(
    /** Open only while ranges are read from disk: a file held in memory gives its descriptor back at once. */
    private readonly fd: number | undefined,
    /** The whole file when it is small enough; otherwise ranges are read from `fd`. */
    private readonly resident: Buffer | undefined,
    readonly size: number,
  ) {}

  static open(path: string, residentLimit = RESIDENT_LIMIT_BYTES): FileBytes {
    const fd = openSync(path, 'r');
    try {
      const { size } = fstatSync(fd);
      let resident: Buffer | undefined;
      if (size <= residentLimit) {
        resident = Buffer.allocUnsafe(size);
        if (readSync(fd, resident, 0, size, 0) !== size) throw new Error(`${path} changed while it was read`);
        // A bot holding many small stories would otherwise keep three descriptors each (1,000 stories: 3,000).
        closeSync(fd);
        return new FileBytes(undefined, resident, size);
      }
      return new FileBytes(fd, resident, size);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  /** `length` bytes from `position`; callers must not modify them (a resident file's bytes are shared). */
  read(position: number, length: number): Buffer {
    if (!this.open) throw new Error('the index file is closed');
    if (position < 0 || position + length > this.size) throw new RangeError(`bytes ${position}-${position + length} are past the file's end (${this.size})`);
    if (this.resident) return this.resident.subarray(position, position + length);
    const bytes = Buffer.allocUnsafe(length);
    if (readSync(this.fd ?? -1, bytes, 0, length, position) !== length) throw new Error('the file is shorter than its table says');
    return bytes;
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    if (this.fd !== undefined) closeSync(this.fd);
  }
}
