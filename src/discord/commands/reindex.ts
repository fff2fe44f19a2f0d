/** `/reindex` (server managers): rebuild the index from the corpus folder, with progress. */
import { type ChatInputCommandInteraction, MessageFlags } from 'discord.js';
import { isAppError } from '../../errors.js';
import type { BuildProgress, BuildSummary } from '../../index/build-index.js';
import { adminCommandData, adminRefusal } from '../admin-permission.js';
import type { Command, CommandContext } from '../command.js';
import { INDEX_CHECK_INTERVAL_MS, reloadOnEveryShard } from '../index-sync.js';
import { MESSAGE_CONTENT_LIMIT, trimAtWord } from '../limits.js';

/** Discord allows 5 edits per 5 seconds per message; one a second leaves room for the summary. */
const PROGRESS_INTERVAL_MS = 1000;

function progressText(progress: BuildProgress): string {
  switch (progress.phase) {
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

/** The outcome, every skipped file named with its reason as far as one message holds them (the log has them all). */
export function summaryText(summary: BuildSummary, shardNote?: string): string {
  const lines = [
    summary.upToDate ? 'The index was already up to date: nothing changed in the corpus.' : 'Reindex finished; new questions use the new index.',
    ...(shardNote === undefined ? [] : [shardNote]),
    `Articles: ${summary.articles} · passages: ${summary.passages} (${summary.embedded} new, ${summary.reused} reused) · ${summary.seconds.toFixed(1)} s`,
  ];
  let length = lines.join('\n').length;
  for (const [k, { file, reason }] of summary.skipped.entries()) {
    const line = trimAtWord(`Skipped \`${file.replaceAll('`', "'")}\`: ${reason}`, 300);
    const rest = `…and ${summary.skipped.length - k} more skipped files (all are named in the bot's log).`;
    if (length + 1 + line.length + 1 + rest.length > MESSAGE_CONTENT_LIMIT) {
      lines.push(rest);
      break;
    }
    lines.push(line);
    length += 1 + line.length;
  }
  return lines.join('\n');
}

/** Edits the reply in order, once `replied` resolves, at most once per interval. */
function progressReporter(interaction: ChatInputCommandInteraction, replied: Promise<void>) {
  let chain: Promise<unknown> = replied;
  let lastShown = 0;
  let lastText = '';
  return {
    report(progress: BuildProgress): void {
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
async function switchEveryShard(interaction: ChatInputCommandInteraction, { app, logger }: CommandContext): Promise<string | undefined> {
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

export const reindex = {
  data: adminCommandData('reindex', 'Rebuild the story index after the corpus changed (server managers only)'),

  async execute(interaction, context) {
    const { app, adminRoleIds } = context;
    const refusal = adminRefusal(interaction, adminRoleIds);
    if (refusal !== undefined) {
      await interaction.reply({ content: refusal, flags: MessageFlags.Ephemeral });
      return;
    }
    let markReplied = (): void => undefined;
    const progress = progressReporter(interaction, new Promise<void>((resolve) => (markReplied = resolve)));
    let running: Promise<BuildSummary>;
    try {
      // Start before replying, so a second /reindex arriving meanwhile is refused rather than raced.
      running = app.reindex((update) => progress.report(update));
    } catch (error) {
      if (!isAppError(error, 'REINDEX_IN_PROGRESS')) throw error;
      await interaction.reply({ content: 'A reindex is already running; the new index will be live when it finishes.', flags: MessageFlags.Ephemeral });
      return;
    }
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    markReplied();
    try {
      const summary = await running;
      const shardNote = await switchEveryShard(interaction, context);
      await progress.settled();
      await interaction.editReply({ content: summaryText(summary, shardNote), allowedMentions: { parse: [] } });
    } catch (error) {
      await progress.settled();
      const reason = isAppError(error) ? error.message : 'an unexpected error (see the bot logs)';
      await interaction.editReply({ content: `Reindex failed: ${reason}\nThe previous index is still answering questions.`, allowedMentions: { parse: [] } });
    }
  },
} satisfies Command;
