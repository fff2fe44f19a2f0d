/** @module bot-settings: the settings the bot's entry points (one process, sharded, HTTP) start from, checked once, and how they stop. */
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

/** Reads `.env` and the environment; exits 2 with a message naming the problem when a setting is bad. */
function readConfig(): Config {
  dotenv.config({ quiet: true });
  try {
    return loadConfig(process.env);
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error), 2);
  }
}

/** The gateway bot's settings (`npm start`); exits 2 when one is bad or the token missing. */
export function readBotConfig(): BotConfig {
  const config = readConfig();
  const { token } = config.discord;
  if (!token) fail('DISCORD_TOKEN is not set. Copy .env.example to .env and put your bot token there (see README, "Running the bot").', 2);
  return { ...config, discord: { ...config.discord, token } };
}

export type HttpBotConfig = Config & { discord: { http: { publicKey: string } } };

/** The HTTP endpoint's settings (`npm run start:http`); exits 2 when one is bad or the public key missing. */
export function readHttpBotConfig(): HttpBotConfig {
  const config = readConfig();
  const { http } = config.discord;
  if (!http.publicKey) fail('DISCORD_PUBLIC_KEY is not set: the endpoint checks every request against it (Developer Portal → General Information → Public Key; see README, "Running on more than one machine").', 2);
  return { ...config, discord: { ...config.discord, http: { ...http, publicKey: http.publicKey } } };
}

/** On SIGINT or SIGTERM (once): logs, runs `stop`, exits 0. */
export function stopOnSignals(logger: Logger, stop: () => Promise<void>, inFlight: () => number): void {
  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, inFlight: inFlight() }, 'shutting down after the answers in flight');
    await stop();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', (signal) => void shutdown(signal));
  process.on('SIGTERM', (signal) => void shutdown(signal));
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
