/** @module bot-settings: the settings both bot entry points (one process, sharded) start from, checked once. */
import dotenv from 'dotenv';
import { type Config, loadConfig } from '../config.js';
import type { BuildProgress } from '../index/build-index.js';
import type { Logger } from '../logger.js';

/** Progress of a startup build, logged at most this often. */
const PROGRESS_LOG_INTERVAL_MS = 2000;

export type BotConfig = Config & { discord: { token: string } };

export function fail(message: string, status: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(status);
}

/** Reads `.env` and the environment; exits 2 with a message naming the problem when a setting is bad or the token missing. */
export function readBotConfig(): BotConfig {
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

/** Logs an index build's progress, the embedding phase at most every couple of seconds. */
export function buildProgressLogger(logger: Logger): (progress: BuildProgress) => void {
  let lastProgressLog = 0;
  return (progress) => {
    if (progress.phase === 'embedding' && Date.now() - lastProgressLog < PROGRESS_LOG_INTERVAL_MS && progress.done < progress.total) return;
    lastProgressLog = Date.now();
    logger.info(progress, 'building the index');
  };
}
