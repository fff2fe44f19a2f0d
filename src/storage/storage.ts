/**
 * @module storage: where the state every process of the bot shares is kept, behind one interface
 * with two engines: SQLite files in DATA_DIR (the default: one host, no setup) or PostgreSQL when
 * DATABASE_URL is set (replicas on many hosts). It holds which story each channel reads, the
 * history (questions, votes) and the key member ids are hashed with.
 */
import type pg from 'pg';
import type { Config } from '../config.js';
import type { HistoryStore } from '../history/history-store.js';
import { PostgresHistory } from '../history/postgres-history.js';
import { SqliteHistory } from '../history/sqlite-history.js';
import type { Logger } from '../logger.js';
import { fileMemberKey, newMemberKey } from '../member-id.js';
import type { ChannelStories } from '../stories/channel-stories.js';
import { PostgresChannelStories } from '../stories/postgres-channel-stories.js';
import { SqliteChannelStories } from '../stories/sqlite-channel-stories.js';
import { describeDatabase, openPostgres } from './postgres.js';
import { type StoryLocks, advisoryLocks, fileLocks } from './story-locks.js';

export type StorageEngine = 'sqlite' | 'postgres';

export interface Storage {
  readonly engine: StorageEngine;
  readonly channels: ChannelStories;
  /** Opens the history (the bot, `npm run gaps`); the same store on every call. Never throws: a failing database says so in status(). */
  history(): HistoryStore;
  /** The key member ids are hashed with, made on first use and the same for every process sharing this storage. */
  memberKey(): Promise<Buffer>;
  /** One change of a story at a time, across every process sharing this storage. */
  readonly locks: StoryLocks;
  close(): Promise<void>;
}

class SqliteStorage implements Storage {
  readonly engine = 'sqlite';
  readonly locks = fileLocks;
  readonly channels: SqliteChannelStories;
  private opened: SqliteHistory | undefined;

  constructor(private readonly config: Pick<Config, 'dataDir'>, private readonly logger: Logger) {
    this.channels = SqliteChannelStories.open(config.dataDir);
  }

  history(): HistoryStore {
    this.opened ??= SqliteHistory.open(this.config.dataDir, this.logger);
    return this.opened;
  }

  memberKey(): Promise<Buffer> {
    return fileMemberKey(this.config.dataDir);
  }

  async close(): Promise<void> {
    await this.opened?.close();
    await this.channels.close();
  }
}

class PostgresStorage implements Storage {
  readonly engine = 'postgres';
  readonly channels: PostgresChannelStories;
  readonly locks: StoryLocks;
  private opened: PostgresHistory | undefined;

  constructor(private readonly pool: pg.Pool, private readonly where: string, private readonly logger: Logger) {
    this.channels = new PostgresChannelStories(pool);
    this.locks = advisoryLocks(pool);
  }

  history(): HistoryStore {
    this.opened ??= new PostgresHistory(this.pool, this.where, this.logger);
    return this.opened;
  }

  async memberKey(): Promise<Buffer> {
    // The first process to ask makes it; every other finds theirs.
    await this.pool.query('INSERT INTO member_key (id, key) VALUES (1, $1) ON CONFLICT (id) DO NOTHING', [newMemberKey()]);
    const { rows } = await this.pool.query<{ key: Buffer }>('SELECT key FROM member_key WHERE id = 1');
    const key = rows[0]?.key;
    if (key === undefined) throw new Error('the member key could not be stored in the database');
    return key;
  }

  async close(): Promise<void> {
    await this.opened?.close();
    await this.pool.end();
  }
}

/** The storage the settings choose: PostgreSQL when DATABASE_URL is set (schema brought up to date), else SQLite in DATA_DIR. */
export async function openStorage(config: Pick<Config, 'dataDir' | 'databaseUrl'>, logger: Logger): Promise<Storage> {
  if (config.databaseUrl === undefined) return new SqliteStorage(config, logger);
  const where = describeDatabase(config.databaseUrl);
  const pool = await openPostgres(config.databaseUrl);
  // A connection lost while idle is replaced on the next query; only say so.
  pool.on('error', (error) => logger.warn({ err: error, database: where }, 'a database connection failed; it will be replaced'));
  logger.info({ database: where }, 'shared state in PostgreSQL');
  return new PostgresStorage(pool, where, logger);
}
