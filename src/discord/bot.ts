/**
 * @module bot: the discord.js client: Guilds intent only, no pings from anything it sends,
 * interactions tracked so a shutdown finishes those in flight before disconnecting.
 */
import { type BaseInteraction, Client, Events, GatewayIntentBits, MessageFlags } from 'discord.js';
import type { App } from '../app.js';
import type { DiscordSettings } from '../config.js';
import type { Logger } from '../logger.js';
import type { Command, MessageCommand } from './command.js';
import { commands as allCommands, messageCommands as allMessageCommands } from './commands/index.js';
import { Cooldown } from './cooldown.js';
import { exposeIndexReload, watchLiveIndex } from './index-sync.js';
import { interactionHandler } from './interactions.js';
import { TimedCache } from './timed-cache.js';

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

export interface BotOptions {
  settings: DiscordSettings & { token: string };
  app: App;
  logger: Logger;
  commands?: readonly Command[];
  messageCommands?: readonly MessageCommand[];
  /**
   * Interactions worked on at once; more are turned away with a private "busy" reply, so a flood the
   * machine cannot answer does not delay every deferral past Discord's 3 s. @default 256
   */
  maxInFlight?: number;
}

/** A private one-line reply to an interaction the bot will not work on; failures are moot. */
function turnAway(interaction: BaseInteraction, content: string): void {
  if (interaction.isRepliable()) interaction.reply({ content, flags: MessageFlags.Ephemeral }).catch(() => undefined);
}

export async function startBot({ settings, app, logger, commands = allCommands, messageCommands = allMessageCommands, maxInFlight = 256 }: BotOptions): Promise<Bot> {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    // Nothing the bot sends may ping anyone, whatever a question or a quoted article contains.
    allowedMentions: { parse: [], repliedUser: false },
    rest: { ...(settings.apiUrl ? { api: settings.apiUrl } : {}), globalRequestsPerSecond: REST_REQUESTS_PER_SECOND },
  });
  const handle = interactionHandler(commands, messageCommands, {
    app,
    logger,
    results: new TimedCache(),
    conversations: new TimedCache(),
    pendingRemovals: new TimedCache(),
    pendingDeletions: new TimedCache(),
    askCooldown: new Cooldown({ seconds: settings.askCooldownSeconds }),
    adminRoleIds: settings.adminRoleIds,
    stats: { answersServed: 0 },
  });
  exposeIndexReload(client, app);
  const logSwitchFailure = (error: unknown): void => logger.warn({ err: error }, 'could not switch to the index another process built; still serving the previous one');
  const stopWatchingIndex = watchLiveIndex(app, logSwitchFailure);
  const inFlight = new Set<Promise<void>>();
  let stopping = false;

  client.on(Events.InteractionCreate, (interaction: BaseInteraction) => {
    if (stopping) {
      turnAway(interaction, 'The bot is restarting; please ask again in a minute.');
      return;
    }
    if (inFlight.size >= maxInFlight) {
      logger.warn({ interaction: interaction.id, inFlight: inFlight.size }, 'too busy: interaction turned away');
      turnAway(interaction, 'So many questions are arriving that I cannot keep up; please ask again in a few seconds.');
      return;
    }
    const work = handle(interaction).finally(() => inFlight.delete(work));
    inFlight.add(work);
  });
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
      return inFlight.size;
    },
    async stop() {
      stopping = true;
      stopWatchingIndex();
      await Promise.allSettled([...inFlight]);
      await client.destroy();
    },
  };
}
