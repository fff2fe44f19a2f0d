/**
 * The shared state, one suite for both engines: SQLite files in DATA_DIR and a real PostgreSQL
 * (a throwaway server the test run starts). Each case opens two storages on the same place, as two
 * processes (shards, or replicas) would, and checks what one writes the other reads.
 */
import { rm } from 'node:fs/promises';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { captureLogs } from '../../tests/support/log-capture.js';
import { freshDatabase } from '../../tests/support/postgres.js';
import { makeTempDir } from '../../tests/support/temp-dir.js';
import type { AskedQuestion } from '../history/history-store.js';
import { memberHasher } from '../member-id.js';
import { type Storage, type StorageEngine, openStorage } from './storage.js';

const SERVER = '100000000000000001';
const OTHER = '100000000000000002';
const STORY = `${SERVER}/election`;
const DAY_MS = 86_400_000;

const question = (answerId: string, askedAt: number, extra: Partial<AskedQuestion> = {}): AskedQuestion => ({
  answerId,
  askedAt,
  guildId: SERVER,
  storyId: STORY,
  question: `question ${answerId}`,
  answered: true,
  buildId: 'build-1',
  passages: [{ id: 'a#3', score: 0.54 }],
  ...extra,
});

const folders: string[] = [];
afterAll(() => Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true }))));

/** Where a test's storages live: a fresh DATA_DIR, and for PostgreSQL a fresh database. */
async function place(engine: StorageEngine): Promise<{ dataDir: string; databaseUrl: string | undefined }> {
  const dataDir = await makeTempDir('storage');
  folders.push(dataDir);
  return { dataDir, databaseUrl: engine === 'postgres' ? await freshDatabase('storage') : undefined };
}

async function withTwo(engine: StorageEngine, work: (one: Storage, two: Storage) => Promise<void>): Promise<void> {
  const config = await place(engine);
  const { logger } = captureLogs();
  const one = await openStorage(config, logger);
  const two = await openStorage(config, logger);
  try {
    expect([one.engine, two.engine]).toEqual([engine, engine]);
    await work(one, two);
  } finally {
    await one.close();
    await two.close();
  }
}

