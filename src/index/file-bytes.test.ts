import { readdirSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../tests/support/temp-dir.js';
import { FileBytes } from './file-bytes.js';

describe('file bytes', () => {
  let scratch: string;
  let path: string;
  const content = Buffer.from(Array.from({ length: 1000 }, (_, k) => k % 251));
  beforeAll(async () => {
    scratch = await makeTempDir('file-bytes');
    path = join(scratch, 'records.bin');
    await writeFile(path, content);
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('reads the same ranges whether the file is held in memory or read from disk', () => {
    const inMemory = FileBytes.open(path);
    const onDisk = FileBytes.open(path, 999);
    for (const [position, length] of [[0, 4], [17, 300], [996, 4], [1000, 0]] as const) {
      const expected = content.subarray(position, position + length);
      expect(inMemory.read(position, length).equals(expected)).toBe(true);
      expect(onDisk.read(position, length).equals(expected)).toBe(true);
    }
    for (const file of [inMemory, onDisk]) {
      expect(() => file.read(990, 11)).toThrow(RangeError);
      file.close();
      expect(() => file.read(0, 1)).toThrow('closed');
    }
  });

  it('keeps no file descriptor for a file held in memory (a bot holds thousands of small index files)', () => {
    const descriptors = (): number => readdirSync('/proc/self/fd').length;
    const before = descriptors();
    const inMemory = Array.from({ length: 20 }, () => FileBytes.open(path));
    expect(descriptors()).toBe(before);
    const onDisk = Array.from({ length: 20 }, () => FileBytes.open(path, 999));
    expect(descriptors()).toBe(before + 20);
    for (const file of [...inMemory, ...onDisk]) file.close();
    expect(descriptors()).toBe(before);
  });
});
