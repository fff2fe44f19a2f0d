/**
 * @module bot-harness: the real engine and the real discord.js client against a fake Discord, on a
 * scratch copy of the corpus, plus the request predicates the bot tests share.
 */
import { cp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type App, type StoryApp, createApp } from '../../src/app.js';
import { type Environment, loadConfig } from '../../src/config.js';
import { startBot } from '../../src/discord/bot.js';
import { startHttpBot } from '../../src/discord/http/interactions-server.js';
import { type FakeDiscord, type FakeDiscordOptions, type FakeUser, type Interaction, type RecordedRequest, guildIdForShard, startFakeDiscord } from './fake-discord.js';
import { type LogCapture, captureLogs } from './log-capture.js';
import { makeTempDir } from './temp-dir.js';

export const MANAGE_GUILD = String(1 << 5);
export const EPHEMERAL = 1 << 6;
/** The token the harness logs in with; it must never appear in what the bot logs. */
export const HARNESS_TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.harness-token-never-logged';

export interface MessageBody {
  content?: string;
  embeds?: { title?: string; description?: string; fields?: { name: string; value: string }[]; footer?: { text: string } }[];
  components?: { components: { custom_id: string; label: string }[] }[];
  allowed_mentions?: { parse?: string[] };
  flags?: number;
}

export const isEdit = (r: RecordedRequest): boolean => r.method === 'PATCH' && r.path.endsWith('/messages/@original');
export const isCallback = (r: RecordedRequest): boolean => r.path.endsWith('/callback');
/** The body of an interaction callback ({type, data}). */
export const callbackOf = (r: RecordedRequest): { type: number; data?: MessageBody } => r.body as { type: number; data?: MessageBody };
export const messageOf = (r: RecordedRequest): MessageBody => r.body as MessageBody;

export interface Harness {
  scratch: string;
  corpusDir: string;
  indexDir: string;
  fake: FakeDiscord;
  app: App;
  /** The operator's story, as the bot has it loaded. */
  operator(): Promise<StoryApp>;
  bot: RunningBot;
  logs: LogCapture;
  /** Sends `/ask question:<question>` as `user`. */
  ask(question: string, user?: FakeUser): Interaction;
  /** Stops the bot and the app and starts them again on the same folders, as a restart of the process would; `whileStopped` runs in between. */
  restart(whileStopped?: () => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

/** What the tests need of either transport's bot. */
export interface RunningBot {
  /** The HTTP transport's address. */
  url?: string;
  readonly inFlight: number;
  stop(): Promise<void>;
}

/** How Discord delivers interactions to the bot: the gateway (`npm start`) or signed HTTP POSTs (`npm run start:http`). */
export type Transport = 'gateway' | 'http';

let defaultTransport: Transport = 'gateway';
/** For the files that run a gateway test file's cases again over HTTP (tests/e2e/http/). */
export function useTransport(transport: Transport): void {
  defaultTransport = transport;
}

export interface HarnessOptions {
  /** @default 'gateway', or what useTransport chose */
  transport?: Transport;
  /** Settings on top of the scratch folders (e.g. ASK_COOLDOWN_SECONDS). */
  env?: Environment;
  fake?: FakeDiscordOptions;
  /** Runs on the scratch corpus before the index is built. */
  prepareCorpus?: (corpusDir: string) => Promise<void>;
  /** The bot's limit on interactions worked on at once. */
  maxInFlight?: number;
}

export async function startHarness(given: HarnessOptions = {}): Promise<Harness> {
  const options = { transport: defaultTransport, ...given };
  const scratch = await makeTempDir('bot');
  const corpusDir = join(scratch, 'corpus');
  const indexDir = join(scratch, 'index');
  await cp('corpus', corpusDir, { recursive: true });
  await options.prepareCorpus?.(corpusDir);
  const fake = await startFakeDiscord({ interactionDeadlineMs: 3_000, ...options.fake });
  // Attachments are fetched from the fake's CDN on 127.0.0.1, which only a listed host may reach.
  const allowedHosts = [new URL(fake.cdnUrl).host, options.env?.FETCH_ALLOWED_HOSTS].filter(Boolean).join(',');
  const config = loadConfig({
    CORPUS_DIR: corpusDir,
    INDEX_DIR: indexDir,
    DATA_DIR: join(scratch, 'data'),
    MODEL_CACHE_DIR: '.cache/models',
    // The fake's first server is the operator's own (may change the shared story) unless a test says otherwise.
    ADMIN_GUILD_IDS: options.fake?.guilds?.[0]?.id ?? guildIdForShard(0, 1),
    ...options.env,
    FETCH_ALLOWED_HOSTS: allowedHosts,
  });
  const logs = captureLogs();
  const settings = { ...config.discord, token: HARNESS_TOKEN, apiUrl: fake.apiUrl };
  const limits = options.maxInFlight === undefined ? {} : { maxInFlight: options.maxInFlight };
  const start = async (): Promise<{ app: App; bot: RunningBot }> => {
    const app = await createApp(config, { logger: logs.logger, history: true });
    await app.operatorStory();
    if (options.transport !== 'http') return { app, bot: await startBot({ settings, app, logger: logs.logger, ...limits }) };
    const http = { publicKey: fake.publicKey, port: 0, host: '127.0.0.1' };
    const bot = await startHttpBot({ settings: { ...settings, http }, app, logger: logs.logger, ...limits });
    bot.markReady();
    fake.deliverTo(`${bot.url}/interactions`);
    return { app, bot };
  };
  const harness: Harness = {
    scratch,
    corpusDir,
    indexDir,
    fake,
    ...(await start()),
    operator: () => harness.app.operatorStory(),
    logs,
    ask: (question, user) => fake.sendCommand({ name: 'ask', options: [{ name: 'question', type: 3, value: question }], ...(user ? { user } : {}) }),
    async restart(whileStopped) {
      const identified = fake.identifies.length;
      await harness.bot.stop();
      await harness.app.close();
      await whileStopped?.();
      Object.assign(harness, await start());
      if (options.transport !== 'http') await fake.waitFor(() => (fake.identifies.length > identified ? true : undefined), 10_000);
    },
    async stop() {
      await harness.bot.stop();
      await harness.app.close();
      await fake.stop();
      await rm(scratch, { recursive: true, force: true });
    },
  };
  return harness;
}
