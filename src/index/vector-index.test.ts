/** The vector search with a projected graph, on real sentence embeddings. */
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../tests/support/temp-dir.js';
import { splitSentences } from '../corpus/sentences.js';
import type { Embedder } from '../embeddings/embedder.js';
import { resolveModelSpec } from '../embeddings/models.js';
import { createTransformersEmbedder } from '../embeddings/transformers-embedder.js';
import { parseQuestions } from '../search/evaluate.js';
import { Projection } from './projection.js';
import { PROJECTION, VectorIndex } from './vector-index.js';
import { VectorRecordFile, decodeRecord, encodeRecord } from './vector-records.js';

/** Paragraphs and sentences of the seed and the held-out articles: a few hundred real texts. */
const CORPORA = ['corpus', 'tests/fixtures/heldout/corpus'];

describe('VectorIndex with a projected graph', () => {
  let model: Embedder;
  let scratch: string;
  let stored: Float32Array[];
  let records: VectorRecordFile;
  let questions: Float32Array[];

  beforeAll(async () => {
    model = await createTransformersEmbedder({ model: resolveModelSpec('use-lite'), cacheDir: '.cache/models' });
    scratch = await makeTempDir('vectors');
    const texts: string[] = [];
    for (const dir of CORPORA) {
      for (const file of await readdir(dir)) {
        const text = await readFile(join(dir, file), 'utf8');
        const paragraphs = text.split(/\n\s*\n/).filter((paragraph) => paragraph.length > 20);
        texts.push(...paragraphs, ...splitSentences(text).map(([start, end]) => text.slice(start, end)).filter((s) => s.length > 20));
      }
    }
    const encoded = (await model.embedPassages(texts)).map((vector) => encodeRecord(vector, model.dimensions));
    stored = encoded.map((record) => decodeRecord(record, model.dimensions));
    await writeFile(join(scratch, 'records.i8'), Buffer.concat(encoded));
    records = VectorRecordFile.open(join(scratch, 'records.i8'), stored.map(() => 1), model.dimensions);
    const asked = parseQuestions(await readFile('tests/fixtures/questions.jsonl', 'utf8')).map((q) => q.q);
    questions = [];
    for (const question of asked) questions.push(await model.embedQuery(question));
  });
  afterAll(async () => {
    records.close();
    await model.dispose();
    await rm(scratch, { recursive: true, force: true });
  });

  it('finds the exact ten nearest stored vectors through a graph of projected ones', () => {
    expect(stored.length).toBeGreaterThan(PROJECTION.rescoreDepth * 2); // the graph, not the rescoring, must find them
    const index = VectorIndex.build(stored, model.dimensions, 1);
    expect(index.projection?.outputDimensions).toBe(PROJECTION.dimensions);
    let found = 0;
    for (const query of questions) {
      const exact = stored.map((vector) => vector.reduce((sum, value, d) => sum + value * (query[d] ?? 0), 0)).sort((a, b) => b - a);
      const tenth = exact[9] ?? -Infinity;
      const hits = index.search(query, 10, records);
      expect(hits).toHaveLength(10);
      expect(hits[0]?.similarity).toBeCloseTo(exact[0] ?? 0, 5);
      found += hits.filter((hit) => hit.similarity >= tenth - 1e-6).length;
    }
    expect(found / (questions.length * 10)).toBeGreaterThanOrEqual(0.99);
  });

  it('serves a small story without its graph, which would propose every passage anyway: the same hits, exactly', async () => {
    const few = stored.slice(0, PROJECTION.rescoreDepth);
    const fewRecords = join(scratch, 'few.i8');
    await writeFile(fewRecords, Buffer.concat(few.map((vector) => encodeRecord(vector, model.dimensions))));
    const fewFile = VectorRecordFile.open(fewRecords, few.map(() => 1), model.dimensions);
    try {
      const built = VectorIndex.build(few, model.dimensions);
      expect(built.holdsGraph).toBe(true);
      const served = await built.write(join(scratch, 'few.hnsw'));
      const read = await VectorIndex.read(join(scratch, 'few.hnsw'), model.dimensions, undefined, few.length);
      expect([served.holdsGraph, read.holdsGraph]).toEqual([false, false]);
      for (const query of questions) {
        const withGraph = built.search(query, 10, fewFile);
        expect(read.search(query, 10, fewFile)).toEqual(withGraph);
        expect(served.search(query, 10, fewFile)).toEqual(withGraph);
      }
      // One passage more and the graph is read and used.
      const more = VectorIndex.build(stored.slice(0, PROJECTION.rescoreDepth + 1), model.dimensions);
      await more.write(join(scratch, 'more.hnsw'));
      expect((await VectorIndex.read(join(scratch, 'more.hnsw'), model.dimensions, undefined, PROJECTION.rescoreDepth + 1)).holdsGraph).toBe(true);
    } finally {
      fewFile.close();
    }
  });

  it('round-trips a projection through bytes, and refuses a truncated one', () => {
    const projection = Projection.fit(stored, model.dimensions, PROJECTION.dimensions);
    const bytes = projection.toBytes();
    const query = questions[0] ?? new Float32Array();
    expect(Array.from(Projection.fromBytes(bytes).query(query))).toEqual(Array.from(projection.query(query)));
    expect(() => Projection.fromBytes(bytes.subarray(0, bytes.byteLength - 4))).toThrow('expected');
  });
});
