/** @module embedder: what the rest of the app needs from a sentence-embedding model. */

export interface EmbedProgress {
  done: number;
  total: number;
}

export interface EmbedPassagesOptions {
  /** Called after each batch. */
  onProgress?: (progress: EmbedProgress) => void;
}

/** A loaded sentence encoder. Vectors are L2-normalised, so a dot product is a cosine. */
export interface Embedder {
  /** The configured model id, e.g. "use-lite" or "Xenova/all-MiniLM-L6-v2". */
  readonly modelId: string;
  readonly dimensions: number;
  /** How many tokens of an input the model reads; the rest is ignored. */
  readonly maxTokens: number;
  /** Embeds passages in batches (with the model's passage prefix); one vector per text, in order. */
  embedPassages(texts: readonly string[], options?: EmbedPassagesOptions): Promise<Float32Array[]>;
  /** Embeds one question (with the model's query prefix). */
  embedQuery(text: string): Promise<Float32Array>;
  /** The number of tokens the model sees for a text, before truncation. */
  countTokens(text: string): number;
  dispose(): Promise<void>;
}
