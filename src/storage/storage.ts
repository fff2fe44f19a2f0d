/**
 * @module storage: where the state every process of the bot shares is kept, behind one interface
 * with two engines: SQLite files in DATA_DIR (the default: one host, no setup) or PostgreSQL when
 * DATABASE_URL is set (replicas on many hosts). It holds which stories exist and which one each
 * channel reads, the history (questions, votes), the key member ids are hashed with, and (PostgreSQL
 * only) the servers' stories' files as snapshots every replica copies.
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
import { FolderStoryCatalog } from '../stories/folder-story-catalog.js';
import { PostgresStoryCatalog } from '../stories/postgres-story-catalog.js';
import type { StoryCatalog } from '../stories/story-catalog.js';
import { describeDatabase, openPostgres } from './postgres.js';
import { type StoryEvent, listenForStoryEvents } from './story-events.js';
import { type StoryLocks, advisoryLocks, fileLocks } from './story-locks.js';
import { StorySnapshots } from './story-snapshots.js';

export type StorageEngine = 'sqlite' | 'postgres';

/** What changed elsewhere: one story (made, deleted, a new snapshot), or undefined for "anything may have" (after missed notifications). */
export type StoryChangeListener = (storyId: string | undefined) => void;

export interface Storage {
  readonly engine: StorageEngine;
  /** Which servers' stories exist. */
  readonly catalog: StoryCatalog;
  /** The servers' stories' files, shared by replicas (PostgreSQL); undefined when each host's folders are the stories (SQLite). */
  readonly snapshots: StorySnapshots | undefined;
  /** Calls `listener` when another process changes a story, as far as this engine can tell (PostgreSQL notifications; SQLite: never, the folders are watched instead). */
  watch(listener: StoryChangeListener): void;
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
  readonly catalog: FolderStoryCatalog;
  readonly snapshots = undefined;
  private opened: SqliteHistory | undefined;

  constructor(private readonly config: Pick<Config, 'dataDir'>, private readonly logger: Logger) {
    this.channels = SqliteChannelStories.open(config.dataDir);
    this.catalog = new FolderStoryCatalog(config.dataDir);
  }

  watch(): void {}

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
  readonly snapshots: StorySnapshots;
  private opened: PostgresHistory | undefined;
  private readonly listeners: StoryChangeListener[] = [];
  private listening: { close(): Promise<void> } | undefined;

  constructor(
    private readonly pool: pg.Pool,
    readonly catalog: PostgresStoryCatalog,
    private readonly where: string,
    private readonly logger: Logger,
  ) {
    this.channels = new PostgresChannelStories(pool);
    this.locks = advisoryLocks(pool);
    this.snapshots = new StorySnapshots(pool);
  }

  /** Starts following other replicas' story events (the catalogue must have been read first). */
  async listen(url: string): Promise<void> {
    this.listening = await listenForStoryEvents(url, this.logger, {
      onEvent: (event) => void this.apply(event),
      onReconnected: () =>
        void this.catalog.refreshAll().then(
          () => this.tell(undefined),
          (error: unknown) => this.logger.warn({ err: error, database: this.where }, 'could not reread the stories'),
        ),
    });
  }

  private async apply(event: StoryEvent): Promise<void> {
    this.logger.info({ event: event.event, story: event.story }, 'a replica changed a story');
    try {
      if (event.event !== 'published') await this.catalog.noted(event.event, event.story);
    } catch (error) {
      this.logger.warn({ err: error, event }, 'could not follow a story event');
    }
    this.tell(event.story);
  }

  private tell(storyId: string | undefined): void {
    for (const listener of this.listeners) listener(storyId);
  }

  watch(listener: StoryChangeListener): void {
    this.listeners.push(listener);
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
    await this.listening?.close();
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
  const storage = new PostgresStorage(pool, new PostgresStoryCatalog(pool, config.dataDir), where, logger);
  try {
    await storage.catalog.refreshAll();
    await storage.listen(config.databaseUrl);
  } catch (error) {
    await storage.close();
    throw new Error(`Could not read the stories from the database at ${where}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  logger.info({ database: where, serversWithStories: storage.catalog.owners().length }, 'shared state in PostgreSQL');
  return storage;
}
