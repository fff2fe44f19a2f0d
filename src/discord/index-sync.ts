/**
 * @module index-sync: every shard answers a story from the same index. After a rebuild, the shard
 * that ran it asks all shards (discord.js broadcastEval) to switch that story to its saved live
 * index; each shard also looks at the index folders of the stories it has loaded now and then, for
 * a rebuild it was not told about (one by the CLI, or one that finished while it was starting),
 * and lets go of stories deleted meanwhile.
 */
import type { Client } from 'discord.js';
import type { App, IndexReload } from '../app.js';

/** The key under which a shard's client exposes its reload to broadcastEval (scripts run with only the client in scope). */
const RELOAD_HOOK = 'story-qa-bot.reloadIndex';
/** A shard that has not answered by then is starting or gone; it catches up by itself. */
const BROADCAST_TIMEOUT_MS = 15_000;
/** How often each bot process checks whether another process made a new index live. */
export const INDEX_CHECK_INTERVAL_MS = 10_000;

type ReloadHook = (storyId: string) => Promise<IndexReload | undefined>;
type HookedClient = Client & Partial<Record<symbol, ReloadHook>>;

export interface ShardSwitch {
  shard: number;
  /** Whether the shard had the story loaded (one that had not loads the new index when asked). */
  loaded: boolean;
  buildId: string | undefined;
}

/** Lets a broadcastEval from any shard reach this process's app. */
export function exposeIndexReload(client: Client, app: App): void {
  (client as HookedClient)[Symbol.for(RELOAD_HOOK)] = (storyId) => app.reloadStory(storyId);
}

/** Has every shard switch the story to its live index and says what each did; undefined when this process is not a shard. */
export async function reloadOnEveryShard(client: Client, storyId: string): Promise<ShardSwitch[] | undefined> {
  if (!client.shard) return undefined;
  // Runs in each shard from its source text: only its parameters and globals are in scope.
  const broadcast = client.shard.broadcastEval(
    async (shardClient, { hook, story }) => {
      const reload = (shardClient as HookedClient)[Symbol.for(hook)];
      if (reload === undefined) throw new Error('this shard cannot reload its index');
      const reloaded = await reload(story);
      return { shard: shardClient.shard?.ids[0] ?? 0, loaded: reloaded !== undefined, buildId: reloaded?.buildId };
    },
    { context: { hook: RELOAD_HOOK, story: storyId } },
  );
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not every shard answered within ${BROADCAST_TIMEOUT_MS / 1000} s`)), BROADCAST_TIMEOUT_MS);
  });
  try {
    return await Promise.race([broadcast, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Checks the loaded stories' index folders every INDEX_CHECK_INTERVAL_MS; returns the function that stops it. */
export function watchLiveIndex(app: App, onError: (error: unknown) => void): () => void {
  const check = (): void => void app.reloadLoaded().catch(onError);
  const timer = setInterval(check, INDEX_CHECK_INTERVAL_MS).unref();
  return () => clearInterval(timer);
}
