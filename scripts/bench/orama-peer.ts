/**
 * @module orama-peer: the same passages and vectors in Orama (a TypeScript search engine with
 * hybrid search), as the peer our engine is compared against.
 */
import { type AnyOrama, create, insertMultiple, search } from '@orama/orama';
import type { StoryIndex } from '../../src/index/story-index.js';
import { allPassages } from '../../src/index/passage-file.js';

export interface OramaPeer {
  /** Passage labels, best first. */
  search(question: string, queryVector: Float32Array, limit: number): Promise<number[]>;
}

export async function buildOramaPeer(index: StoryIndex): Promise<OramaPeer> {
  const dimensions = index.manifest.embedding.dimensions;
  const db: AnyOrama = create({
    schema: { label: 'number', text: 'string', embedding: `vector[${dimensions}]` },
    components: { tokenizer: { language: 'english', stemming: true } },
  });
  const documents = allPassages(index.passages).map((passage, label) => ({ label, text: passage.text, embedding: Array.from(index.passageVectors.of(label)[0] ?? []) }));
  for (let start = 0; start < documents.length; start += 1000) await insertMultiple(db, documents.slice(start, start + 1000));
  return {
    async search(question, queryVector, limit) {
      const results = await search(db, {
        mode: 'hybrid',
        term: question,
        vector: { value: Array.from(queryVector), property: 'embedding' },
        // Orama's default 0.8 would drop nearly every use-lite match (relevant ones score 0.3-0.7).
        similarity: 0.1,
        limit,
      });
      return results.hits.map((hit) => Number(hit.document.label));
    },
  };
}
