/**
 * `npm run bench:shards [-- --shards N] [-- --count N] [-- --rate R] [-- --json]`: `npm run
 * start:sharded` (compiled) against the fake Discord recommending N shards (default 2), with the
 * seed corpus and an existing index: manager start → every shard ready, resident memory of each
 * shard and of the manager, then a stream of /ask spread over the shards' servers and the answers
 * per second it got.
 */
import { cpus } from 'node:os';
import { cp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildForStart, residentMb } from './bench/cold-start.js';
import { round } from './bench/stats.js';
import { runAskLoad } from '../tests/support/ask-load.js';
import { guildIdForShard, startFakeDiscord } from '../tests/support/fake-discord.js';
import { startNodeProcess, waitForOutput } from '../tests/support/node-process.js';
import { makeTempDir } from '../tests/support/temp-dir.js';

const { values: flags } = parseArgs({
  options: { shards: { type: 'string', default: '2' }, count: { type: 'string', default: '600' }, rate: { type: 'string', default: '150' }, json: { type: 'boolean' } },
});
const shards = Number(flags.shards);
const count = Number(flags.count);
const perSecond = Number(flags.rate);
if (![shards, count].every((n) => Number.isInteger(n) && n >= 1) || !(perSecond > 0)) {
  process.stderr.write('usage: npm run bench:shards -- [--shards N] [--count N] [--rate PER_SECOND] [--json]\n');
  process.exit(2);
}

const TOKEN = 'bench.shards.token';
process.stderr.write(`compiling, then ${shards} shard(s) against the fake Discord, then ${count} /ask at ${perSecond}/s…\n`);
await buildForStart();
const scratch = await makeTempDir('bench-shards');
await cp('corpus', join(scratch, 'corpus'), { recursive: true });
const guilds = Array.from({ length: shards }, (_, shard) => ({ id: guildIdForShard(shard, shards), name: `Server on shard ${shard}` }));
const fake = await startFakeDiscord({ token: TOKEN, shards, guilds });
const env = {
  DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.apiUrl, TOTAL_SHARDS: '', CORPUS_DIR: join(scratch, 'corpus'), INDEX_DIR: join(scratch, 'index'),
  DATA_DIR: join(scratch, 'data'), MODEL_CACHE_DIR: '.cache/models', LOG_LEVEL: 'info', ASK_COOLDOWN_SECONDS: '0',
};
try {
  // The index exists before the measured start, as after any first run.
  const prepare = startNodeProcess(['dist/cli/main.js', 'reindex'], env);
  if ((await prepare.exited) !== 0) throw new Error(`building the index failed:\n${prepare.output()}`);

  const started = performance.now();
  const manager = startNodeProcess(['dist/discord/sharded.js'], env);
  await waitForOutput(manager, 'all shards ready', 120_000);
  const startSeconds = (performance.now() - started) / 1000;
  const pids = [...manager.output().matchAll(/"shardPid":(\d+)/g)].map((match) => Number(match[1]));

  let sent = 0;
  const ask = (question: string, user?: { id: string; username?: string }) =>
    fake.sendCommand({ guildId: guilds[(sent += 1) % shards]?.id ?? '', name: 'ask', options: [{ name: 'question', type: 3, value: question }], ...(user ? { user } : {}) });
  const load = await runAskLoad({ fake, ask }, { count, perSecond });
  const shardRssMb = await Promise.all(pids.map(async (pid) => round(await residentMb(pid), 0)));
  const managerRssMb = manager.child.pid === undefined ? Number.NaN : round(await residentMb(manager.child.pid), 0);
  manager.child.kill('SIGTERM');
  await manager.exited;

  const figures = {
    shards,
    cores: cpus().length,
    startSeconds: round(startSeconds, 2),
    shardRssMb,
    managerRssMb,
    answered: load.answered,
    unanswered: load.unanswered + load.turnedAway,
    answersPerSecond: round(load.answeredPerSecond, 1),
    answersPerSecondPerCore: round(load.answeredPerSecond / cpus().length, 1),
    answerMs: load.answerMs,
  };
  if (flags.json) process.stdout.write(`${JSON.stringify(figures)}\n`);
  else {
    process.stdout.write(
      [
        `start:       ${figures.startSeconds} s from manager start to ${shards} shard(s) ready (index already built)`,
        `memory:      ${shardRssMb.join(' MB, ')} MB resident per shard; manager ${managerRssMb} MB`,
        `answers:     ${load.answered}/${count} at ${perSecond}/s sent → ${figures.answersPerSecond}/s on ${figures.cores} cores (${figures.answersPerSecondPerCore}/s per core; the fake Discord and this load run on the same cores)`,
        `answer time: p50 ${load.answerMs.p50} ms, p99 ${load.answerMs.p99} ms, max ${load.answerMs.max} ms`,
        '',
      ].join('\n'),
    );
  }
} finally {
  await fake.stop();
  await rm(scratch, { recursive: true, force: true });
}
