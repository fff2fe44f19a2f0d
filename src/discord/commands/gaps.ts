/** `/gaps [days]` (server managers, private): what the channel's story does not cover yet, from this server's questions and votes. */
import { MessageFlags } from 'discord.js';
import { formatGaps } from '../../history/gaps.js';
import { adminCommandData } from '../admin-permission.js';
import { changeChannelStory } from '../channel-story.js';
import type { Command } from '../command.js';
import { EMBED_LIMITS, trimAtWord } from '../limits.js';

const DEFAULT_DAYS = 30;
const ENTRIES_PER_LIST = 8;
const GAPS_COLOUR = 0xf59e0b;

/** Members' own words, shown as typed: in a code block nothing renders, and its fence cannot be closed early. */
function codeBlock(text: string, max: number): string {
  const body = trimAtWord(text.replaceAll('```', 'ʼʼʼ'), max - '```text\n\n```'.length);
  return `\`\`\`text\n${body}\n\`\`\``;
}

export const gaps = {
  data: adminCommandData('gaps', 'What the story does not cover yet: declined and voted-down questions (server managers only)').addIntegerOption((option) =>
    option.setName('days').setDescription(`How far back to look (default ${DEFAULT_DAYS})`).setMinValue(1).setMaxValue(3650),
  ),

  async execute(interaction, context) {
    await changeChannelStory(interaction, context, '/gaps', async (story) => {
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      const days = interaction.options.getInteger('days') ?? DEFAULT_DAYS;
      const report = await story.gaps({ guildId: interaction.guildId ?? undefined, days, limit: ENTRIES_PER_LIST });
      if (report === undefined) {
        await interaction.editReply({ content: 'The history database is unavailable, so there is nothing to report (see /status and the bot log).' });
        return;
      }
      await interaction.editReply({
        allowedMentions: { parse: [] },
        embeds: [{ title: 'Gaps in the story', color: GAPS_COLOUR, description: codeBlock(formatGaps(report, days), EMBED_LIMITS.description) }],
      });
    });
  },
} satisfies Command;
