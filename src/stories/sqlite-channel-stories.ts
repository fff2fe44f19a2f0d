/**
 * @module sqlite-channel-stories: which story each channel reads, in `DATA_DIR/stories.db` (SQLite,
 * WAL: every shard and the CLI on this host read and write the same file).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { AppError, ErrorCodes } from '../errors.js';
import { describeFailure, openSqlite } from '../storage/sqlite.js';
import type { ChannelStories } from './channel-stories.js';

export const CHANNEL_STORIES_FILE = 'stories.db';
/** Writes are rare and tiny; a lock held by another shard clears in far less. */
const BUSY_TIMEOUT_MS = 1000;

/** Schema versions (see storage/sqlite.ts): add a step, never edit one that shipped. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE channel_stories (
     guild_id TEXT NOT NULL,
     channel_id TEXT NOT NULL,
     story_id TEXT NOT NULL,
     PRIMARY KEY (guild_id, channel_id)
   );
   CREATE INDEX channel_stories_story ON channel_stories (story_id);
   CREATE TABLE guild_defaults (
     guild_id TEXT PRIMARY KEY,
     story_id TEXT NOT NULL
   );`,
];

interface Statements {
  channelStory: Database.Statement<[string, string], { story_id: string }>;
  defaultStory: Database.Statement<[string], { story_id: string }>;
  bind: Database.Statement<[string, string, string]>;
  setDefault: Database.Statement<[string, string]>;
  channelsOf: Database.Statement<[string], { channel_id: string; story_id: string }>;
  forgetChannels: Database.Statement<[string]>;
  forgetDefaults: Database.Statement<[string]>;
}

export class SqliteChannelStories implements ChannelStories {
  private readonly statements: Statements;

  private constructor(private readonly db: Database.Database) {
    this.statements = {
      channelStory: db.prepare('SELECT story_id FROM channel_stories WHERE guild_id = ? AND channel_id = ?'),
      defaultStory: db.prepare('SELECT story_id FROM guild_defaults WHERE guild_id = ?'),
      bind: db.prepare('INSERT INTO channel_stories (guild_id, channel_id, story_id) VALUES (?, ?, ?) ON CONFLICT (guild_id, channel_id) DO UPDATE SET story_id = excluded.story_id'),
      setDefault: db.prepare('INSERT INTO guild_defaults (guild_id, story_id) VALUES (?, ?) ON CONFLICT (guild_id) DO UPDATE SET story_id = excluded.story_id'),
      channelsOf: db.prepare('SELECT channel_id, story_id FROM channel_stories WHERE guild_id = ? ORDER BY channel_id'),
      forgetChannels: db.prepare('DELETE FROM channel_stories WHERE story_id = ?'),
      forgetDefaults: db.prepare('DELETE FROM guild_defaults WHERE story_id = ?'),
    };
  }

  /** Opens (or creates) `DATA_DIR/stories.db`; a failure is an AppError naming the file, since no story could be chosen without it. */
  static open(dataDir: string): SqliteChannelStories {
    const path = join(dataDir, CHANNEL_STORIES_FILE);
    try {
      mkdirSync(dataDir, { recursive: true });
      return new SqliteChannelStories(openSqlite(path, MIGRATIONS, BUSY_TIMEOUT_MS));
    } catch (error) {
      throw new AppError(ErrorCodes.CONFIG_INVALID, `Could not open ${path}, which says which story each channel reads (${describeFailure(error)}).`, { cause: error });
    }
  }

  async storyIdOf(guildId: string, channelIds: readonly (string | undefined)[]): Promise<string | undefined> {
    for (const channelId of channelIds) {
      const bound = channelId === undefined ? undefined : this.statements.channelStory.get(guildId, channelId);
      if (bound !== undefined) return bound.story_id;
    }
    return this.statements.defaultStory.get(guildId)?.story_id;
  }

  async defaultOf(guildId: string): Promise<string | undefined> {
    return this.statements.defaultStory.get(guildId)?.story_id;
  }

  async bind(guildId: string, channelId: string, storyId: string): Promise<void> {
    this.statements.bind.run(guildId, channelId, storyId);
  }

  async setDefault(guildId: string, storyId: string): Promise<void> {
    this.statements.setDefault.run(guildId, storyId);
  }

  async channelsOf(guildId: string): Promise<{ channelId: string; storyId: string }[]> {
    return this.statements.channelsOf.all(guildId).map((row) => ({ channelId: row.channel_id, storyId: row.story_id }));
  }

  async forget(storyId: string): Promise<void> {
    this.db.transaction(() => {
      this.statements.forgetChannels.run(storyId);
      this.statements.forgetDefaults.run(storyId);
    })();
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
