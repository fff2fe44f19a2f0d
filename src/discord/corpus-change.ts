/**
 * @module corpus-change: what /reindex and /article share while the index is rebuilt: progress
 * edits on the private reply, and telling every shard to switch to the new index.
 */
import type { ButtonInteraction, ChatInputCommandInteraction } from 'discord.js';
import type { ChangeProgress, StoryApp } from '../app.js';
import { isAppError } from '../errors.js';
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
function progressEdits(interaction: EditableInteraction, replied: Promise<unknown>) {
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

/** Has every shard switch to the story's index just built: a line for the summary, or undefined when the bot runs unsharded. */
export async function switchEveryShard(interaction: EditableInteraction, { logger }: CommandContext, story: StoryApp): Promise<string | undefined> {
  const retry = `they switch by themselves within ${INDEX_CHECK_INTERVAL_MS / 1000} s`;
  try {
    const switches = await reloadOnEveryShard(interaction.client, story.story.id);
    if (switches === undefined) return undefined;
    const { buildId } = story.sources();
    // A shard that has not loaded the story loads the new index when first asked.
    const behind = switches.filter((shard) => shard.loaded && shard.buildId !== buildId).map((shard) => shard.shard);
    logger.info({ story: story.story.id, buildId, shards: switches }, 'shards told to switch to the new index');
    if (behind.length === 0) return `All ${switches.length} shards now answer from this index.`;
    return `Shards ${behind.join(', ')} still serve another index; ${retry}.`;
  } catch (error) {
    logger.warn({ err: error }, 'could not reach every shard after the reindex');
    return `Not every shard confirmed the switch (${error instanceof Error ? error.message : String(error)}); ${retry}.`;
  }
}

export interface ChangeSteps<T> {
  /** The story changed. */
  story: StoryApp;
  /** Starts the change; throws REINDEX_IN_PROGRESS at once when another one of the story runs. */
  start(onProgress: (progress: ChangeProgress) => void): Promise<T>;
  /** Acknowledges the interaction (defer, or update the message holding the button). */
  acknowledge(): Promise<unknown>;
  /** Tells the member another change is running. */
  refuseBusy(): Promise<unknown>;
  /** The reply when the change failed: an AppError's own message, or undefined for an unexpected error. */
  failureText(reason: string | undefined): string;
}

/**
 * Runs a corpus change with progress edits on the private reply, and has every shard switch to the
 * result. Returns undefined when it was refused or failed (the member has been told why).
 */
export async function runCorpusChange<T>(
  interaction: EditableInteraction,
  context: CommandContext,
  steps: ChangeSteps<T>,
): Promise<{ result: T; shardNote: string | undefined } | undefined> {
  let markReplied = (): void => undefined;
  const progress = progressEdits(interaction, new Promise<void>((resolve) => (markReplied = resolve)));
  let running: Promise<T>;
  try {
    // Started, and its lock taken, before acknowledging, so a change arriving meanwhile (here or in
    // another process) is refused rather than raced.
    running = steps.start((update) => progress.report(update));
    running.catch(() => undefined);
    await steps.story.changeLocked;
  } catch (error) {
    if (!isAppError(error, 'REINDEX_IN_PROGRESS')) throw error;
    await steps.refuseBusy();
    return undefined;
  }
  await steps.acknowledge();
  markReplied();
  try {
    const result = await running;
    const shardNote = await switchEveryShard(interaction, context, steps.story);
    await progress.settled();
    return { result, shardNote };
  } catch (error) {
    await progress.settled();
    if (isAppError(error)) context.logger.info({ interaction: interaction.id, code: error.code }, 'request refused');
    else context.logger.error({ err: error }, 'corpus change failed');
    const text = steps.failureText(isAppError(error) ? error.message : undefined);
    await interaction.editReply({ content: text, embeds: [], components: [], allowedMentions: { parse: [] } });
    return undefined;
  }
}
