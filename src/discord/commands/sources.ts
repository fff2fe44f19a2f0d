/** `/sources`: the articles of the channel's story: site, date, and who added each one with /article add. */
import { MessageFlags, SlashCommandBuilder, TimestampStyles, escapeMarkdown, time } from 'discord.js';
import type { Sources } from '../../app.js';
import { channelStory } from '../channel-story.js';
import type { Command } from '../command.js';
import { EMBED_LIMITS, trimAtWord } from '../limits.js';

const SOURCES_COLOUR = 0x3b82f6;
/** Room left in the description for the "Indexed …" line. */
const RESERVED_FOR_FOOTER_LINE = 64;

export function sourcesDescription(sources: Sources): string {
  const lines: string[] = [];
  let length = 0;
  for (const [k, article] of sources.articles.entries()) {
    const title = trimAtWord(escapeMarkdown(article.title), 200);
    const details = [
      article.url ? `[${title}](${article.url})` : title,
      ...(article.source === undefined ? [] : [escapeMarkdown(trimAtWord(article.source, 80))]),
      ...(article.published === undefined ? [] : [article.published]),
      `${article.passageCount} passage${article.passageCount === 1 ? '' : 's'}`,
      ...(article.added === undefined ? [] : [`added ${article.added.at.slice(0, 10)}${article.added.by === undefined ? '' : ` by ${escapeMarkdown(trimAtWord(article.added.by, 80))}`}`]),
    ];
    const line = `${k + 1}. ${details.join(' · ')}`;
    const rest = `…and ${sources.articles.length - k} more`;
    if (length + line.length + 1 + rest.length > EMBED_LIMITS.description - RESERVED_FOR_FOOTER_LINE) {
      lines.push(rest);
      break;
    }
    lines.push(line);
    length += line.length + 1;
  }
  return lines.join('\n');
}

export const sources = {
  data: new SlashCommandBuilder().setName('sources').setDescription("List the articles of this channel's story"),

  async execute(interaction, context) {
    const current = await context.app.using(await channelStory(interaction, context), async (story) => story.sources());
    const indexed = current.builtAt === undefined ? 'never: it has no articles yet (/article add)' : time(new Date(current.builtAt), TimestampStyles.RelativeTime);
    await interaction.reply({
      flags: MessageFlags.Ephemeral,
      allowedMentions: { parse: [] },
      embeds: [
        {
          title: `Sources: ${current.articles.length} article${current.articles.length === 1 ? '' : 's'}, ${current.passageCount} passages`,
          color: SOURCES_COLOUR,
          description: `${sourcesDescription(current)}\n\nIndexed ${indexed}.`,
        },
      ],
    });
  },
} satisfies Command;
