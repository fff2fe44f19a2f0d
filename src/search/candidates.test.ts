/** The evidence gathered about candidates, read from a real index built with the real model and taggers. */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../tests/support/temp-dir.js';
import type { Embedder } from '../embeddings/embedder.js';
import { resolveModelSpec } from '../embeddings/models.js';
import { createTransformersEmbedder } from '../embeddings/transformers-embedder.js';
import { buildIndex } from '../index/build-index.js';
import { closeIndex } from '../index/index-store.js';
import type { StoryIndex } from '../index/story-index.js';
import { type Candidate, gatherCandidates } from './candidates.js';
import { type RelatedTerms, loadRelatedTerms } from './related-terms.js';

const ARTICLE = `---
title: Talks on Syria's weapons
---
Secretary of State John Kerry met Russian Foreign Minister Sergey Lavrov in Geneva on Thursday.

"We will not accept delays," he said. "The weapons must be destroyed by June 2014."

The inspectors' budget was not discussed.
`;

describe('gatherCandidates', () => {
  let model: Embedder;
  let index: StoryIndex;
  let relatedTerms: RelatedTerms;
  let scratch: string;

  beforeAll(async () => {
    model = await createTransformersEmbedder({ model: resolveModelSpec('use-lite'), cacheDir: '.cache/models' });
    scratch = await makeTempDir('candidates');
    const corpusDir = join(scratch, 'corpus');
    await mkdir(corpusDir);
    await writeFile(join(corpusDir, 'talks.md'), ARTICLE);
    ({ index } = await buildIndex({ corpusDir, indexDir: join(scratch, 'index'), embedder: model, prefixes: { queryPrefix: '', passagePrefix: '' } }));
    relatedTerms = await loadRelatedTerms();
  });
  afterAll(async () => {
    closeIndex(index);
    await model.dispose();
    await rm(scratch, { recursive: true, force: true });
  });

  async function candidate(question: string, paragraph: number): Promise<Candidate> {
    const { candidates } = await gatherCandidates(index, model, question, { relatedTerms });
    const found = candidates.find((c) => c.passage.paragraph === paragraph);
    if (!found) throw new Error(`paragraph ${paragraph} is not a candidate for "${question}"`);
    return found;
  }

  it('marks the sentences holding the kind of answer asked for, from the entities tagged at indexing', async () => {
    const quote = await candidate('when must the weapons be destroyed', 2);
    expect(quote.sentences.map((s) => s.hasAnswerType)).toEqual([false, true]);
    const lead = await candidate('who met Lavrov', 1);
    expect(lead.sentences.map((s) => s.hasAnswerType)).toEqual([true]);
  });

  it('counts a related word apart from the question’s own words', async () => {
    const quote = await candidate('when will the destruction of the weapons be finished', 2);
    const [said, destroyed] = quote.sentences;
    expect(destroyed?.relatedCoverage).toBeGreaterThan(0); // "destroyed" stands for "destruction"
    expect(said?.relatedCoverage).toBe(0);
    const without = (await gatherCandidates(index, model, 'when will the destruction of the weapons be finished')).candidates.find((c) => c.passage.paragraph === 2);
    expect(without?.sentences.map((s) => s.relatedCoverage)).toEqual([0, 0]);
  });

  it('reads a quote paragraph with the paragraph before, where its speaker is named', async () => {
    const quote = await candidate('what did Kerry say about delays', 2);
    expect(quote.quoteContextCoverage).toBeGreaterThan(quote.passageCoverage); // "Kerry" is named only before the quote
    const plain = await candidate('what did Kerry say about delays', 3);
    expect(plain.quoteContextCoverage).toBeUndefined();
  });
});
