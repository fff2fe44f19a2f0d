/**
 * @module result-cache: recent answers, kept for a while so their "More passages" button can show
 * the next results. Bounded in size and age: an old button gets a polite "expired" instead.
 */
import type { SearchResult } from '../search/search.js';

export interface ResultCacheOptions {
  /** @default 15 minutes, as long as Discord lets the bot edit its reply */
  ttlMs?: number;
  /** @default 1000 */
  maxEntries?: number;
  now?: () => number;
}

export class ResultCache {
  private readonly entries = new Map<string, { result: SearchResult; expires: number }>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: ResultCacheOptions = {}) {
    this.ttlMs = options.ttlMs ?? 15 * 60 * 1000;
    this.maxEntries = options.maxEntries ?? 1000;
    this.now = options.now ?? Date.now;
  }

  set(id: string, result: SearchResult): void {
    this.entries.delete(id);
    this.entries.set(id, { result, expires: this.now() + this.ttlMs });
    // Maps iterate in insertion order, so the first entries are the oldest.
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(key);
    }
  }

  get(id: string): SearchResult | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    if (entry.expires <= this.now()) {
      this.entries.delete(id);
      return undefined;
    }
    return entry.result;
  }
}
