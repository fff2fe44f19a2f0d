/**
 * @module lexical-index: BM25 over passages, on the shared term analysis, with postings in typed
 * arrays. This replaced MiniSearch, whose per-posting JavaScript Maps took 350 MB at 100k passages
 * (measured); the same postings here take about 30 MB. Scoring follows MiniSearch's: BM25+
 * (k 1.2, b 0.7, d 0.5), prefix matches of longer terms at a reduced weight, and each passage's
 * sum multiplied by the number of distinct query terms it matched.
 */
import { termsOf } from './terms.js';

export interface LexicalHit {
  /** Position in the passage list. */
  passage: number;
  score: number;
}

const BM25 = { k: 1.2, b: 0.7, d: 0.5 } as const;
/** Shorter stems would match too many unrelated words as prefixes. */
const MIN_PREFIX_LENGTH = 5;
/** A prefix match counts this much of an exact one (before the length discount). */
const PREFIX_WEIGHT = 0.375;
const FORMAT = 1;

interface Header {
  format: number;
  terms: string[];
  passageCount: number;
  postingCount: number;
  averageLength: number;
}

/** Index of the first element of a sorted array not less than `value`. */
function lowerBound(sorted: readonly string[], value: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] ?? '') < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

export class LexicalIndex {
  private constructor(
    /** Every index term, sorted, so prefixes are a contiguous range. */
    private readonly terms: string[],
    /** Term i's postings are at [starts[i], starts[i + 1]). */
    private readonly starts: Uint32Array,
    private readonly passages: Uint32Array,
    private readonly frequencies: Uint16Array,
    /** Number of terms in each passage. */
    private readonly lengths: Uint16Array,
    private readonly averageLength: number,
  ) {}

  static build(texts: readonly string[]): LexicalIndex {
    const counts = texts.map((text) => {
      const perTerm = new Map<string, number>();
      for (const term of termsOf(text)) perTerm.set(term, (perTerm.get(term) ?? 0) + 1);
      return perTerm;
    });
    const terms = [...new Set(counts.flatMap((perTerm) => [...perTerm.keys()]))].sort();
    const termIds = new Map(terms.map((term, id) => [term, id]));
    const starts = new Uint32Array(terms.length + 1);
    for (const perTerm of counts) {
      for (const term of perTerm.keys()) {
        const slot = (termIds.get(term) ?? 0) + 1;
        starts[slot] = (starts[slot] ?? 0) + 1;
      }
    }
    for (let id = 0; id < terms.length; id += 1) starts[id + 1] = (starts[id + 1] ?? 0) + (starts[id] ?? 0);
    const postingCount = starts[terms.length] ?? 0;
    const passages = new Uint32Array(postingCount);
    const frequencies = new Uint16Array(postingCount);
    const next = starts.slice(0, terms.length);
    const lengths = new Uint16Array(texts.length);
    let totalLength = 0;
    counts.forEach((perTerm, passage) => {
      let length = 0;
      for (const [term, frequency] of perTerm) {
        const id = termIds.get(term) ?? 0;
        const at = next[id] ?? 0;
        passages[at] = passage;
        frequencies[at] = Math.min(frequency, 0xffff);
        next[id] = at + 1;
        length += frequency;
      }
      lengths[passage] = Math.min(length, 0xffff);
      totalLength += length;
    });
    return new LexicalIndex(terms, starts, passages, frequencies, lengths, texts.length > 0 ? totalLength / texts.length : 0);
  }

  /** [header length: u32][header JSON][lengths u16][starts u32][passages u32][frequencies u16], little-endian. */
  toBytes(): Uint8Array {
    const header: Header = { format: FORMAT, terms: this.terms, passageCount: this.lengths.length, postingCount: this.passages.length, averageLength: this.averageLength };
    const headerBytes = Buffer.from(JSON.stringify(header));
    const parts = [Buffer.from(new Uint32Array([headerBytes.byteLength]).buffer), headerBytes, ...[this.lengths, this.starts, this.passages, this.frequencies].map((array) => Buffer.from(array.buffer, array.byteOffset, array.byteLength))];
    return Buffer.concat(parts);
  }

