/** `/reindex` (server managers): rebuild the channel's story's index from its corpus folder, with progress. */
import { MessageFlags } from 'discord.js';
import type { BuildSummary } from '../../index/build-index.js';
import { adminCommandData } from '../admin-permission.js';
import { changeChannelStory } from '../channel-story.js';
import type { Command } from '../command.js';
import { runCorpusChange } from '../corpus-change.js';
import { MESSAGE_CONTENT_LIMIT, trimAtWord } from '../limits.js';

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

export const reindex = {
  data: adminCommandData('reindex', "Rebuild this channel's story index after its corpus changed (server managers only)"),

  async execute(interaction, context) {
    await changeChannelStory(interaction, context, `/${interaction.commandName}`, async (story) => {
      const outcome = await runCorpusChange(interaction, context, {
        story,
        start: (onProgress) => story.reindex(onProgress),
        acknowledge: () => interaction.deferReply({ flags: MessageFlags.Ephemeral }),
        refuseBusy: () => interaction.reply({ content: 'A reindex is already running; the new index will be live when it finishes.', flags: MessageFlags.Ephemeral }),
        failureText: (reason) => `Reindex failed: ${reason ?? 'an unexpected error (see the bot logs)'}\nThe previous index is still answering questions.`,
      });
      if (outcome !== undefined) await interaction.editReply({ content: summaryText(outcome.result, outcome.shardNote), allowedMentions: { parse: [] } });
    });
  },
} satisfies Command;
