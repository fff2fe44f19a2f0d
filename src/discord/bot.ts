/**
 * @module bot: the discord.js client: Guilds intent only, no pings from anything it sends,
 * interactions tracked so a shutdown finishes those in flight before disconnecting.
 */
import { type BaseInteraction, Client, Events, GatewayIntentBits } from 'discord.js';
import type { DiscordSettings } from '../config.js';
import { exposeIndexReload, watchLiveIndex } from './index-sync.js';
import { type IntakeOptions, createIntake } from './interaction-intake.js';

/**
 * Answers go out as interaction responses and webhook edits, which Discord does not count against a
 * bot's global 50 requests/s, but @discordjs/rest counts every request and would queue answers
 * beyond 50/s. The bot's only other requests (at login) are far below this.
 */
const REST_REQUESTS_PER_SECOND = 500;

export interface Bot {
  client: Client<true>;
  /** Answers still being worked on. */
  readonly inFlight: number;
  /** Stops taking interactions, waits for those in flight, then disconnects. */
  stop(): Promise<void>;
}

export interface BotOptions extends IntakeOptions {
  settings: DiscordSettings & { token: string };
}

export async function startBot(options: BotOptions): Promise<Bot> {
  const { settings, app, logger } = options;
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    // Nothing the bot sends may ping anyone, whatever a question or a quoted article contains.
    allowedMentions: { parse: [], repliedUser: false },
    rest: { ...(settings.apiUrl ? { api: settings.apiUrl } : {}), globalRequestsPerSecond: REST_REQUESTS_PER_SECOND },
  });
  const intake = createIntake(options);
  exposeIndexReload(client, app);
  const logSwitchFailure = (error: unknown): void => logger.warn({ err: error }, 'could not switch to the index another process built; still serving the previous one');
  const stopWatchingIndex = watchLiveIndex(app, logSwitchFailure);
  client.on(Events.InteractionCreate, (interaction: BaseInteraction) => void intake.accept(interaction));
  client.on(Events.Error, (error) => logger.error({ err: error }, 'discord client error'));
  client.on(Events.Warn, (message) => logger.warn({ message }, 'discord client warning'));
  client.on(Events.ShardDisconnect, (event, shard) => logger.warn({ shard, code: event.code }, 'gateway disconnected'));
  client.on(Events.ShardResume, (shard, replayed) => logger.info({ shard, replayed }, 'gateway resumed'));

  const ready = new Promise<Client<true>>((resolve) => client.once(Events.ClientReady, resolve));
  try {
    await client.login(settings.token);
  } catch (error) {
    stopWatchingIndex();
    await client.destroy();
    // discord.js's errors name the problem, never the token; keep only the message.
    throw new Error(`Could not log in to Discord: ${error instanceof Error ? error.message : String(error)}`);
  }
  const readyClient = await ready;
  logger.info({ user: readyClient.user.tag, guilds: readyClient.guilds.cache.size }, 'bot ready');
  // A rebuild may have finished while this process was starting, before it could be told.
  await app.reloadLoaded().catch(logSwitchFailure);

  return {
    client: readyClient,
    get inFlight() {
      return intake.inFlight;
    },
    async stop() {
      stopWatchingIndex();
      await intake.drain();
      await client.destroy();
    },
  };
}
