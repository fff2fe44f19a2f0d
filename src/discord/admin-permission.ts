/**
 * @module admin-permission: who may run the admin commands (/reindex, /article, /status) and press
 * their buttons. Server owners can grant a command to anyone in Discord's settings, so the bot
 * checks for itself.
 */
import { type CommandInteraction, InteractionContextType, type MessageComponentInteraction, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';

export type MemberInteraction = Pick<CommandInteraction | MessageComponentInteraction, 'member' | 'memberPermissions'>;

/** The member's role ids, whether discord.js cached the member or only has the raw payload. */
function roleIdsOf(interaction: MemberInteraction): readonly string[] {
  const roles = interaction.member?.roles;
  if (roles === undefined) return [];
  return Array.isArray(roles) ? roles : [...roles.cache.keys()];
}

/** Why this member may not run the admin command (named as `/reindex`), or undefined when they may. */
export function adminRefusal(interaction: MemberInteraction, adminRoleIds: readonly string[], command: string): string | undefined {
  if (adminRoleIds.length > 0) {
    const roles = roleIdsOf(interaction);
    return adminRoleIds.some((id) => roles.includes(id)) ? undefined : `Only members with one of the bot admin roles (ADMIN_ROLE_IDS) may run ${command}.`;
  }
  return interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ? undefined : `Only members who can manage this server may run ${command}.`;
}

/** An admin command's definition: Discord shows it to server managers by default, in servers only. */
export function adminCommandData(name: string, description: string): SlashCommandBuilder {
  return new SlashCommandBuilder()
    .setName(name)
    .setDescription(description)
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .setContexts(InteractionContextType.Guild);
}
