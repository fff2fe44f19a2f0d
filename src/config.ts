/**
 * @module config: every setting, checked once. Entry points read the environment (after dotenv)
 * and pass it here; nothing else touches process.env.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_MODEL_ID, type ModelSpec, resolveModelSpec } from './embeddings/models.js';
import { type AllowedHost, parseAllowedHosts } from './corpus/web/address-policy.js';
import { AppError, ErrorCodes } from './errors.js';

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value));

/** An integer setting; unset or blank means the default. */
function integerSetting(fallback: number, min: number, max: number) {
  return optionalText.transform((value) => value ?? String(fallback)).pipe(z.coerce.number<string>().int().min(min).max(max));
}

const MEGABYTE = 1024 * 1024;
const SHARD_COUNT_RULE = 'must be a whole number of shards from 1 to 10000';

/** Comma-separated Discord ids (roles, servers…); blank means none. */
function idList(kind: string) {
  return optionalText.transform((value, context) => {
    const ids = (value ?? '').split(',').map((id) => id.trim()).filter((id) => id !== '');
    for (const id of ids) {
      if (!/^\d{17,20}$/.test(id)) context.addIssue({ code: 'custom', message: `"${id}" is not a ${kind} id (17-20 digits)` });
    }
    return ids;
  });
}

/** Comma-separated host[:port] entries a fetched link may reach though they are not public web hosts. */
const allowedHosts = optionalText.transform((value, context): AllowedHost[] => {
  try {
    return parseAllowedHosts(value);
  } catch (error) {
    context.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
    return [];
  }
});

