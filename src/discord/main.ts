/**
 * @module main: `npm start` (and each shard of `npm run start:sharded`): reads the environment, opens
 * the index, logs the bot in, and shuts down cleanly.
 */
import { createApp } from '../app.js';
import { isAppError } from '../errors.js';
import { createLogger } from '../logger.js';
import { buildProgressLogger, fail, readBotConfig, stopOnSignals } from './bot-settings.js';
import { startBot } from './bot.js';

async function main(): Promise<void> {
  const started = performance.now();
  const config = readBotConfig();
  // Set by discord.js's ShardingManager for the processes it spawns.
  const shard = process.env.SHARDING_MANAGER === 'true' ? Number(process.env.SHARDS) : undefined;
  const rootLogger = createLogger(config.logLevel);
  const logger = shard === undefined ? rootLogger : rootLogger.child({ shard });

  // A shard serves the indexes the manager checked before spawning it: no corpus scan, no racing rebuilds.
  const app = await createApp(config, { logger, onBuildProgress: buildProgressLogger(logger), trustIndex: shard !== undefined, history: true });
  // The operator's story is loaded (built if need be) before logging in, and stays loaded; the others load on their first question.
  await app.operatorStory().catch(async (error: unknown) => {
    await app.close();
    throw error;
  });
  const bot = await startBot({ settings: config.discord, app, logger });
  logger.info({ seconds: Number(((performance.now() - started) / 1000).toFixed(2)) }, 'ready to answer');

  stopOnSignals(logger, async () => {
    await bot.stop();
    await app.close();
  }, () => bot.inFlight);
}

main().catch((error: unknown) => {
  fail(isAppError(error) ? error.message : error instanceof Error ? error.message : String(error), 1);
});
