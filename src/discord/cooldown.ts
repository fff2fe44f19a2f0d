/**
 * @module cooldown: a per-member pause between two uses of a command, so one member cannot flood
 * the bot. Memory stays bounded: an entry is forgotten once its pause is over.
 */

export interface CooldownOptions {
  seconds: number;
  now?: () => number;
}

/** Either the member may go ahead now, or not before `retryAt` (ms since the epoch). */
export type CooldownVerdict = { allowed: true } | { allowed: false; retryAt: number };

export class Cooldown {
  private readonly until = new Map<string, number>();
  private readonly pauseMs: number;
  private readonly now: () => number;

  constructor(options: CooldownOptions) {
    this.pauseMs = options.seconds * 1000;
    this.now = options.now ?? Date.now;
  }

  /** Records a use by `memberId` when allowed; a refused attempt does not extend the pause. */
  take(memberId: string): CooldownVerdict {
    if (this.pauseMs <= 0) return { allowed: true };
    const now = this.now();
    const retryAt = this.until.get(memberId);
    if (retryAt !== undefined && retryAt > now) return { allowed: false, retryAt };
    this.forgetExpired(now);
    // Re-inserted, not updated, so the map stays in expiry order.
    this.until.delete(memberId);
    this.until.set(memberId, now + this.pauseMs);
    return { allowed: true };
  }

  /** Members currently waiting (for tests and metrics). */
  get size(): number {
    return this.until.size;
  }

  private forgetExpired(now: number): void {
    // Entries are inserted in time order with one pause length, so the expired ones come first.
    for (const [memberId, retryAt] of this.until) {
      if (retryAt > now) break;
      this.until.delete(memberId);
    }
  }
}
