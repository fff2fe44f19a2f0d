/**
 * @module channel-stories: which story each channel reads. A channel bound to a story reads it; any
 * other channel reads its server's default; a server without one reads the operator's story. Kept
 * in SQLite on one host (sqlite-channel-stories.ts) or in PostgreSQL for replicas (postgres-channel-stories.ts).
 */
export interface ChannelStories {
  /**
   * The story id a channel reads: the first of `channelIds` bound to one (a thread, then the channel
   * it is in), else its server's default; undefined = the operator's story.
   */
  storyIdOf(guildId: string, channelIds: readonly (string | undefined)[]): Promise<string | undefined>;
  /** The server's default story id; undefined = the operator's story. */
  defaultOf(guildId: string): Promise<string | undefined>;
  bind(guildId: string, channelId: string, storyId: string): Promise<void>;
  setDefault(guildId: string, storyId: string): Promise<void>;
  /** The server's bound channels and their story ids, by channel id. */
  channelsOf(guildId: string): Promise<{ channelId: string; storyId: string }[]>;
  /** Unbinds every channel and server default that read the story (it was deleted): they read the operator's again. */
  forget(storyId: string): Promise<void>;
  close(): Promise<void>;
}
