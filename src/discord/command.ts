/** @module command: what a slash command file exports (the discord.js guide's layout), and what it is given. */
import type { ChatInputCommandInteraction, SharedSlashCommand } from 'discord.js';
import type { App } from '../app.js';
import type { Logger } from '../logger.js';
import type { Cooldown } from './cooldown.js';
import type { ResultCache } from './result-cache.js';

/** What this bot process has done since it started, for /status. */
export interface BotStats {
  answersServed: number;
}

export interface CommandContext {
  app: App;
  logger: Logger;
  results: ResultCache;
  /** The pause each member waits between two /ask. */
  askCooldown: Cooldown;
  /** When not empty, only members holding one of these roles may run /reindex and /status. */
  adminRoleIds: readonly string[];
  stats: BotStats;
}

export interface Command {
  data: SharedSlashCommand;
  execute(interaction: ChatInputCommandInteraction, context: CommandContext): Promise<void>;
}
