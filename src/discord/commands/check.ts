/**
 * "Check against the story" (right-click a message → Apps): the message is taken as a claim and
 * answered privately with the passages of the channel's story that bear on it, or "the story doesn't cover that". What
 * people in a news server need when a claim flies by.
 */
import { ApplicationCommandType, ContextMenuCommandBuilder, InteractionContextType, MessageFlags } from 'discord.js';
import { MAX_QUESTION_LENGTH } from './ask.js';
import { answerMessage, declinedMessage } from '../answer-view.js';
import { channelStory } from '../channel-story.js';
import type { MessageCommand } from '../command.js';
import { trimAtWord } from '../limits.js';

export const check = {
  data: new ContextMenuCommandBuilder().setName('Check against the story').setType(ApplicationCommandType.Message).setContexts(InteractionContextType.Guild),

  async execute(interaction, context) {
    const claim = interaction.targetMessage.content.trim();
    if (claim === '') {
      await interaction.reply({ content: 'That message has no text to check (only attachments or embeds).', flags: MessageFlags.Ephemeral });
      return;
    }
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    // A claim is searched like a question; the engine reads no further than a question's length.
    const { result, sources } = await context.app.using(await channelStory(interaction, context), async (story) => ({
      result: await story.ask(trimAtWord(claim, MAX_QUESTION_LENGTH)),
      sources: story.sources(),
    }));
    const message = result.answered ? answerMessage(result, 0, undefined) : declinedMessage(result, sources);
    const [embed] = message.embeds;
    if (embed) {
      embed.title = 'Checked against the story';
      embed.description = [result.answered ? 'What the story says about this claim, quoted:' : undefined, embed.description].filter(Boolean).join('\n\n');
    }
    await interaction.editReply({ ...message, allowedMentions: { parse: [] } });
  },
} satisfies MessageCommand;