  static fromBytes(bytes: Uint8Array): LexicalIndex {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const headerLength = buffer.readUInt32LE(0);
    const header = JSON.parse(buffer.subarray(4, 4 + headerLength).toString('utf8')) as Header;
    if (header.format !== FORMAT) throw new Error(`lexical index format ${header.format}, expected ${FORMAT}`);
    let at = 4 + headerLength;
    // Copy each array out: typed arrays need offsets aligned to their element size.
    const take = <T>(count: number, bytesPer: number, make: (copy: ArrayBuffer) => T): T => {
      const slice = buffer.subarray(at, at + count * bytesPer);
      if (slice.byteLength !== count * bytesPer) throw new Error('lexical index is truncated');
      at += count * bytesPer;
      return make(Uint8Array.from(slice).buffer);
    };
    const lengths = take(header.passageCount, 2, (b) => new Uint16Array(b));
    const starts = take(header.terms.length + 1, 4, (b) => new Uint32Array(b));
    const passages = take(header.postingCount, 4, (b) => new Uint32Array(b));
    const frequencies = take(header.postingCount, 2, (b) => new Uint16Array(b));
    if (at !== buffer.byteLength) throw new Error('lexical index has trailing bytes');
    return new LexicalIndex(header.terms, starts, passages, frequencies, lengths, header.averageLength);
  }

  /** Whether passage `passage` holds index term `term`, from the postings (no text read). */
  holds(term: string, passage: number): boolean {
    const id = lowerBound(this.terms, term);
    if (this.terms[id] !== term) return false;
    let low = this.starts[id] ?? 0;
    let high = this.starts[id + 1] ?? low;
    // A term's postings are in passage order (build adds them passage by passage).
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.passages[middle] ?? 0) < passage) low = middle + 1;
      else high = middle;
    }
    return this.passages[low] === passage && low < (this.starts[id + 1] ?? 0);
  }

  /** Passages matching any query term, best BM25 first. */
  search(query: string, limit: number): LexicalHit[] {
    const passageCount = this.lengths.length;
    const scores = new Float64Array(passageCount);
    const matched = new Uint8Array(passageCount);
    const lastTerm = new Int32Array(passageCount).fill(-1);
    const touched: number[] = [];
    [...new Set(termsOf(query))].forEach((queryTerm, queryIndex) => {
      const addPostings = (id: number, weight: number): void => {
        const start = this.starts[id] ?? 0;
        const end = this.starts[id + 1] ?? start;
        const documentFrequency = end - start;
        const idf = Math.log(1 + (passageCount - documentFrequency + 0.5) / (documentFrequency + 0.5));
        for (let at = start; at < end; at += 1) {
          const passage = this.passages[at] ?? 0;
          const frequency = this.frequencies[at] ?? 0;
          const norm = BM25.k * (1 - BM25.b + (BM25.b * (this.lengths[passage] ?? 0)) / this.averageLength);
          if (scores[passage] === 0) touched.push(passage);
          scores[passage] = (scores[passage] ?? 0) + weight * idf * (BM25.d + (frequency * (BM25.k + 1)) / (frequency + norm));
          if (lastTerm[passage] !== queryIndex) {
            lastTerm[passage] = queryIndex;
            matched[passage] = (matched[passage] ?? 0) + 1;
          }
        }
      };
      const first = lowerBound(this.terms, queryTerm);
      if (this.terms[first] === queryTerm) addPostings(first, 1);
      if (queryTerm.length < MIN_PREFIX_LENGTH) return;
      for (let id = first; id < this.terms.length && (this.terms[id] ?? '').startsWith(queryTerm); id += 1) {
        const term = this.terms[id] ?? '';
        if (term !== queryTerm) addPostings(id, (PREFIX_WEIGHT * term.length) / (term.length + 0.3 * (term.length - queryTerm.length)));
      }
    });
    return touched
      .map((passage) => ({ passage, score: (scores[passage] ?? 0) * (matched[passage] ?? 1) }))
      .sort((a, b) => b.score - a.score || a.passage - b.passage)
      .slice(0, limit);
  }
}
