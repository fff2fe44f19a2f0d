/**
 * `npm run start:sharded` as processes: discord.js's ShardingManager spawns the compiled bot as the
 * 2 shards the fake Discord recommends; each answers its own servers; a /reindex on one shard
 * switches the other; SIGTERM stops them all.
 */
import { execFile } from 'node:child_process';
import { cp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANAGE_GUILD, callbackOf, isCallback, isEdit, messageOf } from '../support/bot-harness.js';
import { type FakeDiscord, guildIdForShard, startFakeDiscord } from '../support/fake-discord.js';
import { type Running, startNodeProcess, waitForOutput } from '../support/node-process.js';
import { makeTempDir } from '../support/temp-dir.js';
import { tryLockReindex } from '../../src/index/reindex-lock.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.sharded-token-never-logged';
const GUILD_ON_SHARD = [guildIdForShard(0, 2), guildIdForShard(1, 2)] as const;
const NEW_TITLE = 'Zebra sanctuary opens in the Okavango';
const NEW_QUESTION = 'Who opened the Okavango zebra sanctuary?';

let scratch: string;
/** The compiled bot, as `npm run build` makes it, in a folder of its own (the bench compiles into dist/ meanwhile). */
let compiled: string;
let fake: FakeDiscord;
let manager: Running | undefined;

