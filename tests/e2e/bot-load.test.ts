/**
 * Load through the fake Discord: a stream of /ask at 50 per second, each deferred within Discord's
 * 3 s and answered. CI sends a few seconds' worth; `npm run load` sends the full 1,000.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFERRAL_LIMIT_MS, runAskLoad } from '../support/ask-load.js';
import { type Harness, startHarness } from '../support/bot-harness.js';

const COUNT = 150;
const PER_SECOND = 50;

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(() => harness?.stop());

describe('load', () => {
  it(`defers and answers ${COUNT} questions sent at ${PER_SECOND} per second`, async () => {
    const figures = await runAskLoad(harness, { count: COUNT, perSecond: PER_SECOND });
    console.info(`load: ${JSON.stringify(figures)}`);
    expect(figures.answered).toBe(COUNT);
    expect(figures.deferralMs.max).toBeLessThan(DEFERRAL_LIMIT_MS);
    expect(harness.logs.find('interaction failed')).toEqual([]);
  });
});
