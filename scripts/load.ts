/**
 * `npm run load [-- --count N] [-- --rate R] [-- --json]`: the full load test: 1,000 /ask through
 * the fake Discord at 55 per second (at least the 50 the issue asks for, after timer lag), with the
 * real engine and discord.js client. Prints throughput and the slowest deferral; exits 1 unless
 * every question was deferred within Discord's 3 s and answered (none turned away as too busy).
 */
import { parseArgs } from 'node:util';
import { round } from './bench/stats.js';
import { DEFERRAL_LIMIT_MS, runAskLoad } from '../tests/support/ask-load.js';
import { startHarness } from '../tests/support/bot-harness.js';

const { values: flags } = parseArgs({ options: { count: { type: 'string', default: '1000' }, rate: { type: 'string', default: '55' }, json: { type: 'boolean' } } });
const count = Number(flags.count);
const perSecond = Number(flags.rate);
if (!Number.isInteger(count) || count < 1 || !(perSecond > 0)) {
  process.stderr.write('usage: npm run load -- [--count N] [--rate PER_SECOND] [--json]\n');
  process.exit(2);
}

process.stderr.write(`starting the bot against the fake Discord, then ${count} /ask at ${perSecond}/s…\n`);
const harness = await startHarness();
const memoryBefore = process.memoryUsage().rss;
const figures = await runAskLoad(harness, { count, perSecond });
const rssMb = round(Math.max(memoryBefore, process.memoryUsage().rss) / 1024 / 1024, 0);
const failures = harness.logs.find('interaction failed').length;
await harness.stop();

if (flags.json) {
  process.stdout.write(`${JSON.stringify({ ...figures, failures, rssMb })}\n`);
} else {
  const ms = (spread: { p50: number; p99: number; max: number }): string => `p50 ${spread.p50} ms, p99 ${spread.p99} ms, max ${spread.max} ms`;
  process.stdout.write(
    [
      `questions:   ${figures.answered}/${figures.count} answered, ${figures.turnedAway} turned away as too busy, ${figures.unanswered} lost (${failures} failed)`,
      `sent at:     ${round(figures.sentPerSecond, 1)}/s (target ${figures.targetPerSecond}/s)`,
      `throughput:  ${round(figures.answeredPerSecond, 1)} answers/s`,
      `deferral:    ${ms(figures.deferralMs)} (${figures.lateDeferrals} over ${DEFERRAL_LIMIT_MS / 1000} s; slowest: question #${figures.slowestDeferralOrdinal + 1})`,
      `answer:      ${ms(figures.answerMs)}`,
      `process rss: ${rssMb} MB (bot, engine and fake Discord in one process)`,
      '',
    ].join('\n'),
  );
}
process.exitCode = figures.answered === figures.count && figures.lateDeferrals === 0 && failures === 0 ? 0 : 1;
