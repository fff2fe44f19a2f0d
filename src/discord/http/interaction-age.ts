/**
 * @module interaction-age: how long an interaction waited before this replica read it. Discord
 * allows 3 s for the first response; an interaction read later than that cannot be answered, and
 * working on it anyway (a search, then an edit Discord refuses) takes the time the next ones need,
 * which is how an overloaded replica falls further and further behind. The age comes from the id (a
 * snowflake holds its creation time in ms); this host's clock may differ from Discord's, so an age
 * counts from the quickest arrival seen lately, which stands for no wait at all.
 */

/** Discord's epoch in snowflakes (2015-01-01). */
const DISCORD_EPOCH_MS = 1_420_070_400_000n;
/** How long the quickest arrival is remembered: clocks drift slowly, while a long overload would raise a short window's minimum. */
const BASELINE_WINDOW_MS = 10 * 60_000;

/** When Discord made the snowflake, in ms since 1970. */
export function snowflakeTime(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH_MS);
}

export class InteractionAges {
  private quickest = Number.POSITIVE_INFINITY;
  private quickestBefore = Number.POSITIVE_INFINITY;
  private windowStart = Number.NEGATIVE_INFINITY;

  constructor(private readonly windowMs = BASELINE_WINDOW_MS) {}

  /** How much longer than the quickest recent arrival the interaction took to reach this process, in ms. */
  waited(id: string, now = Date.now()): number {
    const offset = now - snowflakeTime(id);
    if (now - this.windowStart > this.windowMs) {
      this.quickestBefore = this.quickest;
      this.quickest = Number.POSITIVE_INFINITY;
      this.windowStart = now;
    }
    this.quickest = Math.min(this.quickest, offset);
    return offset - Math.min(this.quickest, this.quickestBefore);
  }
}
