/**
 * @module interactions: routes each interaction to its command or button, and turns any failure
 * into one private, friendly reply (editing the deferred reply if there is one).
 */
import { type BaseInteraction, type ButtonInteraction, DiscordAPIError, MessageFlags, RESTJSONErrorCodes } from 'discord.js';
import { type AppError, type ErrorCode, ErrorCodes, isAppError } from '../errors.js';
import { MORE_PASSAGES_PREFIX, answerMessage } from './answer-view.js';
import { FOREIGN_STORY, samePlace } from './channel-story.js';
import { replyPrivately } from './private-reply.js';
import type { Command, CommandContext, MessageCommand } from './command.js';

/** What a user reads when something fails; details go to the log, never to the channel. */
export function userMessageFor(error: unknown): string {
  if (isAppError(error, 'QUESTION_INVALID')) return 'Please type a question, for example: /ask question: what did Putin demand';
  if (isAppError(error, 'REINDEX_IN_PROGRESS')) return 'A reindex is already running; try again when it finishes.';
  // Story errors are written for the member who caused them.
  if (isAppError(error) && STORY_REFUSALS.has(error.code)) return error.message;
  return 'Sorry, something went wrong while answering. Please try again in a moment.';
}

const STORY_REFUSALS: ReadonlySet<ErrorCode> = new Set([
  ErrorCodes.STORY_EMPTY,
  ErrorCodes.STORY_EXISTS,
  ErrorCodes.STORY_FORBIDDEN,
  ErrorCodes.STORY_LIMIT,
  ErrorCodes.STORY_NAME_INVALID,
  ErrorCodes.STORY_NOT_FOUND,
]);

/** A request refused for a reason the member caused or can wait out, not a failure of the bot. */
function isRefusal(error: unknown): error is AppError {
  return isAppError(error) && (error.code === ErrorCodes.QUESTION_INVALID || error.code === ErrorCodes.REINDEX_IN_PROGRESS || STORY_REFUSALS.has(error.code));
}

/** Discord's answers when an interaction's token is no longer valid. */
const EXPIRED_CODES: ReadonlySet<number | string> = new Set([
  RESTJSONErrorCodes.UnknownInteraction,
  RESTJSONErrorCodes.UnknownWebhook,
  RESTJSONErrorCodes.InvalidWebhookToken,
]);

function isExpired(error: unknown): error is DiscordAPIError {
  return error instanceof DiscordAPIError && EXPIRED_CODES.has(error.code);
}

async function showMorePassages(interaction: ButtonInteraction, context: CommandContext): Promise<void> {
  const [, id = '', offsetText = ''] = interaction.customId.split(':');
  const shown = context.results.get(id);
  const offset = Number(offsetText);
  if (!shown || !Number.isInteger(offset) || offset < 0) {
    await interaction.reply({ content: 'This button has expired. Ask again with /ask to see more passages.', flags: MessageFlags.Ephemeral });
    return;
  }
  // A crafted custom id may name another server's answer: its passages stay there.
  if (!samePlace(shown, interaction)) {
    await interaction.reply({ content: FOREIGN_STORY, flags: MessageFlags.Ephemeral });
    return;
  }
  // Shown only to whoever clicked, so browsing does not flood the channel.
  await interaction.reply({ ...answerMessage(shown.result, offset, id), flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
}

export function interactionHandler(
  commands: readonly Command[],
  messageCommands: readonly MessageCommand[],
  context: CommandContext,
): (interaction: BaseInteraction) => Promise<void> {
  const byName = new Map(commands.map((command) => [command.data.name, command]));
  const messageCommandsByName = new Map(messageCommands.map((command) => [command.data.name, command]));
  return async (interaction) => {
    try {
      if (interaction.isChatInputCommand()) {
        const command = byName.get(interaction.commandName);
        if (!command) {
          await interaction.reply({ content: 'I do not know that command any more; it may have been removed.', flags: MessageFlags.Ephemeral });
          return;
        }
        await command.execute(interaction, context);
      } else if (interaction.isMessageContextMenuCommand()) {
        await messageCommandsByName.get(interaction.commandName)?.execute(interaction, context);
      } else if (interaction.isAutocomplete()) {
        await byName.get(interaction.commandName)?.autocomplete?.(interaction, context);
      } else if (interaction.isButton()) {
        const [prefix = ''] = interaction.customId.split(':');
        if (prefix === MORE_PASSAGES_PREFIX) await showMorePassages(interaction, context);
        else await byName.get(prefix)?.pressButton?.(interaction, context);
      } else if (interaction.isModalSubmit()) {
        const [prefix = ''] = interaction.customId.split(':');
        await byName.get(prefix)?.submitModal?.(interaction, context);
      }
    } catch (error) {
      if (isExpired(error)) {
        // Nothing can reach the user any more: Discord forgot the interaction (3 s to acknowledge, 15 min to edit).
        context.logger.warn({ interaction: interaction.id, code: error.code, status: error.status }, 'interaction expired before the bot could answer it');
        return;
      }
      if (isRefusal(error)) {
        context.logger.info({ interaction: interaction.id, code: error.code }, 'request refused');
      } else {
        context.logger.error({ err: error, interaction: interaction.id }, 'interaction failed');
      }
      if (!interaction.isRepliable()) return;
      await replyPrivately(interaction, userMessageFor(error)).catch((replyError: unknown) =>
        context.logger.warn({ err: replyError, interaction: interaction.id }, 'could not tell the user about the failure'),
      );
    }
  };
}
