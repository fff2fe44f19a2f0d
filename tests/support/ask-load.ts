/**
 * @module ask-load: a steady stream of /ask through the fake Discord, one member per question, and
 * what came of it: how fast each was deferred and answered, and the throughput. Used by the CI
 * load test (a few seconds) and `npm run load` (the full 1,000 at 50 per second).
 */
import { percentile } from '../../scripts/bench/stats.js';
import { type Harness, callbackOf, isCallback, isEdit } from './bot-harness.js';
import type { Interaction } from './fake-discord.js';

const QUESTIONS = ['what did Putin demand', 'Who is the Senate Majority Leader?', 'What did Kerry say?', 'When did the deal get struck?', 'Who wrote Hamlet?'];
/** Discord drops an interaction not acknowledged within this long. */
export const DEFERRAL_LIMIT_MS = 3_000;
/** Interaction callback types: an immediate reply (here, the "too busy" one) and a deferral. */
const CALLBACK_REPLY = 4;
const CALLBACK_DEFER = 5;
/** How long the run waits for the last answers before counting the rest as unanswered. */
const ANSWER_TIMEOUT_MS = 60_000;

export interface LoadOptions {
  count: number;
  perSecond: number;
}

export interface LoadFigures {
  count: number;
  targetPerSecond: number;
  /** The rate the questions actually went out at. */
  sentPerSecond: number;
  /** Answers per second, from the first question sent to the last answer received. */
  answeredPerSecond: number;
  /** Deferred, then answered. */
  answered: number;
  /** Told privately at once that the bot is too busy (when more arrive than it works on at once). */
  turnedAway: number;
  /** Neither answered nor turned away: lost. */
  unanswered: number;
  deferralMs: { p50: number; p99: number; max: number };
  answerMs: { p50: number; p99: number; max: number };
  /** Deferrals slower than Discord's 3 s. */
  lateDeferrals: number;
  /** Which question (0 = the first sent) waited longest for its deferral. */
  slowestDeferralOrdinal: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const spread = (values: number[]): { p50: number; p99: number; max: number } => ({ p50: percentile(values, 50), p99: percentile(values, 99), max: Math.max(...values) });

export async function runAskLoad(harness: Pick<Harness, 'ask' | 'fake'>, { count, perSecond }: LoadOptions): Promise<LoadFigures> {
  const sent: { interaction: Interaction; at: number }[] = [];
  const started = Date.now();
  for (let k = 0; k < count; k += 1) {
    // Paced against the clock, not by fixed sleeps, so a slow tick does not lower the rate.
    const due = started + (k * 1000) / perSecond;
    if (due > Date.now()) await sleep(due - Date.now());
    const member = { id: String(420_000_000_000_000_000n + BigInt(k)), username: `member${k}` };
    sent.push({ interaction: harness.ask(QUESTIONS[k % QUESTIONS.length] ?? '', member), at: Date.now() });
  }
  const lastSent = Date.now();
  // One pass over what the fake recorded, polled, rather than a waiter per question: thousands of
  // waiters each re-scanning every request would themselves stall the event loop the bot runs on.
  const byToken = new Map(sent.map(({ interaction, at }, ordinal) => [interaction.token, { at, ordinal, deferredAt: 0, answeredAt: 0, turnedAway: false }]));
  let seen = 0;
  let settled = 0;
  const deadline = Date.now() + ANSWER_TIMEOUT_MS;
  while (settled < count && Date.now() < deadline) {
    for (const request of harness.fake.requests.slice(seen)) {
      // Callbacks are /interactions/{id}/{token}/callback, edits /webhooks/{app}/{token}/messages/@original.
      const state = byToken.get(request.path.split('/')[3] ?? '');
      if (state === undefined || request.status >= 300) continue;
      if (isCallback(request) && callbackOf(request).type === CALLBACK_REPLY) {
        state.turnedAway = true;
        settled += 1;
      }
      if (isCallback(request) && callbackOf(request).type === CALLBACK_DEFER) state.deferredAt = request.at;
      if (isEdit(request) && state.answeredAt === 0) {
        state.answeredAt = request.at;
        settled += 1;
      }
    }
    seen = harness.fake.requests.length;
    if (settled < count) await sleep(50);
  }
  const answered = [...byToken.values()]
    .filter((state) => state.deferredAt > 0 && state.answeredAt > 0)
    .map((state) => ({ deferralMs: state.deferredAt - state.at, answerMs: state.answeredAt - state.at, answeredAt: state.answeredAt, ordinal: state.ordinal }));
  const turnedAway = [...byToken.values()].filter((state) => state.turnedAway).length;
  const deferrals = answered.map((o) => o.deferralMs);
  return {
    count,
    targetPerSecond: perSecond,
    sentPerSecond: count > 1 ? (count - 1) / (Math.max(1, lastSent - started) / 1000) : Number.NaN,
    answeredPerSecond: answered.length / (Math.max(1, ...answered.map((o) => o.answeredAt - started)) / 1000),
    answered: answered.length,
    turnedAway,
    unanswered: count - answered.length - turnedAway,
    deferralMs: spread(deferrals),
    answerMs: spread(answered.map((o) => o.answerMs)),
    lateDeferrals: deferrals.filter((ms) => ms > DEFERRAL_LIMIT_MS).length,
    slowestDeferralOrdinal: answered.reduce((slowest, o) => (o.deferralMs > slowest.deferralMs ? o : slowest), answered[0] ?? { deferralMs: 0, ordinal: -1 }).ordinal,
  };
}
