/**
 * @module index-sync: every shard answers from the same index. After a rebuild, the shard that ran
 * it asks all shards (discord.js broadcastEval) to switch to the saved live index; each shard also
 * looks at the index folder itself now and then, for a rebuild it was not told about (one by the
 * CLI, or one that finished while it was starting).
 */
import type { Client } from 'discord.js';
import type { App, IndexReload } from '../app.js';

/** The key under which a shard's client exposes its reload to broadcastEval (scripts run with only the client in scope). */
const RELOAD_HOOK = 'story-qa-bot.reloadIndex';
/** A shard that has not answered by then is starting or gone; it catches up by itself. */
const BROADCAST_TIMEOUT_MS = 15_000;
/** How often each bot process checks whether another process made a new index live. */
export const INDEX_CHECK_INTERVAL_MS = 10_000;

type ReloadHook = () => Promise<IndexReload>;
type HookedClient = Client & Partial<Record<symbol, ReloadHook>>;

export interface ShardSwitch extends IndexReload {
  shard: number;
}

/** Lets a broadcastEval from any shard reach this process's app. */
export function exposeIndexReload(client: Client, app: App): void {
  (client as HookedClient)[Symbol.for(RELOAD_HOOK)] = () => app.reloadIndex();
}

/** Has every shard switch to the live index and says what each did; undefined when this process is not a shard. */
export async function reloadOnEveryShard(client: Client): Promise<ShardSwitch[] | undefined> {
  if (!client.shard) return undefined;
  // Runs in each shard from its source text: only its parameters and globals are in scope.
  const broadcast = client.shard.broadcastEval(
    async (shardClient, { hook }) => {
      const reload = (shardClient as HookedClient)[Symbol.for(hook)];
      if (reload === undefined) throw new Error('this shard cannot reload its index');
      return { shard: shardClient.shard?.ids[0] ?? 0, ...(await reload()) };
    },
    { context: { hook: RELOAD_HOOK } },
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

/** Checks the index folder every INDEX_CHECK_INTERVAL_MS; returns the function that stops it. */
export function watchLiveIndex(app: App, onError: (error: unknown) => void): () => void {
  const check = (): void => void app.reloadIndex().catch(onError);
  const timer = setInterval(check, INDEX_CHECK_INTERVAL_MS).unref();
  return () => clearInterval(timer);
}
