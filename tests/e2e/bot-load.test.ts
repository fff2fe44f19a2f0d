/**
 * Load through the fake Discord: a stream of /ask at 50 per second, each deferred within Discord's
 * 3 s and answered. CI sends a few seconds' worth; `npm run load` sends the full 1,000. And a flood
 * beyond what the bot works on at once: the excess is told privately to come back, nothing is lost.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFERRAL_LIMIT_MS, runAskLoad } from '../support/ask-load.js';
import { EPHEMERAL, type Harness, type HarnessOptions, callbackOf, isCallback, startHarness } from '../support/bot-harness.js';

let harness: Harness | undefined;

async function start(options: HarnessOptions = {}): Promise<Harness> {
  harness = await startHarness(options);
  return harness;
}

afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

describe('load', () => {
  it('defers and answers 150 questions sent at 50 per second', async () => {
    const bot = await start();
    const figures = await runAskLoad(bot, { count: 150, perSecond: 50 });
    console.info(`load: ${JSON.stringify(figures)}`);
    expect(figures).toMatchObject({ answered: 150, turnedAway: 0, unanswered: 0, lateDeferrals: 0 });
    expect(figures.deferralMs.max).toBeLessThan(DEFERRAL_LIMIT_MS);
    expect(bot.logs.find('interaction failed')).toEqual([]);
  });

  it('turns a flood beyond its capacity away privately, answers the rest, and loses none', async () => {
    const bot = await start({ maxInFlight: 4 });
    const figures = await runAskLoad(bot, { count: 40, perSecond: 10_000 });
    expect(figures.unanswered).toBe(0);
    expect(figures.answered).toBeGreaterThanOrEqual(4);
    expect(figures.turnedAway).toBeGreaterThan(0);
    const busy = bot.fake.requests.filter((r) => isCallback(r) && callbackOf(r).type === 4).map(callbackOf);
    expect(busy).toHaveLength(figures.turnedAway);
    for (const reply of busy) expect(reply.data).toMatchObject({ flags: EPHEMERAL, content: expect.stringContaining('please ask again in a few seconds') });
    expect(bot.logs.find('too busy: interaction turned away')).toHaveLength(figures.turnedAway);
  });
});
