/**
 * The history database when the bot process is killed (SIGKILL) during a burst of votes: no vote
 * the bot acknowledged (Discord got its button update) is lost, because each vote is committed
 * before the acknowledgement is sent.
 */
import { cp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileMemberKey, memberHasher } from '../../src/member-id.js';
import { type FakeDiscord, startFakeDiscord } from '../support/fake-discord.js';
import { startNodeProcess, waitForOutput } from '../support/node-process.js';
import { makeTempDir } from '../support/temp-dir.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.history-crash-token';
const VOTERS = 400;
/** Killed once this many votes were acknowledged, while more are still being sent. */
const KILL_AFTER = 60;

let scratch: string;
let fake: FakeDiscord;

beforeAll(async () => {
  scratch = await makeTempDir('history-crash');
  await cp('corpus', join(scratch, 'corpus'), { recursive: true });
  fake = await startFakeDiscord({ token: TOKEN, interactionDeadlineMs: 30_000 });
});

afterAll(async () => {
  await fake.stop();
  await rm(scratch, { recursive: true, force: true });
});

describe('the history database', () => {
  it('loses no acknowledged vote when the bot is killed with SIGKILL during a burst of votes', async () => {
    const dataDir = join(scratch, 'data');
    const running = startNodeProcess(['--import', 'tsx', 'src/discord/main.ts'], {
      DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.apiUrl, CORPUS_DIR: join(scratch, 'corpus'), INDEX_DIR: join(scratch, 'index'),
      DATA_DIR: dataDir, MODEL_CACHE_DIR: '.cache/models', LOG_LEVEL: 'info', ASK_COOLDOWN_SECONDS: '0',
    });
    await waitForOutput(running, 'ready to answer', 60_000);
    const asked = fake.sendCommand({ name: 'ask', options: [{ name: 'question', type: 3, value: 'what did Putin demand' }] });
    await asked.waitForReply((r) => r.method === 'PATCH', 20_000);
    const messageId = String(asked.original()?.id);

    // A stream of votes from different members, still being sent when the process is killed.
    const presses: { user: { id: string; username: string }; press: ReturnType<FakeDiscord['sendButton']> }[] = [];
    const acknowledged = (): typeof presses => presses.filter(({ press }) => press.requests().some((r) => r.path.endsWith('/callback') && r.status < 300));
    for (let k = 0; k < VOTERS && acknowledged().length < KILL_AFTER; k += 1) {
      const user = { id: String(410000000000000000n + BigInt(k)), username: `voter${k}` };
      presses.push({ user, press: fake.sendButton({ customId: `ask:${k % 2 === 0 ? 'up' : 'down'}:${asked.id}:operator/shared`, messageId, user }) });
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    // On a slow machine the whole stream may be out before enough were handled.
    await fake.waitFor(() => (acknowledged().length >= KILL_AFTER ? true : undefined), 30_000);
    running.child.kill('SIGKILL');
    await running.exited;
    const survivors = acknowledged();
    expect(survivors.length).toBeGreaterThanOrEqual(KILL_AFTER);

    const hash = memberHasher(await fileMemberKey(dataDir));
    const db = new Database(join(dataDir, 'history.db'), { readonly: true });
    try {
      const stored = new Set((db.prepare('SELECT member FROM votes WHERE answer_id = ?').all(asked.id) as { member: string }[]).map((row) => row.member));
      const lost = survivors.filter(({ user }) => !stored.has(hash(user.id))).map(({ user }) => user.username);
      expect(lost).toEqual([]);
    } finally {
      db.close();
    }
  });
});