describe.each(['sqlite', 'postgres'] as const)('storage on %s', (engine) => {
  it('gives a channel its binding, else the server default, else none (the operator’s), as every process sees it', () =>
    withTwo(engine, async ({ channels }, { channels: elsewhere }) => {
      expect(await channels.storyIdOf(SERVER, ['c1'])).toBeUndefined();
      await channels.setDefault(SERVER, `${SERVER}/default-story`);
      await channels.bind(SERVER, 'c1', `${SERVER}/bound`);
      await channels.bind(SERVER, 'c1', `${SERVER}/rebound`);
      expect(await elsewhere.storyIdOf(SERVER, ['c1'])).toBe(`${SERVER}/rebound`);
      expect(await elsewhere.storyIdOf(SERVER, ['c2'])).toBe(`${SERVER}/default-story`);
      // A thread reads its own binding, else its channel's, else the default.
      expect(await elsewhere.storyIdOf(SERVER, ['thread', 'c1'])).toBe(`${SERVER}/rebound`);
      expect(await elsewhere.storyIdOf(SERVER, [undefined, 'c1'])).toBe(`${SERVER}/rebound`);
      await channels.bind(SERVER, 'thread', `${SERVER}/own`);
      expect(await elsewhere.storyIdOf(SERVER, ['thread', 'c1'])).toBe(`${SERVER}/own`);
      expect(await elsewhere.storyIdOf(OTHER, ['c1'])).toBeUndefined();
      expect(await elsewhere.channelsOf(SERVER)).toEqual([{ channelId: 'c1', storyId: `${SERVER}/rebound` }, { channelId: 'thread', storyId: `${SERVER}/own` }]);
      await elsewhere.forget(`${SERVER}/rebound`);
      await elsewhere.forget(`${SERVER}/default-story`);
      expect(await channels.storyIdOf(SERVER, ['c1'])).toBeUndefined();
      expect(await channels.defaultOf(SERVER)).toBeUndefined();
      expect(await channels.storyIdOf(SERVER, ['thread'])).toBe(`${SERVER}/own`);
    }));

  it('records questions after the current work, and keeps one changeable vote per member with its reason', () =>
    withTwo(engine, async (one, two) => {
      const history = one.history();
      expect(history.status()).toMatchObject({ ok: true });
      // Queued and written after the current work; a read from another process could race that write, so only flush() is waited on.
      history.recordQuestion(question('1', Date.now()));
      await history.flush();
      expect(await two.history().answerOf('1')).toEqual({ question: 'question 1', guildId: SERVER, storyId: STORY });
      const votes = two.history();
      expect(await votes.vote('1', 'hmac-sha256:aa', 1)).toEqual({ up: 1, down: 0 });
      expect(await history.vote('1', 'hmac-sha256:bb', -1)).toEqual({ up: 1, down: 1 });
      expect(await votes.explainDownVote('1', 'hmac-sha256:bb', 'wrong-passage', 'it quoted the lead')).toBe(true);
      expect(await votes.explainDownVote('1', 'hmac-sha256:aa', 'outdated', undefined)).toBe(false); // aa voted up
      expect(await votes.vote('1', 'hmac-sha256:aa', -1)).toEqual({ up: 0, down: 2 });
      expect(await votes.vote('1', 'hmac-sha256:bb', 1)).toEqual({ up: 1, down: 1 }); // the reason goes with the 👎
      const rows = await history.gapsRows({ storyId: STORY, guildId: undefined, since: 0, limit: 10, weakScore: 0.3 });
      expect(rows.votes.map(({ answerId, vote, reason }) => ({ answerId, vote, reason })).sort((a, b) => a.vote - b.vote)).toEqual([
        { answerId: '1', vote: -1, reason: null },
        { answerId: '1', vote: 1, reason: null },
      ]);
    }));

  it('hands the gaps report its rows: one story only, one server or all, declined and weak apart, newest first', () =>
    withTwo(engine, async (one, two) => {
      const history = one.history();
      const now = Date.now();
      history.recordQuestion(question('declined', now - 3_000, { answered: false, passages: [] }));
      history.recordQuestion(question('weak', now - 2_000, { passages: [{ id: 'x#1', score: 0.1 }] }));
      history.recordQuestion(question('strong', now - 1_000));
      history.recordQuestion(question('elsewhere', now, { guildId: OTHER, answered: false, passages: [] }));
      history.recordQuestion(question('other story', now, { storyId: `${SERVER}/sport`, answered: false, passages: [] }));
      history.recordQuestion(question('too old', now - 40 * DAY_MS, { answered: false, passages: [] }));
      await history.flush();
      await history.vote('strong', 'm', -1, now);
      const scope = { storyId: STORY, since: now - 30 * DAY_MS, limit: 10, weakScore: 0.3 };
      const mine = await two.history().gapsRows({ ...scope, guildId: SERVER });
      expect(mine.questions).toBe(3);
      expect(mine.declined).toEqual([{ question: 'question declined', askedAt: now - 3_000 }]);
      expect(mine.weak).toEqual([{ question: 'question weak', askedAt: now - 2_000 }]);
      expect(mine.votes).toEqual([{ answerId: 'strong', question: 'question strong', vote: -1, reason: null, note: null, votedAt: now }]);
      const everyServer = await two.history().gapsRows({ ...scope, guildId: undefined });
      expect(everyServer.questions).toBe(4);
      expect(everyServer.declined.map((row) => row.question)).toEqual(['question elsewhere', 'question declined']);
    }));

  it('purges rows older than the retention, and forgets a deleted story’s questions and votes', () =>
    withTwo(engine, async (one) => {
      const history = one.history();
      const now = Date.now();
      history.recordQuestion(question('old', now - 91 * DAY_MS));
      history.recordQuestion(question('new', now));
      history.recordQuestion(question('sport', now, { storyId: `${SERVER}/sport` }));
      await history.flush();
      await history.vote('old', 'm', 1, now - 91 * DAY_MS);
      await history.vote('sport', 'm', 1, now);
      expect(await history.purge(90, now)).toBe(2);
      expect(await history.answerOf('old')).toBeUndefined();
      expect(await history.answerOf('new')).toMatchObject({ storyId: STORY });
      expect(await history.forgetStory(`${SERVER}/sport`)).toBe(2);
      expect(await history.answerOf('sport')).toBeUndefined();
      expect(await history.counts('sport')).toEqual({ up: 0, down: 0 });
      expect(await history.answerOf('new')).toMatchObject({ storyId: STORY });
    }));

  it('makes a story once for every process, lists it under its server only, and deletes it for all', () =>
    withTwo(engine, async (one, two) => {
      await one.catalog.add(SERVER, 'election', 3);
      await expect(two.catalog.add(SERVER, 'election', 3)).rejects.toMatchObject({ code: 'STORY_EXISTS' });
      // PostgreSQL: the other replica hears of it by notification.
      await vi.waitFor(() => expect(two.catalog.names(SERVER)).toEqual(['election']), { timeout: 5_000 });
      expect(two.catalog.has(SERVER, 'election')).toBe(true);
      expect(two.catalog.has(OTHER, 'election')).toBe(false);
      expect(two.catalog.owners()).toEqual([SERVER]);
      await one.catalog.add(SERVER, 'budget', 3);
      await expect(two.catalog.add(SERVER, 'weather', 2)).rejects.toMatchObject({ code: 'STORY_LIMIT' });
      await two.catalog.remove(SERVER, 'election');
      await expect(one.catalog.remove(SERVER, 'election')).rejects.toMatchObject({ code: 'STORY_NOT_FOUND' });
      await vi.waitFor(() => expect(one.catalog.names(SERVER)).toEqual(['budget']), { timeout: 5_000 });
    }));

  it('hashes member ids with one key, made once, the same for every process', () =>
    withTwo(engine, async (one, two) => {
      const [a, b] = await Promise.all([one.memberKey(), two.memberKey()]);
      expect(a.byteLength).toBe(32);
      expect(memberHasher(a)('400000000000000042')).toBe(memberHasher(b)('400000000000000042'));
      expect(memberHasher(a)('400000000000000042')).not.toContain('400000000000000042');
    }));
});

