/**
 * @module dictionary: common English words (the word-list package, 274k words). A question word
 * found neither in the story nor in the dictionary is almost always a name the story never
 * mentions ("morsi", "istanbul", "brexit"), even when the asker did not capitalise it.
 */
import { readFile } from 'node:fs/promises';
import wordListPath from 'word-list';

export async function loadEnglishWords(): Promise<ReadonlySet<string>> {
  return new Set((await readFile(wordListPath, 'utf8')).split('\n'));
}