beforeAll(async () => {
  scratch = await makeTempDir('sharded');
  await cp('corpus', join(scratch, 'corpus'), { recursive: true });
  // Inside the project, so the compiled files find node_modules and package.json.
  compiled = join('.cache', `test-dist-${process.pid}`);
  await promisify(execFile)(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', '--outDir', compiled]);
  fake = await startFakeDiscord({
    token: TOKEN,
    shards: 2,
    guilds: GUILD_ON_SHARD.map((id, shard) => ({ id, name: `Server on shard ${shard}` })),
  });
});

afterAll(async () => {
  if (manager && manager.child.exitCode === null) {
    manager.child.kill('SIGTERM');
    await manager.exited;
  }
  await fake?.stop();
  await rm(scratch, { recursive: true, force: true });
  await rm(compiled, { recursive: true, force: true });
});

function ask(shard: 0 | 1, question: string) {
  return fake.sendCommand({ guildId: GUILD_ON_SHARD[shard], name: 'ask', options: [{ name: 'question', type: 3, value: question }] });
}

async function answerText(shard: 0 | 1, question: string): Promise<string> {
  return JSON.stringify(messageOf(await ask(shard, question).waitForReply(isEdit, 15_000)));
}

/** Shard process ids, from the manager's log. */
function shardPids(output: string): number[] {
  return [...output.matchAll(/"shardPid":(\d+)/g)].map((match) => Number(match[1]));
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function startManager(env: Record<string, string>): Running {
  return startNodeProcess([join(compiled, 'discord/sharded.js')], {
    TOTAL_SHARDS: '',
    CORPUS_DIR: join(scratch, 'corpus'),
    INDEX_DIR: join(scratch, 'index'),
    DATA_DIR: join(scratch, 'data'),
    MODEL_CACHE_DIR: '.cache/models',
    LOG_LEVEL: 'info',
    ASK_COOLDOWN_SECONDS: '0',
    // Both servers may change the operator's story, which is what these tests reindex.
    ADMIN_GUILD_IDS: GUILD_ON_SHARD.join(','),
    ...env,
  });
}

describe('npm run start:sharded', () => {
  it('spawns the 2 shards Discord recommends, each identifying as its shard and answering its own server', async () => {
    manager = startManager({ DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.apiUrl });
    await waitForOutput(manager, 'all shards ready', 90_000);
    expect(fake.identifies.map((identify) => identify.shard).sort()).toEqual([[0, 2], [1, 2]]);
    expect(new Set(shardPids(manager.output())).size).toBe(2);

    for (const shard of [0, 1] as const) expect(await answerText(shard, 'Who is the Senate Majority Leader?')).toContain('Harry Reid');
  });

  it('rebuilds once on /reindex from shard 0, refuses a concurrent one on shard 1, then shard 1 answers from the new index', async () => {
    if (!manager) throw new Error('the shards did not start');
    expect(await answerText(1, NEW_QUESTION)).not.toContain(NEW_TITLE);
    // Enough new text that embedding it takes a while, so the second /reindex arrives mid-build.
    const paragraphs = [
      'Minister Thandiwe Mokoena opened the Okavango zebra sanctuary in Maun on Friday.',
      ...Array.from({ length: 150 }, (_, k) => `Rangers counted ${k * 7 + 31} zebras at waterhole ${k + 1} during week ${(k % 40) + 1}. The herd near camp ${k + 3} grazed by the river at dawn.`),
    ];
    await writeFile(join(scratch, 'corpus', 'zebras.md'), `---\ntitle: ${NEW_TITLE}\n---\n\n${paragraphs.join('\n\n')}\n`);

    const first = fake.sendCommand({ guildId: GUILD_ON_SHARD[0], name: 'reindex', memberPermissions: MANAGE_GUILD });
    await first.waitForReply((r) => isEdit(r) && (messageOf(r).content ?? '').startsWith('Embedding'), 30_000);
    const second = fake.sendCommand({ guildId: GUILD_ON_SHARD[1], name: 'reindex', memberPermissions: MANAGE_GUILD });
    const refusal = callbackOf(await second.waitForReply(isCallback, 15_000));
    // Seen once in seven runs under load: shard 1 rebuilt instead, and had restarted. The shards' log says why, if it happens again.
    expect(refusal, `shard 1 did not refuse; the shards' log ends:\n${manager.output().slice(-6000)}`).toMatchObject({ type: 4, data: { content: expect.stringContaining('A reindex is already running') } });

    const summary = await first.waitForReply((r) => isEdit(r) && (messageOf(r).content ?? '').startsWith('Reindex finished'), 60_000);
    expect(messageOf(summary).content).toContain('All 2 shards now answer from this index.');
    // Shard 1 logged the switch before confirming it, but its log reaches this process by another
    // channel (the shards' shared stderr pipe) than the summary (HTTP): it may still be on its way.
    await waitForOutput(manager, '"msg":"switched to the index another process built"', 15_000);
    expect(manager.output().match(/"msg":"index built"/g)).toHaveLength(2); // the first build before spawning, then this one
    expect(manager.output()).toMatch(/"shard":1,[^\n]*"msg":"switched to the index another process built"/);

    const answer = await answerText(1, NEW_QUESTION);
    expect(answer).toContain(NEW_TITLE);
    expect(answer).toContain('Mokoena');
  });

  it('/status tells an admin which shard answered, its servers, index, answers and memory, and refuses others', async () => {
    const refused = fake.sendCommand({ guildId: GUILD_ON_SHARD[1], name: 'status' });
    expect(callbackOf(await refused.waitForReply(isCallback)).data?.content).toBe('Only members who can manage this server may run /status.');

    const status = fake.sendCommand({ guildId: GUILD_ON_SHARD[1], name: 'status', memberPermissions: MANAGE_GUILD });
    const content = callbackOf(await status.waitForReply(isCallback)).data?.content ?? '';
    expect(content).toContain('**Shard 1** of 2 · 1 server on this shard');
    expect(content).toMatch(/Index: 2 articles, \d+ passages · model `use-lite` · built <t:\d+:R>/);
    expect(content).toContain('answers served: 3');
    expect(content).toMatch(/Memory: \d+ MB resident/);
  });

  it('starts a shard that died again, serving the last complete index even while a rebuild holds the lock', async () => {
    if (!manager) throw new Error('the shards did not start');
    const [, shardOne] = shardPids(manager.output());
    // Never kill(0): that signals this whole process group, the test runner included.
    if (shardOne === undefined) throw new Error(`shard 1's pid is not in the manager's output:\n${manager.output()}`);
    const rebuilding = tryLockReindex(join(scratch, 'index')); // as another process's rebuild would hold it
    try {
      process.kill(shardOne, 'SIGKILL');
      await waitForOutput(manager, '"msg":"shard process exited; starting it again"', 15_000);
      await waitForOutput(manager, '"shardId":1,"seconds"', 60_000, 2); // "shard ready", a second time
      expect(await answerText(1, NEW_QUESTION)).toContain(NEW_TITLE);
    } finally {
      rebuilding.release();
    }
  });

  it('stops every shard cleanly on SIGTERM to the manager, never printing the token', async () => {
    if (!manager) throw new Error('the shards did not start');
    const pids = shardPids(manager.output());
    manager.child.kill('SIGTERM');
    expect(await manager.exited).toBe(0);
    expect(manager.output().match(/"msg":"stopped"/g)).toHaveLength(3); // each running shard, then the manager
    expect(pids.filter(isRunning)).toEqual([]);
    expect(manager.output()).not.toContain(TOKEN);
  });

  it('starts TOTAL_SHARDS shards instead of the recommendation when it is set', async () => {
    const single = await startFakeDiscord({ token: TOKEN, shards: 2, guilds: GUILD_ON_SHARD.map((id, shard) => ({ id, name: `Server ${shard}` })) });
    const running = startManager({ DISCORD_TOKEN: TOKEN, DISCORD_API_URL: single.apiUrl, TOTAL_SHARDS: '1' });
    try {
      await waitForOutput(running, 'all shards ready', 60_000);
      expect(single.identifies.map((identify) => identify.shard)).toEqual([[0, 1]]);
      expect(running.output()).toContain('"totalShards":1,"recommended":2,');
    } finally {
      running.child.kill('SIGTERM');
      expect(await running.exited).toBe(0);
      await single.stop();
    }
  });

  it('refuses to start without a token (status 2), with a wrong one (status 1), or on PostgreSQL (status 2), never printing a secret', async () => {
    const missing = startManager({ DISCORD_TOKEN: '', DISCORD_API_URL: fake.apiUrl });
    expect(await missing.exited).toBe(2);
    expect(missing.output()).toContain('DISCORD_TOKEN is not set');
    const wrong = startManager({ DISCORD_TOKEN: 'MTIzNDU2Nzg5MDEyMzQ1Njc4.wrong-sharded-token', DISCORD_API_URL: fake.apiUrl });
    expect(await wrong.exited).toBe(1);
    expect(wrong.output()).toContain('Could not ask Discord how many shards to run: 401: Unauthorized');
    expect(wrong.output()).not.toContain('wrong-sharded-token');
    const badCount = startManager({ DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.apiUrl, TOTAL_SHARDS: 'two' });
    expect(await badCount.exited).toBe(2);
    expect(badCount.output()).toContain('TOTAL_SHARDS: must be a whole number of shards from 1 to 10000');
    // Shards share their folders; PostgreSQL's replicas each need their own.
    const onPostgres = startManager({ DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.apiUrl, DATABASE_URL: 'postgres://bot:never-print-me@127.0.0.1:1/stories' });
    expect(await onPostgres.exited).toBe(2);
    expect(onPostgres.output()).toContain('with DATABASE_URL, run replicas of npm run start:http instead');
    expect(onPostgres.output()).not.toContain('never-print-me');
  });
});
