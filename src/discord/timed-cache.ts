/**
 * @module timed-cache: what a button needs later, kept for a while: recent answers (for "More
 * passages"), removals waiting for confirmation. Bounded in size and age: an old button gets a
 * polite "expired" instead.
 */

export interface TimedCacheOptions {
  /** @default 15 minutes, as long as Discord lets the bot edit its reply */
  ttlMs?: number;
  /** @default 1000 */
  maxEntries?: number;
  now?: () => number;
}

export class TimedCache<T> {
  private readonly entries = new Map<string, { value: T; expires: number }>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: TimedCacheOptions = {}) {
    this.ttlMs = options.ttlMs ?? 15 * 60 * 1000;
    this.maxEntries = options.maxEntries ?? 1000;
    this.now = options.now ?? Date.now;
  }

  set(id: string, value: T): void {
    this.entries.delete(id);
    this.entries.set(id, { value, expires: this.now() + this.ttlMs });
    // Maps iterate in insertion order, so the first entries are the oldest.
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(key);
    }
  }

  get(id: string): T | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    if (entry.expires <= this.now()) {
      this.entries.delete(id);
      return undefined;
    }
    return entry.value;
  }

  delete(id: string): void {
    this.entries.delete(id);
  }
}
