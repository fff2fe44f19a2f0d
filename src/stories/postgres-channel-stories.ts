/** @module postgres-channel-stories: which story each channel reads, in PostgreSQL, shared by every replica. */
import type pg from 'pg';
import type { ChannelStories } from './channel-stories.js';

export class PostgresChannelStories implements ChannelStories {
  constructor(private readonly pool: pg.Pool) {}

  async storyIdOf(guildId: string, channelIds: readonly (string | undefined)[]): Promise<string | undefined> {
    const channels = channelIds.filter((id): id is string => id !== undefined);
    // One round trip: the bindings of the given channels in their order of preference, then the server default.
    const { rows } = await this.pool.query<{ story_id: string }>(
      `SELECT story_id FROM (
         SELECT c.story_id, array_position($2::text[], c.channel_id) AS rank FROM channel_stories c WHERE c.guild_id = $1 AND c.channel_id = ANY($2::text[])
         UNION ALL
         SELECT d.story_id, 2147483647 AS rank FROM guild_defaults d WHERE d.guild_id = $1
       ) found ORDER BY rank LIMIT 1`,
      [guildId, channels],
    );
    return rows[0]?.story_id;
  }

  async defaultOf(guildId: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ story_id: string }>('SELECT story_id FROM guild_defaults WHERE guild_id = $1', [guildId]);
    return rows[0]?.story_id;
  }

  async bind(guildId: string, channelId: string, storyId: string): Promise<void> {
    await this.pool.query(
      'INSERT INTO channel_stories (guild_id, channel_id, story_id) VALUES ($1, $2, $3) ON CONFLICT (guild_id, channel_id) DO UPDATE SET story_id = excluded.story_id',
      [guildId, channelId, storyId],
    );
  }

  async setDefault(guildId: string, storyId: string): Promise<void> {
    await this.pool.query('INSERT INTO guild_defaults (guild_id, story_id) VALUES ($1, $2) ON CONFLICT (guild_id) DO UPDATE SET story_id = excluded.story_id', [guildId, storyId]);
  }

  async channelsOf(guildId: string): Promise<{ channelId: string; storyId: string }[]> {
    const { rows } = await this.pool.query<{ channelId: string; storyId: string }>(
      'SELECT channel_id AS "channelId", story_id AS "storyId" FROM channel_stories WHERE guild_id = $1 ORDER BY channel_id',
      [guildId],
    );
    return rows;
  }

  async forget(storyId: string): Promise<void> {
    await this.pool.query('WITH gone AS (DELETE FROM channel_stories WHERE story_id = $1) DELETE FROM guild_defaults WHERE story_id = $1', [storyId]);
  }

  /** The pool is the storage's to close. */
  async close(): Promise<void> {}
}
