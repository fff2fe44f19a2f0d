/**
 * @module channel-story: which story an interaction acts on, and whether this member may change it.
 * A command reads the story of the channel it runs in; a button or modal names its answer's story
 * in its custom id, which is checked again against the server that pressed it, so a crafted custom
 * id cannot reach another server's story.
 */
import type { BaseInteraction, ChatInputCommandInteraction } from 'discord.js';
import type { StoryApp } from '../app.js';
import type { Story } from '../stories/story.js';
import { type MemberInteraction, adminRefusal } from './admin-permission.js';
import type { AnswerPlace, CommandContext } from './command.js';
import { replyPrivately } from './private-reply.js';

/** What a member reads when a button names a story their server cannot read, or a place not theirs. */
export const FOREIGN_STORY = 'That button belongs to another server’s answer, so it does nothing here.';

/** The story the interaction's channel reads (a thread without a story of its own: its channel's). */
export function channelStory(interaction: BaseInteraction, { app, threadParentOf }: CommandContext): Promise<Story> {
  return app.storyOfChannel(interaction.guildId ?? undefined, interaction.channelId ?? undefined, threadParentOf(interaction));
}

/** Whether a remembered answer (or pending change) was made in the server the interaction comes from. */
export function samePlace(place: AnswerPlace, interaction: BaseInteraction): boolean {
  return place.guildId === (interaction.guildId ?? undefined);
}

/** Why a button or form naming `storyId` does nothing here: the story was this server's and is gone, or it is another's. */
export function unreachableStory(storyId: string, interaction: BaseInteraction): string {
  return interaction.guildId !== null && storyId.startsWith(`${interaction.guildId}/`) ? 'That answer’s story has been deleted.' : FOREIGN_STORY;
}

/** The story a custom id names when the pressing server may read it; undefined otherwise. */
export function storyNamedBy(storyId: string, interaction: BaseInteraction, { app }: CommandContext): Story | undefined {
  return app.readableStory(storyId, interaction.guildId ?? undefined);
}

/** Why this member may not change the story (named as `/reindex`), or undefined when they may: the server's managers (or ADMIN_ROLE_IDS), and for the operator's story only in ADMIN_GUILD_IDS. */
export function changeRefusal(interaction: MemberInteraction & Pick<BaseInteraction, 'guildId'>, context: CommandContext, story: Story, command: string): string | undefined {
  return adminRefusal(interaction, context.adminRoleIds, command) ?? context.app.changeRefusal(story, interaction.guildId ?? undefined);
}

/**
 * For the admin commands: runs `work` on the channel's story when this member may change it;
 * otherwise they are told why, privately.
 */
export async function changeChannelStory(interaction: ChatInputCommandInteraction, context: CommandContext, command: string, work: (story: StoryApp) => Promise<void>): Promise<void> {
  const story = await channelStory(interaction, context);
  const refusal = changeRefusal(interaction, context, story, command);
  if (refusal !== undefined) await replyPrivately(interaction, refusal);
  else await context.app.using(story, work);
}
