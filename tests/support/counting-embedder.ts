/** @module counting-embedder: a real Embedder that records every text it is asked to embed. */
import type { EmbedPassagesOptions, Embedder } from '../../src/embeddings/embedder.js';

export class CountingEmbedder implements Embedder {
  readonly embeddedTexts: string[] = [];

  constructor(private readonly inner: Embedder) {}

  get modelId(): string {
    return this.inner.modelId;
  }
  get dimensions(): number {
    return this.inner.dimensions;
  }
  get maxTokens(): number {
    return this.inner.maxTokens;
  }

  embedPassages(texts: readonly string[], options?: EmbedPassagesOptions): Promise<Float32Array[]> {
    this.embeddedTexts.push(...texts);
    return this.inner.embedPassages(texts, options);
  }
  embedQuery(text: string): Promise<Float32Array> {
    return this.inner.embedQuery(text);
  }
  countTokens(text: string): number {
    return this.inner.countTokens(text);
  }
  dispose(): Promise<void> {
    return this.inner.dispose();
  }
}
