/** @module vectors: small vector helpers for tests. */

/** Cosine similarity; both sides need not be normalised. */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let k = 0; k < a.length; k += 1) {
    const x = a[k] ?? 0;
    const y = b[k] ?? 0;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  return dot / Math.sqrt(normA * normB);
}