describe('storage on postgres', () => {
  it('brings a new database to the newest schema once, however many replicas start together', async () => {
    const { dataDir, databaseUrl } = await place('postgres');
    const { logger } = captureLogs();
    const replicas = await Promise.all([1, 2, 3, 4].map(() => openStorage({ dataDir, databaseUrl }, logger)));
    const pg = (await import('pg')).default;
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      expect(rows.map((row) => row.version)).toEqual([1, 2]);
    } finally {
      await client.end();
      await Promise.all(replicas.map((replica) => replica.close()));
    }
  });

  it('lets two replicas racing for a server\'s last story slot make only one', async () => {
    const config = await place('postgres');
    const { logger } = captureLogs();
    const [one, two] = await Promise.all([openStorage(config, logger), openStorage(config, logger)]);
    try {
      const results = await Promise.allSettled([one.catalog.add(SERVER, 'first', 1), two.catalog.add(SERVER, 'second', 1)]);
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      expect(results.find((result) => result.status === 'rejected')).toMatchObject({ reason: { code: 'STORY_LIMIT' } });
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('listens again after losing its listening connection, and rereads the stories it may have missed meanwhile', async () => {
    const config = await place('postgres');
    const { logger } = captureLogs();
    const [one, two] = await Promise.all([openStorage(config, logger), openStorage(config, logger)]);
    const pg = (await import('pg')).default;
    const admin = new pg.Client({ connectionString: config.databaseUrl });
    await admin.connect();
    try {
      const told: (string | undefined)[] = [];
      one.watch((storyId) => told.push(storyId));
      // Every listening session of this database goes, as when the server restarts or the network drops.
      const { rowCount } = await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %'");
      expect(rowCount).toBe(2);
      await two.catalog.add(SERVER, 'missed', 5);
      await vi.waitFor(() => expect(one.catalog.has(SERVER, 'missed')).toBe(true), { timeout: 10_000 });
      expect(told).toContain(undefined);
      // And it hears new events again.
      await two.catalog.add(SERVER, 'heard', 5);
      await vi.waitFor(() => expect(told).toContain(`${SERVER}/heard`), { timeout: 5_000 });
    } finally {
      await admin.end();
      await one.close();
      await two.close();
    }
  });

  it('refuses to start on a database it cannot reach, naming it without its password', async () => {
    const { logger } = captureLogs();
    const unreachable = 'postgres://bot:hunter2-secret@127.0.0.1:1/stories';
    const { dataDir } = await place('sqlite');
    const opening = openStorage({ dataDir, databaseUrl: unreachable }, logger);
    await expect(opening).rejects.toThrow('Could not open the database at postgres://bot@127.0.0.1:1/stories');
    await expect(opening).rejects.not.toThrow(/hunter2/);
  });
});