const settingsSchema = z.object({
  EMBEDDING_MODEL: optionalText.transform((value) => value ?? DEFAULT_MODEL_ID),
  MODEL_CACHE_DIR: optionalText.transform((value) => resolve(value ?? '.cache/models')),
  MODEL_HUB_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  // Prefixes may legitimately end in a space, so they are taken as written (unset = the model's own).
  QUERY_PREFIX: z.string().optional(),
  PASSAGE_PREFIX: z.string().optional(),
  EMBED_BATCH_SIZE: integerSetting(32, 1, 512),
  // 0 = ONNX Runtime's own choice (a thread per core).
  MODEL_THREADS: integerSetting(0, 0, 256),
  CORPUS_DIR: optionalText.transform((value) => resolve(value ?? 'corpus')),
  INDEX_DIR: optionalText.transform((value) => resolve(value ?? 'data/index')),
  DATA_DIR: optionalText.transform((value) => resolve(value ?? 'data')),
  FETCH_ALLOWED_HOSTS: allowedHosts,
  FETCH_TIMEOUT_SECONDS: integerSetting(15, 1, 300),
  HISTORY_DAYS: integerSetting(90, 1, 3650),
  DATABASE_URL: optionalText.pipe(z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' }).optional()),
  DISCORD_TOKEN: optionalText,
  DISCORD_API_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  DISCORD_GUILD_ID: optionalText.pipe(z.string().regex(/^\d{17,20}$/, 'must be a server id (17-20 digits)').optional()),
  DISCORD_APPLICATION_ID: optionalText.pipe(z.string().regex(/^\d{17,20}$/, 'must be an application id (17-20 digits)').optional()),
  DISCORD_PUBLIC_KEY: optionalText.pipe(z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be the 64 hex digits the Developer Portal shows as "Public Key"').optional()),
  HTTP_PORT: integerSetting(8080, 0, 65_535),
  HTTP_HOST: optionalText.transform((value) => value ?? '0.0.0.0'),
  ADMIN_ROLE_IDS: idList('role'),
  ADMIN_GUILD_IDS: idList('server'),
  MAX_STORIES_PER_SERVER: integerSetting(10, 1, 1000),
  MAX_ARTICLES_PER_STORY: integerSetting(100, 1, 10_000),
  MAX_STORY_MB: integerSetting(25, 1, 10_240),
  INDEX_MEMORY_MB: integerSetting(512, 16, 1_048_576),
  ASK_COOLDOWN_SECONDS: integerSetting(5, 0, 3600),
  MAX_IN_FLIGHT: integerSetting(256, 1, 100_000),
  // Discord caps a bot at a few thousand shards per 1,000 servers each; this bound only catches typos.
  TOTAL_SHARDS: optionalText
    .transform((value) => (value === undefined ? undefined : Number(value)))
    .pipe(z.number({ error: SHARD_COUNT_RULE }).int(SHARD_COUNT_RULE).min(1, SHARD_COUNT_RULE).max(10_000, SHARD_COUNT_RULE).optional()),
  LOG_LEVEL: optionalText.pipe(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
});

export interface Config {
  model: ModelSpec;
  modelCacheDir: string;
  modelHubUrl: string | undefined;
  embedBatchSize: number;
  /** Threads each model call may use; undefined = ONNX Runtime's default (one per core). */
  modelThreads: number | undefined;
  corpusDir: string;
  indexDir: string;
  /** What the bot keeps besides the index: the key that hashes member ids. */
  dataDir: string;
  fetch: FetchConfig;
  /** Questions and votes older than this many days are purged from the history database. */
  historyDays: number;
  /** Secret (it may hold a password): never log it. Set: shared state lives in PostgreSQL; unset: SQLite files in DATA_DIR. */
  databaseUrl: string | undefined;
  stories: StoriesConfig;
  logLevel: string;
  discord: DiscordSettings;
}

/** Per-server stories: who may change the operator's story, the limits of a public bot, memory for indexes. */
export interface StoriesConfig {
  /** Servers whose managers may change the operator's story (CORPUS_DIR); the CLI always may. */
  adminGuildIds: readonly string[];
  maxPerServer: number;
  maxArticles: number;
  /** Bytes a story's article files may take together. */
  maxBytes: number;
  /** Loaded indexes beyond this many bytes are evicted, least recently used first (the operator's stays). */
  memoryBudgetBytes: number;
}

/** How links given to /article add are fetched. */
export interface FetchConfig {
  /** Hosts a link may reach although they are not public web hosts on standard ports. */
  allowedHosts: readonly AllowedHost[];
  timeoutMs: number;
}

export interface DiscordSettings {
  /** Secret: never log it or echo it. Required only by the bot and deploy-commands. */
  token: string | undefined;
  /** REST base URL (e.g. a REST proxy); the gateway address comes from its /gateway/bot. */
  apiUrl: string | undefined;
  /** Register commands in this server only (instant) instead of globally. */
  guildId: string | undefined;
  /** The application to register commands for; looked up from the token when unset. */
  applicationId: string | undefined;
  /** When not empty, only members holding one of these roles may run /reindex. */
  adminRoleIds: readonly string[];
  /** Seconds a member waits between two /ask; 0 turns the cooldown off. */
  askCooldownSeconds: number;
  /** Interactions one process works on at once (answers waiting for a search included); more are told privately to ask again. */
  maxInFlight: number;
  /** Shards `npm run start:sharded` spawns; undefined = Discord's recommendation (/gateway/bot). */
  totalShards: number | undefined;
  /** `npm run start:http`: the key Discord's signatures are checked with (required there), and where to listen. */
  http: { publicKey: string | undefined; port: number; host: string };
}

export type Environment = Readonly<Record<string, string | undefined>>;

export function loadConfig(environment: Environment): Config {
  const parsed = settingsSchema.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new AppError(ErrorCodes.CONFIG_INVALID, `Invalid settings (see .env.example): ${problems}`);
  }
  const settings = parsed.data;
  return {
    model: resolveModelSpec(settings.EMBEDDING_MODEL, { queryPrefix: settings.QUERY_PREFIX, passagePrefix: settings.PASSAGE_PREFIX }),
    modelCacheDir: settings.MODEL_CACHE_DIR,
    modelHubUrl: settings.MODEL_HUB_URL,
    embedBatchSize: settings.EMBED_BATCH_SIZE,
    modelThreads: settings.MODEL_THREADS === 0 ? undefined : settings.MODEL_THREADS,
    corpusDir: settings.CORPUS_DIR,
    indexDir: settings.INDEX_DIR,
    dataDir: settings.DATA_DIR,
    fetch: { allowedHosts: settings.FETCH_ALLOWED_HOSTS, timeoutMs: settings.FETCH_TIMEOUT_SECONDS * 1000 },
    historyDays: settings.HISTORY_DAYS,
    databaseUrl: settings.DATABASE_URL,
    stories: {
      // Unset: the server the operator registers commands in (DISCORD_GUILD_ID), if any, is theirs.
      adminGuildIds: settings.ADMIN_GUILD_IDS.length > 0 ? settings.ADMIN_GUILD_IDS : settings.DISCORD_GUILD_ID === undefined ? [] : [settings.DISCORD_GUILD_ID],
      maxPerServer: settings.MAX_STORIES_PER_SERVER,
      maxArticles: settings.MAX_ARTICLES_PER_STORY,
      maxBytes: settings.MAX_STORY_MB * MEGABYTE,
      memoryBudgetBytes: settings.INDEX_MEMORY_MB * MEGABYTE,
    },
    logLevel: settings.LOG_LEVEL,
    discord: {
      token: settings.DISCORD_TOKEN,
      apiUrl: settings.DISCORD_API_URL,
      guildId: settings.DISCORD_GUILD_ID,
      applicationId: settings.DISCORD_APPLICATION_ID,
      adminRoleIds: settings.ADMIN_ROLE_IDS,
      askCooldownSeconds: settings.ASK_COOLDOWN_SECONDS,
      maxInFlight: settings.MAX_IN_FLIGHT,
      totalShards: settings.TOTAL_SHARDS,
      http: { publicKey: settings.DISCORD_PUBLIC_KEY?.toLowerCase(), port: settings.HTTP_PORT, host: settings.HTTP_HOST },
    },
  };
}
