/** @module command: what a slash command file exports (the discord.js guide's layout), and what it is given. */
import type { ChatInputCommandInteraction, SharedSlashCommand } from 'discord.js';
import type { App } from '../app.js';
import type { Logger } from '../logger.js';
import type { ResultCache } from './result-cache.js';

export interface CommandContext {
  app: App;
  logger: Logger;
  results: ResultCache;
}

export interface Command {
  data: SharedSlashCommand;
  execute(interaction: ChatInputCommandInteraction, context: CommandContext): Promise<void>;
}
