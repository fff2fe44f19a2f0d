/**
 * @module http/main: `npm run start:http`: the bot as a stateless HTTP service. Discord POSTs
 * interactions to `/interactions`; start as many of these as the load needs, behind a load balancer
 * that sends traffic to those whose `/readyz` answers 200 (see deploy/).
 */
import { createApp } from '../../app.js';
import { isAppError } from '../../errors.js';
import { createLogger } from '../../logger.js';
import { buildProgressLogger, fail, readHttpBotConfig, stopOnSignals } from '../bot-settings.js';
import { watchLiveIndex } from '../index-sync.js';
import { startHttpBot } from './interactions-server.js';

async function main(): Promise<void> {
  const started = performance.now();
  const config = readHttpBotConfig();
  const logger = createLogger(config.logLevel);
  const app = await createApp(config, { logger, onBuildProgress: buildProgressLogger(logger), history: true });
  // Listening before the operator's story is loaded: /healthz answers at once, /readyz once it can answer.
  const bot = await startHttpBot({ settings: config.discord, app, logger }).catch(async (error: unknown) => {
    await app.close();
    throw error;
  });
  await app.operatorStory().catch(async (error: unknown) => {
    await bot.stop();
    await app.close();
    throw error;
  });
  // Another process (the CLI, another replica on this host) may rebuild a story this one has loaded.
  const stopWatchingIndex = watchLiveIndex(app, (error) => logger.warn({ err: error }, 'could not switch to the index another process built; still serving the previous one'));
  bot.markReady();
  logger.info({ url: bot.url, seconds: Number(((performance.now() - started) / 1000).toFixed(2)) }, 'ready to answer');
  stopOnSignals(logger, async () => {
    stopWatchingIndex();
    await bot.stop();
    await app.close();
  }, () => bot.inFlight);
}

main().catch((error: unknown) => {
  fail(isAppError(error) ? error.message : error instanceof Error ? error.message : String(error), 1);
});
