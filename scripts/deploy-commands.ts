/** `npm run deploy-commands`: registers /ask, /reindex and /sources (in DISCORD_GUILD_ID if set, else globally). */
import dotenv from 'dotenv';
import { loadConfig } from '../src/config.js';
import { deployCommands } from '../src/discord/deploy-commands.js';

dotenv.config({ quiet: true });
try {
  const config = loadConfig(process.env);
  const { token } = config.discord;
  if (!token) throw new Error('DISCORD_TOKEN is not set. Copy .env.example to .env and put your bot token there.');
  const { scope, applicationId, registered } = await deployCommands({ ...config.discord, token });
  const where = scope === 'guild' ? `in server ${config.discord.guildId} (available now)` : 'globally (may take up to an hour to appear)';
  process.stdout.write(`Registered ${registered.length} commands for application ${applicationId} ${where}:\n`);
  for (const command of registered) process.stdout.write(`  /${command.name}  ${command.description}\n`);
} catch (error) {
  process.stderr.write(`Could not register the commands: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
