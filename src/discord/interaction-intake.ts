/**
 * @module interaction-intake: where every interaction enters, whichever transport carried it (the
 * gateway or an HTTP POST): the commands' shared context, a cap on work in flight, and a clean stop
 * that finishes what was taken.
 */
import { type BaseInteraction, MessageFlags } from 'discord.js';
import type { App } from '../app.js';
import type { DiscordSettings } from '../config.js';
import type { Logger } from '../logger.js';
import type { Command, CommandContext, MessageCommand } from './command.js';
import { commands as allCommands, messageCommands as allMessageCommands } from './commands/index.js';
import { Cooldown } from './cooldown.js';
import { interactionHandler } from './interactions.js';
import { TimedCache } from './timed-cache.js';

export interface IntakeOptions {
  settings: Pick<DiscordSettings, 'askCooldownSeconds' | 'adminRoleIds' | 'maxInFlight'>;
  app: App;
  logger: Logger;
  commands?: readonly Command[];
  messageCommands?: readonly MessageCommand[];
  /**
   * Interactions worked on at once; more are turned away with a private "busy" reply, so a flood the
   * machine cannot answer does not delay every deferral past Discord's 3 s. @default settings.maxInFlight (MAX_IN_FLIGHT)
   */
  maxInFlight?: number;
  /** @default the parent of a thread in discord.js's channel cache, which the gateway fills */
  threadParentOf?: CommandContext['threadParentOf'];
  /** @default 'gateway' */
  transport?: CommandContext['transport'];
}

export interface Intake {
  /** Starts work on an interaction, or turns it away (stopping, or too busy) with a private reply; resolves when done. */
  accept(interaction: BaseInteraction): Promise<void>;
  /** Answers still being worked on. */
  readonly inFlight: number;
  /** Turns new interactions away and resolves once those in flight are done. */
  drain(): Promise<void>;
}

function cachedThreadParent({ channel }: BaseInteraction): string | undefined {
  return channel?.isThread() ? (channel.parentId ?? undefined) : undefined;
}

/** A private one-line reply to an interaction the bot will not work on; failures are moot. */
async function turnAway(interaction: BaseInteraction, content: string): Promise<void> {
  if (interaction.isRepliable()) await interaction.reply({ content, flags: MessageFlags.Ephemeral }).catch(() => undefined);
}

export function createIntake(options: IntakeOptions): Intake {
  const { settings, app, logger, commands = allCommands, messageCommands = allMessageCommands, maxInFlight = settings.maxInFlight, threadParentOf = cachedThreadParent, transport = 'gateway' } = options;
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
    threadParentOf,
    transport,
  });
  const inFlight = new Set<Promise<void>>();
  let stopping = false;
  return {
    accept(interaction) {
      if (stopping) return turnAway(interaction, 'The bot is restarting; please ask again in a minute.');
      if (inFlight.size >= maxInFlight) {
        logger.warn({ interaction: interaction.id, inFlight: inFlight.size }, 'too busy: interaction turned away');
        return turnAway(interaction, 'So many questions are arriving that I cannot keep up; please ask again in a few seconds.');
      }
      const work = handle(interaction).finally(() => inFlight.delete(work));
      inFlight.add(work);
      return work;
    },
    get inFlight() {
      return inFlight.size;
    },
    async drain() {
      stopping = true;
      await Promise.allSettled([...inFlight]);
    },
  };
}
