/**
 * @module vocabulary: the story's own words, with the nearest one for a misspelt word in a question
 * ("securty" → "security", "kery" → "kerry"), so both lexical and semantic search see the word
 * the articles use.
 */
import { isStopword } from './terms.js';

/** Edits allowed for a word of this length: none for short words, where a typo is indistinguishable from another word. */
function allowedEdits(length: number): number {
  return length < 4 ? 0 : 1;
}

/** Optimal string alignment distance (Levenshtein plus adjacent swaps), giving up past `limit`. */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, (before[j - 2] ?? 0) + 1);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return limit + 1;
    before = previous;
    previous = current;
  }
  return previous[b.length] ?? limit + 1;
}

/**
 * Words under eight letters are only corrected by restoring a dropped letter ("kery" → "kerry") or
 * undoing a swap ("teh" → "the"): substituting one ("toll" → "told", "status" → "states") too often
 * makes another real word.
 */
function isDroppedLetterOrSwap(word: string, candidate: string): boolean {
  if (candidate.length === word.length + 1) {
    let at = 0;
    for (const letter of candidate) if (letter === word[at]) at += 1;
    return at === word.length;
  }
  return candidate.length === word.length && [...word].sort().join('') === [...candidate].sort().join('');
}

export class Vocabulary {
  private readonly byLength = new Map<number, string[]>();

  /** @param counts normalised word → occurrences in the corpus */
  constructor(private readonly counts: ReadonlyMap<string, number>) {
    for (const word of counts.keys()) {
      const bucket = this.byLength.get(word.length) ?? [];
      bucket.push(word);
      this.byLength.set(word.length, bucket);
    }
  }

  entries(): IterableIterator<[string, number]> {
    return this.counts.entries();
  }

  has(word: string): boolean {
    return this.counts.has(word);
  }

  /** The most frequent corpus word within the allowed edits, or undefined when the word is known or nothing is close. */
  correct(word: string): string | undefined {
    const limit = allowedEdits(word.length);
    if (limit === 0 || this.counts.has(word)) return undefined;
    let best: { word: string; distance: number; count: number } | undefined;
    for (let length = word.length - limit; length <= word.length + limit; length += 1) {
      for (const candidate of this.byLength.get(length) ?? []) {
        if (allowedEdits(candidate.length) === 0 || isStopword(candidate) || (word.length < 8 && !isDroppedLetterOrSwap(word, candidate))) continue;
        const distance = editDistance(word, candidate, limit);
        if (distance > limit) continue;
        const count = this.counts.get(candidate) ?? 0;
        if (!best || distance < best.distance || (distance === best.distance && count > best.count)) best = { word: candidate, distance, count };
      }
    }
    return best?.word;
  }
}
