/** @module main: `npm start`: reads the environment, opens the index, logs the bot in, and shuts down cleanly. */
import dotenv from 'dotenv';
import { createApp } from '../app.js';
import { type Config, loadConfig } from '../config.js';
import { isAppError } from '../errors.js';
import type { BuildProgress } from '../index/build-index.js';
import { createLogger } from '../logger.js';
import { startBot } from './bot.js';

/** Progress of a startup build, logged at most this often. */
const PROGRESS_LOG_INTERVAL_MS = 2000;

function fail(message: string, status: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(status);
}

function readConfig(): Config & { discord: { token: string } } {
  dotenv.config({ quiet: true });
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error), 2);
  }
  const { token } = config.discord;
  if (!token) fail('DISCORD_TOKEN is not set. Copy .env.example to .env and put your bot token there (see README, "Running the bot").', 2);
  return { ...config, discord: { ...config.discord, token } };
}

async function main(): Promise<void> {
  const started = performance.now();
  const config = readConfig();
  const logger = createLogger(config.logLevel);
  let lastProgressLog = 0;
  const logProgress = (progress: BuildProgress): void => {
    if (progress.phase === 'embedding' && Date.now() - lastProgressLog < PROGRESS_LOG_INTERVAL_MS && progress.done < progress.total) return;
    lastProgressLog = Date.now();
    logger.info(progress, 'building the index');
  };

  const app = await createApp(config, { logger, onBuildProgress: logProgress });
  const bot = await startBot({ settings: config.discord, app, logger });
  logger.info({ seconds: Number(((performance.now() - started) / 1000).toFixed(2)) }, 'ready to answer');

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, inFlight: bot.inFlight }, 'shutting down after the answers in flight');
    await bot.stop();
    await app.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', (signal) => void shutdown(signal));
  process.on('SIGTERM', (signal) => void shutdown(signal));
}

main().catch((error: unknown) => {
  fail(isAppError(error) ? error.message : error instanceof Error ? error.message : String(error), 1);
});
