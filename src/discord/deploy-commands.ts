/** @module deploy-commands: registers the slash and message commands with Discord, in one server or globally. */
import { REST, type RESTPutAPIApplicationCommandsResult, Routes } from 'discord.js';
import type { DiscordSettings } from '../config.js';
import type { Command, MessageCommand } from './command.js';
import { commands as allCommands, messageCommands } from './commands/index.js';

export interface Registration {
  scope: 'guild' | 'global';
  applicationId: string;
  registered: RESTPutAPIApplicationCommandsResult;
}

export async function deployCommands(
  settings: Pick<DiscordSettings, 'apiUrl' | 'guildId' | 'applicationId'> & { token: string },
  commands: readonly (Command | MessageCommand)[] = [...allCommands, ...messageCommands],
): Promise<Registration> {
  const rest = new REST(settings.apiUrl ? { api: settings.apiUrl } : {}).setToken(settings.token);
  const applicationId = settings.applicationId ?? ((await rest.get(Routes.currentApplication())) as { id: string }).id;
  const route = settings.guildId ? Routes.applicationGuildCommands(applicationId, settings.guildId) : Routes.applicationCommands(applicationId);
  const registered = (await rest.put(route, { body: commands.map((command) => command.data.toJSON()) })) as RESTPutAPIApplicationCommandsResult;
  return { scope: settings.guildId ? 'guild' : 'global', applicationId, registered };
}
