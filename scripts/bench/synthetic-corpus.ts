/**
 * @module synthetic-corpus: large corpora of real English for benchmarks, made deterministically
 * by recombining sentences of the story's own articles and the held-out test articles.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadCorpus } from '../../src/corpus/load-corpus.js';
import { splitSentences } from '../../src/corpus/sentences.js';

export const SENTENCE_SOURCES = ['corpus', 'tests/fixtures/heldout/corpus'];
const PASSAGES_PER_FILE = 100;

/** mulberry32: a tiny, fast, seedable generator, so every run makes the same corpus. */
export function randomGenerator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every sentence of the source articles, short fragments left out. */
export async function sentencePool(): Promise<string[]> {
  const pool = new Set<string>();
  for (const dir of SENTENCE_SOURCES) {
    for (const article of (await loadCorpus(dir)).articles) {
      for (const paragraph of article.paragraphs) {
        for (const [start, end] of splitSentences(paragraph)) {
          const sentence = paragraph.slice(start, end).replace(/^\*\*[^*]+\*\*\s*/, '');
          if (sentence.split(/\s+/).length >= 6) pool.add(sentence);
        }
      }
    }
  }
  return [...pool];
}

/** Words a passage may have, so that it fits the model's 128-piece window and stays one passage. */
const MAX_PASSAGE_WORDS = 80;

/** `count` distinct passages of two or three pool sentences each. */
export function syntheticPassages(pool: readonly string[], count: number, seed = 1): string[] {
  const random = randomGenerator(seed);
  const pick = (): string => pool[Math.floor(random() * pool.length)] ?? '';
  const words = (text: string): number => text.split(/\s+/).length;
  const passages = new Set<string>();
  while (passages.size < count) {
    const sentences = [pick(), pick()];
    if (random() < 0.5) sentences.push(pick());
    while (sentences.length > 1 && words(sentences.join(' ')) > MAX_PASSAGE_WORDS) sentences.pop();
    passages.add(sentences.join(' '));
  }
  return [...passages];
}

/** Writes the corpus as Markdown articles of 100 passages each, unless it is already there. */
export async function writeSyntheticCorpus(dir: string, passages: readonly string[]): Promise<void> {
  const files = Math.ceil(passages.length / PASSAGES_PER_FILE);
  const existing = await readdir(dir).catch(() => []);
  if (existing.length === files) return;
  await mkdir(dir, { recursive: true });
  for (let file = 0; file < files; file += 1) {
    const body = passages.slice(file * PASSAGES_PER_FILE, (file + 1) * PASSAGES_PER_FILE).join('\n\n');
    const name = `synthetic-${String(file).padStart(5, '0')}`;
    await writeFile(join(dir, `${name}.md`), `---\ntitle: Synthetic article ${file + 1}\nurl: https://example.org/${name}\n---\n\n${body}\n`);
  }
}
