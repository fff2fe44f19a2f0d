/** Building, reloading and incrementally rebuilding the index, with the real model. */
import { cp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CountingEmbedder } from '../../tests/support/counting-embedder.js';
import { makeTempDir } from '../../tests/support/temp-dir.js';
import { cosine } from '../../tests/support/vectors.js';
import type { Embedder } from '../embeddings/embedder.js';
import { resolveModelSpec } from '../embeddings/models.js';
import { createTransformersEmbedder } from '../embeddings/transformers-embedder.js';
import { ENTITY, ENTITY_TAGGER_VERSION } from '../corpus/entities.js';
import { isAppError } from '../errors.js';
import { buildIndex } from './build-index.js';
import { closeIndex, loadIndex } from './index-store.js';
import { type PassageStore, allPassages } from './passage-file.js';
import type { StoryIndex } from './story-index.js';

const SEED_FILE = '000_224c5ab2ccd913b3.txt';
const PREFIXES = { queryPrefix: '', passagePrefix: '' };

/** Each passage's entity sets, in label order. */
const entities = (of: StoryIndex): number[][] => Array.from({ length: of.passages.length }, (_, label) => [...of.passages.entities(label)]);

describe('buildIndex', () => {
  let model: Embedder;
  let scratch: string;

  beforeAll(async () => {
    model = await createTransformersEmbedder({ model: resolveModelSpec('use-lite'), cacheDir: '.cache/models' });
    scratch = await makeTempDir('index');
  });
  afterAll(async () => {
    await model.dispose();
    await rm(scratch, { recursive: true, force: true });
  });

  async function freshCorpus(name: string): Promise<{ corpusDir: string; indexDir: string }> {
    const corpusDir = join(scratch, name, 'corpus');
    await cp('corpus', corpusDir, { recursive: true });
    return { corpusDir, indexDir: join(scratch, name, 'index') };
  }

  it('builds, saves and reloads the same index', async () => {
    const dirs = await freshCorpus('reload');
    const { index, summary } = await buildIndex({ ...dirs, embedder: model, prefixes: PREFIXES });
    expect(summary).toMatchObject({ upToDate: false, articles: 1, passages: 13, embedded: 13, reused: 0, skipped: [] });
    const loaded = await loadIndex(dirs.indexDir);
    expect(allPassages(loaded.passages)).toEqual(allPassages(index.passages));
    expect(entities(loaded)).toEqual(entities(index));
    const putin = allPassages(loaded.passages).findIndex((p) => p.text.includes('Putin'));
    const putinSentence = loaded.passages.get(putin).sentences.findIndex(([start, end]) => loaded.passages.get(putin).text.slice(start, end).includes('Putin'));
    expect((loaded.passages.entities(putin)[putinSentence] ?? 0) & ENTITY.person).toBe(ENTITY.person);
    expect(loaded.manifest).toEqual(index.manifest);
    expect(loaded.manifest.embedding).toEqual({ modelId: 'use-lite', dimensions: 512, ...PREFIXES });
    const [vector] = loaded.passageVectors.of(5);
    expect(Array.from(vector ?? [])).toEqual(Array.from(index.passageVectors.of(5)[0] ?? []));
    expect(loaded.vectors.search(vector ?? new Float32Array(), 1, loaded.passageVectors)[0]?.passage).toBe(5);
    expect(loaded.vectors.projection).toBeUndefined(); // 13 passages: the graph holds full vectors
    const [sentence] = loaded.sentenceVectors.of(2);
    const exact = (await model.embedPassages([loaded.passages.get(2).text.slice(...(loaded.passages.get(2).sentences[0] ?? [0, 0]))]))[0];
    expect(cosine(sentence ?? [], exact ?? [])).toBeGreaterThan(0.999); // int8 on disk, close to the model's vector
    closeIndex(loaded);
    closeIndex(index);
  });

  it('does nothing for an unchanged corpus, and re-embeds only the edited passage', async () => {
    const dirs = await freshCorpus('incremental');
    const first = await buildIndex({ ...dirs, embedder: model, prefixes: PREFIXES });

    const unchanged = new CountingEmbedder(model);
    const again = await buildIndex({ ...dirs, embedder: unchanged, prefixes: PREFIXES, previous: first.index });
    expect(again.summary).toMatchObject({ upToDate: true, embedded: 0, reused: 13 });
    expect(unchanged.embeddedTexts).toEqual([]);

    const file = join(dirs.corpusDir, SEED_FILE);
    const original = 'But nothing is a sure-fire bet.';
    const edited = 'But nothing is certain yet.';
    await writeFile(file, (await readFile(file, 'utf8')).replace(original, edited));
    const counting = new CountingEmbedder(model);
    const rebuilt = await buildIndex({ ...dirs, embedder: counting, prefixes: PREFIXES, previous: first.index });
    expect(rebuilt.summary).toMatchObject({ upToDate: false, passages: 13, embedded: 1, reused: 12 });
    expect(counting.embeddedTexts).toEqual([edited]); // a one-sentence passage is its own sentence
    expect(allPassages(rebuilt.index.passages).find((p) => p.text === edited)?.paragraph).toBe(10);
    expect(entities(rebuilt.index)).toEqual(entities(first.index)); // the edit names nothing; the rest keep their tags

    // Without the index in memory, a fresh process reuses the saved vectors just the same.
    const cold = new CountingEmbedder(model);
    await writeFile(file, (await readFile(file, 'utf8')).replace(edited, original));
    await buildIndex({ ...dirs, embedder: cold, prefixes: PREFIXES, previous: await loadIndex(dirs.indexDir) });
    expect(cold.embeddedTexts).toEqual([original]);
  });

  it('keeps only the live build on disk', async () => {
    const dirs = await freshCorpus('cleanup');
    await buildIndex({ ...dirs, embedder: model, prefixes: PREFIXES });
    await writeFile(join(dirs.corpusDir, 'extra.md'), 'Kerry flew to Paris on Sunday to brief allies.');
    await buildIndex({ ...dirs, embedder: model, prefixes: PREFIXES, previous: await loadIndex(dirs.indexDir) });
    const live = (await readFile(join(dirs.indexDir, 'CURRENT'), 'utf8')).trim();
    expect(await readdir(join(dirs.indexDir, 'builds'))).toEqual([live]);
  });

  it.each([
    ['vectors.hnsw', 'corrupted', (bytes: Buffer) => Buffer.concat([bytes.subarray(0, 100), Buffer.alloc(8, 0xff), bytes.subarray(108)])],
    ['sentence-vectors.i8', 'truncated', (bytes: Buffer) => bytes.subarray(0, bytes.byteLength - 516)],
    ['passage-vectors.i8', 'truncated', (bytes: Buffer) => bytes.subarray(0, bytes.byteLength - 516)],
    ['passages.bin', 'emptied', () => Buffer.alloc(0)],
  ])('detects a %s file that was %s', async (name, _how, damage) => {
    const dirs = await freshCorpus(`damaged-${name}`);
    await buildIndex({ ...dirs, embedder: model, prefixes: PREFIXES });
    const build = (await readFile(join(dirs.indexDir, 'CURRENT'), 'utf8')).trim();
    const path = join(dirs.indexDir, 'builds', build, name);
    await writeFile(path, damage(await readFile(path)));
    const failure = await loadIndex(dirs.indexDir).catch((error: unknown) => error);
    expect(isAppError(failure, 'INDEX_CORRUPT'), String(failure)).toBe(true);
    expect((failure as Error).message).toContain(name);
  });

  it('tells an index written in an older format from a damaged one', async () => {
    const dirs = await freshCorpus('outdated');
    await buildIndex({ ...dirs, embedder: model, prefixes: PREFIXES });
    const build = (await readFile(join(dirs.indexDir, 'CURRENT'), 'utf8')).trim();
    const path = join(dirs.indexDir, 'builds', build, 'manifest.json');
    const manifest = JSON.parse(await readFile(path, 'utf8')) as { formatVersion: number };
    await writeFile(path, JSON.stringify({ ...manifest, formatVersion: manifest.formatVersion - 1 }));
    const failure = await loadIndex(dirs.indexDir).catch((error: unknown) => error);
    expect(isAppError(failure, 'INDEX_OUTDATED'), String(failure)).toBe(true);
    expect((failure as Error).message).toMatch(/has format \d+; this version reads format \d+, so it will be rebuilt/);
  });

  it('re-tags, without re-embedding, an index whose entities another tagger version made', async () => {
    const dirs = await freshCorpus('retag');
    const first = await buildIndex({ ...dirs, embedder: model, prefixes: PREFIXES });
    const stored = first.index.passages;
    const untagged: PassageStore = {
      length: stored.length,
      get: (label) => stored.get(label),
      location: (label) => stored.location(label),
      sentenceCount: (label) => stored.sentenceCount(label),
      entities: (label) => new Uint16Array(stored.sentenceCount(label)),
      close: () => undefined,
    };
    const previous: StoryIndex = { ...first.index, passages: untagged, manifest: { ...first.index.manifest, entityTagger: ENTITY_TAGGER_VERSION - 1 } };
    const counting = new CountingEmbedder(model);
    const rebuilt = await buildIndex({ ...dirs, embedder: counting, prefixes: PREFIXES, previous });
    expect(rebuilt.summary).toMatchObject({ upToDate: false, embedded: 0, reused: 13 });
    expect(counting.embeddedTexts).toEqual([]);
    expect(entities(rebuilt.index)).toEqual(entities(first.index));
    expect(entities(rebuilt.index).flat().some((kinds) => kinds !== 0)).toBe(true);
  });

  it('reports a missing index as missing', async () => {
    const failure = await loadIndex(join(scratch, 'nothing-here')).catch((error: unknown) => error);
    expect(isAppError(failure, 'INDEX_MISSING')).toBe(true);
  });

  it('refuses an empty corpus and leaves the previous index in place', async () => {
    const dirs = await freshCorpus('emptied');
    const first = await buildIndex({ ...dirs, embedder: model, prefixes: PREFIXES });
    await writeFile(join(dirs.corpusDir, SEED_FILE), 'Advertisement');
    const failure = await buildIndex({ ...dirs, embedder: model, prefixes: PREFIXES, previous: first.index }).catch((error: unknown) => error);
    expect(isAppError(failure, 'CORPUS_EMPTY')).toBe(true);
    expect((failure as Error).message).toContain(`${SEED_FILE}: no article text left`);
    expect((await loadIndex(dirs.indexDir)).manifest).toEqual(first.index.manifest);
  });
});
