/** @module private-reply: a private one-message reply, whatever the interaction's state (not yet answered, deferred, or answered). */
import { MessageFlags, type RepliableInteraction } from 'discord.js';

export async function replyPrivately(interaction: RepliableInteraction, content: string): Promise<void> {
  const message = { content, allowedMentions: { parse: [] } };
  if (interaction.deferred && !interaction.replied) await interaction.editReply(message);
  else if (interaction.replied) await interaction.followUp({ ...message, flags: MessageFlags.Ephemeral });
  else await interaction.reply({ ...message, flags: MessageFlags.Ephemeral });
}
