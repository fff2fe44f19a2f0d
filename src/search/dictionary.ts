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

/** 32-bit FNV-1a. */
function hash(word: string): number {
  let value = 0x811c9dc5;
  for (let k = 0; k < word.length; k += 1) value = Math.imul(value ^ word.charCodeAt(k), 0x01000193);
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

export async function loadEnglishWords(): Promise<WordSet> {
  return wordSet((await readFile(wordListPath, 'utf8')).split('\n').filter(Boolean));
}
