/** @module command: what a slash command file exports (the discord.js guide's layout), and what it is given. */
import type {
  AutocompleteInteraction,
  BaseInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  ContextMenuCommandBuilder,
  MessageContextMenuCommandInteraction,
  ModalSubmitInteraction,
  SharedSlashCommand,
} from 'discord.js';
import type { App } from '../app.js';
import type { Logger } from '../logger.js';
import type { SearchResult } from '../search/search.js';
import type { Cooldown } from './cooldown.js';
import type { TimedCache } from './timed-cache.js';

/** What this bot process has done since it started, for /status. */
export interface BotStats {
  answersServed: number;
}

export interface CommandContext {
  app: App;
  logger: Logger;
  /** Recent answers, for their "More passages" button. */
  results: TimedCache<ShownResult>;
  /** Each recent answer's chain of questions (oldest first) and where it was shown, for its follow-up button. */
  conversations: TimedCache<Conversation>;
  /** Article removals waiting for their confirmation button: the corpus file, by confirmation id. */
  pendingRemovals: TimedCache<PendingRemoval>;
  /** Story deletions waiting for their confirmation button, by confirmation id. */
  pendingDeletions: TimedCache<PendingDeletion>;
  /** The pause each member waits between two /ask. */
  askCooldown: Cooldown;
  /** When not empty, only members holding one of these roles may run /reindex and /status. */
  adminRoleIds: readonly string[];
  stats: BotStats;
  /** How Discord delivered the interaction: over this process's gateway session, or by HTTP POST to this replica. */
  transport: 'gateway' | 'http';
  /** The channel a thread belongs to (undefined outside threads), as the transport that carried the interaction knows it. */
  threadParentOf(interaction: BaseInteraction): string | undefined;
}

/** Where an answer was given: a button pressed in another server is refused. */
export interface AnswerPlace {
  guildId: string | undefined;
  storyId: string;
}

export interface ShownResult extends AnswerPlace {
  result: SearchResult;
}

export interface Conversation extends AnswerPlace {
  questions: readonly string[];
  ephemeral: boolean;
}

/** A change waiting for its confirmation button: only the member who asked, in the same server, may confirm. */
interface PendingConfirmation {
  userId: string;
  guildId: string | undefined;
  storyId: string;
}

export interface PendingRemoval extends PendingConfirmation {
  file: string;
  title: string;
}

export type PendingDeletion = PendingConfirmation;

export interface Command {
  data: SharedSlashCommand;
  execute(interaction: ChatInputCommandInteraction, context: CommandContext): Promise<void>;
  /** Suggestions while a member types an option marked for autocomplete. */
  autocomplete?(interaction: AutocompleteInteraction, context: CommandContext): Promise<void>;
  /** Presses of the buttons this command's replies carry, whose custom ids start with `<command name>:`. */
  pressButton?(interaction: ButtonInteraction, context: CommandContext): Promise<void>;
  /** Submissions of the modals this command shows, custom ids starting with `<command name>:` too. */
  submitModal?(interaction: ModalSubmitInteraction, context: CommandContext): Promise<void>;
}

/** A message context-menu command (right-click a message → Apps), one file each like the slash commands. */
export interface MessageCommand {
  data: ContextMenuCommandBuilder;
  execute(interaction: MessageContextMenuCommandInteraction, context: CommandContext): Promise<void>;
}
