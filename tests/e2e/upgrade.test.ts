/**
 * An install made before stories, upgraded with no change to its settings: the same corpus and
 * index keep answering (no rebuild), its history database (schema 1, as the previous release wrote
 * it) becomes the operator's story's, and the buttons on answers sent before the upgrade (custom
 * ids without a story) still take votes and follow-ups.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HISTORY_MIGRATIONS, type SqliteHistory } from '../../src/history/sqlite-history.js';
import { fileMemberKey, memberHasher } from '../../src/member-id.js';
import { EPHEMERAL, type Harness, MANAGE_GUILD, callbackOf, isCallback, isEdit, messageOf, startHarness } from '../support/bot-harness.js';
import { snapshotFolder } from '../support/folder-snapshot.js';

/** The previous release's schema: its one migration (shipped migrations are never edited). */
const [SCHEMA_1 = ''] = HISTORY_MIGRATIONS;

const OLD_ANSWER = '1300000000000000001';
const OLD_DECLINED = '1300000000000000002';
const VOTER = { id: '400000000000000201', username: 'returning' };

let harness: Harness;
let buildBefore: string | undefined;
let corpusBefore: Record<string, string>;

beforeAll(async () => {
  harness = await startHarness({ env: { ASK_COOLDOWN_SECONDS: '0' } });
  buildBefore = (await harness.operator()).sources().buildId;
  corpusBefore = await snapshotFolder(harness.corpusDir);
  const guildId = harness.fake.guilds[0]?.id ?? '';
  const dataDir = join(harness.scratch, 'data');
  const hash = memberHasher(await fileMemberKey(dataDir));
  await harness.restart(async () => {
    // The history database as the previous release left it.
    for (const suffix of ['', '-wal', '-shm']) await rm(join(dataDir, `history.db${suffix}`), { force: true });
    await rm(join(dataDir, 'stories.db'), { force: true });
    const db = new Database(join(dataDir, 'history.db'));
    db.exec(SCHEMA_1);
    db.pragma('user_version = 1');
    const insert = db.prepare('INSERT INTO questions VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    insert.run(OLD_ANSWER, Date.now() - 86_400_000, guildId, 'what did Putin demand', 1, buildBefore ?? '', 0.9, '[]');
    insert.run(OLD_DECLINED, Date.now() - 86_400_000, guildId, 'How many tons of sarin does Syria hold?', 0, buildBefore ?? '', null, '[]');
    db.prepare('INSERT INTO votes VALUES (?, ?, ?, ?, ?, ?)').run(OLD_ANSWER, hash('400000000000000299'), 1, null, null, Date.now() - 86_400_000);
    db.close();
  });
});

afterAll(() => harness?.stop());

describe('upgrading an install made before stories', () => {
  it('serves the same index without rebuilding, and answers as before', async () => {
    expect((await harness.operator()).sources().buildId).toBe(buildBefore);
    expect(harness.logs.find('index built')).toHaveLength(1); // the first start's build, none since
    const answer = messageOf(await harness.ask('what did Putin demand').waitForReply(isEdit, 20_000));
    expect(answer.embeds?.[0]?.fields?.[0]?.value).toContain('military strikes completely off the table');
  });

  it('brings the history to schema 2, every old row the operator’s story’s, with /gaps still reporting it', async () => {
    const db = (harness.app.history?.store as SqliteHistory | undefined)?.database;
    expect(db?.pragma('user_version', { simple: true })).toBe(2);
    expect(db?.prepare('SELECT answer_id AS id, story_id AS story FROM questions WHERE answer_id IN (?, ?) ORDER BY answer_id').all(OLD_ANSWER, OLD_DECLINED)).toEqual([
      { id: OLD_ANSWER, story: 'operator/shared' },
      { id: OLD_DECLINED, story: 'operator/shared' },
    ]);
    const gaps = harness.fake.sendCommand({ name: 'gaps', memberPermissions: MANAGE_GUILD });
    await gaps.waitForReply(isCallback);
    const report = JSON.stringify(messageOf(await gaps.waitForReply(isEdit, 20_000)));
    expect(report).toContain('How many tons of sarin does Syria hold?');
  });

  it('takes a vote and a follow-up from buttons sent before the upgrade (no story in their custom ids)', async () => {
    const vote = harness.fake.sendButton({ customId: `ask:up:${OLD_ANSWER}`, user: VOTER });
    expect(callbackOf(await vote.waitForReply(isCallback))).toMatchObject({ type: 7 });
    expect(await harness.app.history?.store.counts(OLD_ANSWER)).toEqual({ up: 2, down: 0 });
    const followUp = harness.fake.sendModalSubmit({ customId: `ask:follow-submit:${OLD_ANSWER}`, fields: { question: 'and what did Kerry say?' }, user: VOTER });
    expect(callbackOf(await followUp.waitForReply(isCallback))).toEqual({ type: 5, data: { flags: 0 } });
    const reply = messageOf(await followUp.waitForReply(isEdit, 20_000));
    expect(reply.embeds?.[0]?.description).toContain('Follow-up to: *what did Putin demand*');
    expect(reply.components?.[0]?.components[0]?.custom_id).toMatch(/^ask:up:\d+:operator\/shared$/);
    expect(reply.flags ?? 0).not.toBe(EPHEMERAL);
  });

  it('left the corpus folder byte for byte as it was', async () => {
    expect(await snapshotFolder(harness.corpusDir)).toEqual(corpusBefore);
  });
});
