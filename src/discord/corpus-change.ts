/**
 * @module corpus-change: what /reindex and /article share while the index is rebuilt: progress
 * edits on the private reply, and telling every shard to switch to the new index.
 */
import type { ButtonInteraction, ChatInputCommandInteraction } from 'discord.js';
import type { ChangeProgress } from '../app.js';
import type { CommandContext } from './command.js';
import { INDEX_CHECK_INTERVAL_MS, reloadOnEveryShard } from './index-sync.js';

/** Discord allows 5 edits per 5 seconds per message; one a second leaves room for the summary. */
const PROGRESS_INTERVAL_MS = 1000;

type EditableInteraction = ChatInputCommandInteraction | ButtonInteraction;

function progressText(progress: ChangeProgress): string {
  switch (progress.phase) {
    case 'fetching':
      return 'Fetching the article…';
    case 'reading':
      return 'Reading the corpus…';
    case 'embedding':
      return `Embedding ${progress.done}/${progress.total} passages…`;
    case 'indexing':
      return 'Building the search indexes…';
    case 'saving':
      return 'Saving the new index…';
  }
}

/** Edits the reply in order, once `replied` resolves, at most once per interval. */
export function progressEdits(interaction: EditableInteraction, replied: Promise<unknown>) {
  let chain: Promise<unknown> = replied;
  let lastShown = 0;
  let lastText = '';
  return {
    report(progress: ChangeProgress): void {
      const text = progressText(progress);
      const now = Date.now();
      if (text === lastText || (now - lastShown < PROGRESS_INTERVAL_MS && progress.phase === 'embedding' && progress.done < progress.total)) return;
      lastShown = now;
      lastText = text;
      chain = chain.then(() => interaction.editReply({ content: text, allowedMentions: { parse: [] } })).catch(() => undefined);
    },
    /** Waits for pending progress edits, so the final message is not overwritten by a late one. */
    settled: (): Promise<unknown> => chain,
  };
}

/** Has every shard switch to the index just built: a line for the summary, or undefined when the bot runs unsharded. */
export async function switchEveryShard(interaction: EditableInteraction, { app, logger }: CommandContext): Promise<string | undefined> {
  const retry = `they switch by themselves within ${INDEX_CHECK_INTERVAL_MS / 1000} s`;
  try {
    const switches = await reloadOnEveryShard(interaction.client);
    if (switches === undefined) return undefined;
    const { buildId } = app.sources();
    const behind = switches.filter((shard) => shard.buildId !== buildId).map((shard) => shard.shard);
    logger.info({ buildId, shards: switches }, 'shards told to switch to the new index');
    if (behind.length === 0) return `All ${switches.length} shards now answer from this index.`;
    return `Shards ${behind.join(', ')} still serve another index; ${retry}.`;
  } catch (error) {
    logger.warn({ err: error }, 'could not reach every shard after the reindex');
    return `Not every shard confirmed the switch (${error instanceof Error ? error.message : String(error)}); ${retry}.`;
  }
}
