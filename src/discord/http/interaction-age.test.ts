import { describe, expect, it } from 'vitest';
import { InteractionAges, snowflakeTime } from './interaction-age.js';

const DISCORD_EPOCH_MS = 1_420_070_400_000;
const idAt = (ms: number, sequence = 0): string => String((BigInt(ms - DISCORD_EPOCH_MS) << 22n) | BigInt(sequence));

describe('InteractionAges', () => {
  it('reads a snowflake’s time', () => {
    expect(snowflakeTime('175928847299117063')).toBe(1_462_015_105_796); // Discord's documented example
    expect(snowflakeTime(idAt(1_800_000_000_123, 7))).toBe(1_800_000_000_123);
  });

  it('measures waits from the quickest arrival, whatever the offset between this clock and Discord’s', () => {
    for (const skew of [0, 4_000, -4_000]) {
      const ages = new InteractionAges();
      const t = 1_800_000_000_000;
      expect(ages.waited(idAt(t), t + skew + 20)).toBe(0);
      expect(ages.waited(idAt(t + 1_000), t + 1_000 + skew + 5)).toBe(0); // a quicker one becomes the baseline
      expect(ages.waited(idAt(t + 2_000), t + 2_000 + skew + 3_505)).toBe(3_500);
    }
  });

  it('forgets the quickest arrival after two windows, so a clock that jumped is followed', () => {
    const ages = new InteractionAges(1_000);
    const t = 1_800_000_000_000;
    ages.waited(idAt(t), t);
    // This clock jumps 5 s ahead: at first every interaction looks late…
    expect(ages.waited(idAt(t + 500), t + 5_500)).toBe(5_000);
    ages.waited(idAt(t + 1_600), t + 6_600);
    ages.waited(idAt(t + 2_700), t + 7_700);
    // …then the jump is the new baseline.
    expect(ages.waited(idAt(t + 3_000), t + 8_000)).toBe(0);
  });
});
