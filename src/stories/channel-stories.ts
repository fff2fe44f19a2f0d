/**
 * @module channel-stories: which story each channel reads, in `DATA_DIR/stories.db` (SQLite, WAL:
 * every shard and the CLI read and write the same file). A channel bound to a story reads it; any
 * other channel reads its server's default; a server without one reads the operator's story.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { AppError, ErrorCodes } from '../errors.js';
import { describeFailure, openSqlite } from '../storage/sqlite.js';

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

export class ChannelStories {
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
  static open(dataDir: string): ChannelStories {
    const path = join(dataDir, CHANNEL_STORIES_FILE);
    try {
      mkdirSync(dataDir, { recursive: true });
      return new ChannelStories(openSqlite(path, MIGRATIONS, BUSY_TIMEOUT_MS));
    } catch (error) {
      throw new AppError(ErrorCodes.CONFIG_INVALID, `Could not open ${path}, which says which story each channel reads (${describeFailure(error)}).`, { cause: error });
    }
  }

  /**
   * The story id a channel reads: the first of `channelIds` bound to one (a thread, then the channel
   * it is in), else its server's default; undefined = the operator's story.
   */
  storyIdOf(guildId: string, channelIds: readonly (string | undefined)[]): string | undefined {
    for (const channelId of channelIds) {
      const bound = channelId === undefined ? undefined : this.statements.channelStory.get(guildId, channelId);
      if (bound !== undefined) return bound.story_id;
    }
    return this.statements.defaultStory.get(guildId)?.story_id;
  }

  /** The server's default story id; undefined = the operator's story. */
  defaultOf(guildId: string): string | undefined {
    return this.statements.defaultStory.get(guildId)?.story_id;
  }

  bind(guildId: string, channelId: string, storyId: string): void {
    this.statements.bind.run(guildId, channelId, storyId);
  }

  setDefault(guildId: string, storyId: string): void {
    this.statements.setDefault.run(guildId, storyId);
  }

  /** The server's bound channels and their story ids. */
  channelsOf(guildId: string): { channelId: string; storyId: string }[] {
    return this.statements.channelsOf.all(guildId).map((row) => ({ channelId: row.channel_id, storyId: row.story_id }));
  }

  /** Unbinds every channel and server default that read the story (it was deleted): they read the operator's again. */
  forget(storyId: string): void {
    this.db.transaction(() => {
      this.statements.forgetChannels.run(storyId);
      this.statements.forgetDefaults.run(storyId);
    })();
  }

  close(): void {
    this.db.close();
  }
}
