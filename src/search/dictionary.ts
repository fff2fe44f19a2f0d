/**
 * @module dictionary: common English words (the word-list package, 274k words). A question word
 * found neither in the story nor in the dictionary is almost always a name the story never
 * mentions ("morsi", "istanbul", "brexit"), even when the asker did not capitalise it.
 */
import { readFile } from 'node:fs/promises';
import wordListPath from 'word-list';

/** A set of words that only answers "is this word in it?". */
export interface WordSet {
  has(word: string): boolean;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const NEWLINE = 0x0a;

/** 32-bit FNV-1a. */
function hash(word: string): number {
  let value = FNV_OFFSET;
  for (let k = 0; k < word.length; k += 1) value = Math.imul(value ^ word.charCodeAt(k), FNV_PRIME);
  return value >>> 0;
}

/**
 * Kept as sorted 32-bit hashes: 1 MB instead of the 19 MB of a Set of strings. A false "yes"
 * needs a hash collision: about 1 chance in 16,000 per unknown word, and it only means a name
 * goes unnoticed.
 */
class HashedWordSet implements WordSet {
  constructor(private readonly hashes: Uint32Array) {}

  has(word: string): boolean {
    const target = hash(word);
    let low = 0;
    let high = this.hashes.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const value = this.hashes[middle] ?? 0;
      if (value === target) return true;
      if (value < target) low = middle + 1;
      else high = middle - 1;
    }
    return false;
  }
}

export function wordSet(words: Iterable<string>): WordSet {
  return new HashedWordSet(Uint32Array.from(words, hash).sort());
}

/**
 * Hashes the list's lines straight from the file's bytes: splitting 2.8 MB into 274k strings
 * first cost the bot about 30 MB of resident memory that it never gave back. The list is ASCII, so
 * a byte is a character code and the hashes equal those of the words as strings.
 */
export async function loadEnglishWords(): Promise<WordSet> {
  const bytes = await readFile(wordListPath);
  const hashes = new Uint32Array(bytes.length); // at most one word per byte; trimmed below
  let count = 0;
  let value = FNV_OFFSET;
  let length = 0;
  for (let at = 0; at <= bytes.length; at += 1) {
    const byte = at < bytes.length ? (bytes[at] ?? NEWLINE) : NEWLINE;
    if (byte === NEWLINE) {
      if (length > 0) hashes[count++] = value >>> 0;
      value = FNV_OFFSET;
      length = 0;
    } else {
      value = Math.imul(value ^ byte, FNV_PRIME);
      length += 1;
    }
  }
  return new HashedWordSet(hashes.slice(0, count).sort());
}
