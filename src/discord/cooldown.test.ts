import { describe, expect, it } from 'vitest';
import { Cooldown } from './cooldown.js';

describe('Cooldown', () => {
  it('lets each member go once per pause, tells when to retry, and forgets finished pauses', () => {
    let now = 1_000_000;
    const cooldown = new Cooldown({ seconds: 5, now: () => now });
    expect(cooldown.take('alice')).toEqual({ allowed: true });
    expect(cooldown.take('bob')).toEqual({ allowed: true });
    now += 2_000;
    expect(cooldown.take('alice')).toEqual({ allowed: false, retryAt: 1_005_000 });
    now += 1_000;
    expect(cooldown.take('alice')).toEqual({ allowed: false, retryAt: 1_005_000 }); // refusals do not extend it
    now += 2_000;
    expect(cooldown.take('alice')).toEqual({ allowed: true });
    expect(cooldown.size).toBe(1); // bob's finished pause was dropped
  });

  it('is off at 0 seconds', () => {
    const cooldown = new Cooldown({ seconds: 0 });
    expect([cooldown.take('alice'), cooldown.take('alice')]).toEqual([{ allowed: true }, { allowed: true }]);
    expect(cooldown.size).toBe(0);
  });
});
