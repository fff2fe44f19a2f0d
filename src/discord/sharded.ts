/**
 * @module sharded: `npm run start:sharded`: discord.js's ShardingManager runs the bot as several
 * shard processes (Discord's recommended count, or TOTAL_SHARDS), each a full bot serving the saved
 * index. The index is brought up to date once, before any shard starts, so shards never race to
 * build it. SIGTERM or SIGINT stops every shard cleanly (each finishes its answers in flight).
 */
import { spawn } from 'node:child_process';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REST, type RESTGetAPIGatewayBotResult, Routes, type Shard, ShardingManager } from 'discord.js';
import { EXIT_STATUS } from '../cli/exit-status.js';
import type { DiscordSettings } from '../config.js';
import { ErrorCodes } from '../errors.js';
import { createLogger, type Logger } from '../logger.js';
import { type BotConfig, fail, readBotConfig } from './bot-settings.js';

/** Discord lets one shard per rate-limit bucket identify every 5 s; a little more for clock drift. */
const IDENTIFY_INTERVAL_MS = 5_500;
/** A shard that must rebuild a damaged index before logging in can take a while. */
const SHARD_READY_TIMEOUT_MS = 120_000;
/** A shard still finishing answers after this long is killed. */
const SHARD_STOP_TIMEOUT_MS = 30_000;

/** This module's sibling, run the way this process runs (compiled .js, or .ts under tsx with the same node flags). */
function sibling(name: string): string {
  return fileURLToPath(new URL(`${name}${extname(fileURLToPath(import.meta.url))}`, import.meta.url));
}

interface GatewayAdvice {
  shards: number;
  /** Shards that may identify at once (Discord's session_start_limit.max_concurrency). */
  maxConcurrency: number;
}

/**
 * Discord's advice from /gateway/bot. discord.js's own fetchRecommendedShardCount always asks
 * discord.com; this goes through DISCORD_API_URL (a REST proxy, or the tests' fake) when it is set.
 */
async function gatewayAdvice(settings: DiscordSettings & { token: string }): Promise<GatewayAdvice> {
  const rest = new REST(settings.apiUrl ? { api: settings.apiUrl } : {}).setToken(settings.token);
  try {
    const gateway = (await rest.get(Routes.gatewayBot())) as RESTGetAPIGatewayBotResult;
    return { shards: gateway.shards, maxConcurrency: gateway.session_start_limit.max_concurrency };
  } catch (error) {
    // discord.js's errors name the problem, never the token.
    throw new Error(`Could not ask Discord how many shards to run: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Runs `reindex` of the CLI in a child process: it builds only when the corpus changed or the index
 * is missing or damaged, under the same lock as every rebuild, and keeps the model out of this process.
 */
async function prepareIndex(config: BotConfig, logger: Logger): Promise<void> {
  const child = spawn(process.execPath, [...process.execArgv, sibling('../cli/main'), 'reindex'], { stdio: ['ignore', 'inherit', 'inherit'] });
  const status = await new Promise<number | null>((resolve, reject) => child.once('error', reject).once('exit', resolve));
  if (status === 0) return;
  if (status === EXIT_STATUS[ErrorCodes.REINDEX_IN_PROGRESS]) {
    // The shards serve the last complete index and switch when that rebuild finishes.
    logger.warn({ indexDir: config.indexDir }, 'another process is rebuilding the index; shards start on the last complete one');
    return;
  }
  throw new Error(`Could not prepare the index in ${config.indexDir} (reindex exited with status ${String(status)}; see above).`);
}

/** SIGTERM to one shard, which finishes its answers and exits; killed if it takes too long. */
function stopShard(shard: Shard): Promise<void> {
  const child = shard.process;
  if (child === null || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), SHARD_STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function main(): Promise<void> {
  const started = performance.now();
  const config = readBotConfig();
  // Shards share one DATA_DIR and INDEX_DIR, while replicas on PostgreSQL each copy stories into folders of their own.
  if (config.databaseUrl !== undefined) {
    fail('npm run start:sharded keeps its state on this host; with DATABASE_URL, run replicas of npm run start:http instead, each with its own DATA_DIR and INDEX_DIR (see README, "Running on more than one machine").', 2);
  }
  const logger = createLogger(config.logLevel).child({ shard: 'manager' });
  const seconds = (): number => Number(((performance.now() - started) / 1000).toFixed(2));

  const advice = await gatewayAdvice(config.discord);
  const totalShards = config.discord.totalShards ?? advice.shards;
  await prepareIndex(config, logger);

  // Settings reach the shards through the environment, which each shard process inherits.
  const manager = new ShardingManager(sibling('./main'), { totalShards, token: config.discord.token, execArgv: process.execArgv, respawn: true, mode: 'process' });
  let stopping = false;
  manager.on('shardCreate', (shard) => {
    shard.on('spawn', () => {
      // Process mode: the shard is a child process. One spawned while stopping must not outlive the manager.
      if (stopping) shard.process?.kill('SIGTERM');
      else logger.info({ shardId: shard.id, shardPid: shard.process?.pid }, 'shard process started');
    });
    shard.on('ready', () => logger.info({ shardId: shard.id, seconds: seconds() }, 'shard ready'));
    shard.on('death', (child) => {
      if (!stopping) logger.error({ shardId: shard.id, exitCode: 'exitCode' in child ? child.exitCode : undefined }, 'shard process exited; starting it again');
    });
  });

  /** False when already stopping. */
  const stopEveryShard = async (): Promise<boolean> => {
    if (stopping) return false;
    stopping = true;
    manager.respawn = false;
    await Promise.all(manager.shards.map((shard) => stopShard(shard)));
    return true;
  };
  const shutdown = async (signal: string): Promise<void> => {
    logger.info({ signal, shards: manager.shards.size }, 'stopping every shard');
    if (!(await stopEveryShard())) return;
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', (signal) => void shutdown(signal));
  process.on('SIGTERM', (signal) => void shutdown(signal));

  logger.info({ totalShards, recommended: advice.shards, seconds: seconds() }, 'starting shards');
  try {
    await manager.spawn({ amount: totalShards, delay: advice.maxConcurrency >= totalShards ? 0 : IDENTIFY_INTERVAL_MS, timeout: SHARD_READY_TIMEOUT_MS });
  } catch (error) {
    if (!(await stopEveryShard())) return;
    throw new Error(`A shard failed to start: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!stopping) logger.info({ shards: totalShards, seconds: seconds() }, 'all shards ready');
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error), 1));
