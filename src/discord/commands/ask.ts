/** `/ask question:<text> [private]`: the passages that answer a question, quoted and cited. */
import { MessageFlags, SlashCommandBuilder, TimestampStyles, time } from 'discord.js';
import { answerMessage, declinedMessage } from '../answer-view.js';
import { searchableQuestion } from '../../question-text.js';
import type { Command } from '../command.js';

/** Discord's own cap for the option; the engine would read no further anyway. */
export const MAX_QUESTION_LENGTH = 300;

export const ask = {
  data: new SlashCommandBuilder()
    .setName('ask')
    .setDescription('Ask a question about the story; get the passages that answer it')
    .addStringOption((option) =>
      option.setName('question').setDescription('What do you want to know?').setRequired(true).setMaxLength(MAX_QUESTION_LENGTH),
    )
    .addBooleanOption((option) => option.setName('private').setDescription('Show the answer only to you')),

  async execute(interaction, { app, results, askCooldown, stats }) {
    const question = interaction.options.getString('question', true);
    // Nothing to search: thrown before deferring, so the refusal is private (see interactions.ts) and costs no turn.
    searchableQuestion(question);
    const turn = askCooldown.take(interaction.user.id);
    if (!turn.allowed) {
      const seconds = Math.ceil((turn.retryAt - Date.now()) / 1000);
      await interaction.reply({
        content: `You are asking quickly. You can ask again ${time(Math.ceil(turn.retryAt / 1000), TimestampStyles.RelativeTime)} (in ${seconds} s).`,
        flags: MessageFlags.Ephemeral,
      });
      return;
    }
    const ephemeral = interaction.options.getBoolean('private') ?? false;
    // Defer first: Discord drops an interaction not acknowledged within 3 seconds.
    await interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
    const result = await app.ask(question);
    if (result.answered) results.set(interaction.id, result);
    const message = result.answered ? answerMessage(result, 0, interaction.id) : declinedMessage(result, app.sources());
    await interaction.editReply({ ...message, allowedMentions: { parse: [] } });
    stats.answersServed += 1;
  },
} satisfies Command;
