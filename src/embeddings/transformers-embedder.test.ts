/** The Embedder on the real embedded model. */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cosine } from '../../tests/support/vectors.js';
import type { Embedder } from './embedder.js';
import { resolveModelSpec } from './models.js';
import { createTransformersEmbedder } from './transformers-embedder.js';

const CACHE_DIR = '.cache/models';

async function seedParagraph(containing: string): Promise<string> {
  const seed = await readFile(new URL('../../corpus/000_224c5ab2ccd913b3.txt', import.meta.url), 'utf8');
  const paragraph = seed.split('\n').find((line) => line.includes(containing));
  if (!paragraph) throw new Error(`no seed paragraph contains ${containing}`);
  return paragraph;
}

describe('transformers embedder (use-lite)', () => {
  let embedder: Embedder;

  beforeAll(async () => {
    embedder = await createTransformersEmbedder({ model: resolveModelSpec('use-lite'), cacheDir: CACHE_DIR, batchSize: 4 });
  });
  afterAll(() => embedder.dispose());

  it('describes itself', () => {
    expect(embedder.modelId).toBe('use-lite');
    expect(embedder.dimensions).toBe(512);
    expect(embedder.maxTokens).toBe(128);
    expect(embedder.countTokens('What did Putin demand?')).toBe(6);
  });

  it("ranks Putin's condition well above the Senate vote for 'What did Putin demand?'", async () => {
    const question = await embedder.embedQuery('What did Putin demand?');
    const [condition = new Float32Array(), senateVote = new Float32Array()] = await embedder.embedPassages([
      await seedParagraph('military strikes completely off the table'),
      await seedParagraph('test vote to greenlight'),
    ]);
    expect(cosine(question, condition) - cosine(question, senateVote)).toBeGreaterThan(0.1);
  });

  it('returns unit vectors in input order whatever the batching, and reports progress', async () => {
    const texts = ['one', 'a much longer second text about diplomacy', 'three', 'four four', 'five', 'six', 'seven'];
    const progress: number[] = [];
    const batched = await embedder.embedPassages(texts, { onProgress: ({ done }) => progress.push(done) });
    expect(progress).toEqual([4, 7]);
    for (const [k, text] of texts.entries()) {
      const alone = await embedder.embedQuery(text);
      expect(cosine(batched[k] ?? [], alone)).toBeCloseTo(1, 5);
      const norm = Math.hypot(...(batched[k] ?? []));
      expect(norm).toBeCloseTo(1, 5);
    }
  });

  it('puts the configured prefixes in front of queries and passages', async () => {
    const prefixed = await createTransformersEmbedder({
      model: resolveModelSpec('use-lite', { queryPrefix: 'query: ', passagePrefix: 'passage: ' }),
      cacheDir: CACHE_DIR,
    });
    try {
      const [plainQuery = [], plainPassage = []] = await embedder.embedPassages(['query: Kerry', 'passage: Kerry']);
      expect(cosine(await prefixed.embedQuery('Kerry'), plainQuery)).toBeCloseTo(1, 5);
      const [passage = []] = await prefixed.embedPassages(['Kerry']);
      expect(cosine(passage, plainPassage)).toBeCloseTo(1, 5);
      expect(cosine(passage, plainQuery)).toBeLessThan(0.999);
    } finally {
      await prefixed.dispose();
    }
  });
});
