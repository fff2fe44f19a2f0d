/**
 * `/story create|use|list|delete` (server managers): the server's own stories. A channel reads the
 * story bound to it with `/story use`, else the server's default (`default:true`), which starts as
 * the operator's shared story. Only this server's stories are ever named or suggested here.
 */
import { randomUUID } from 'node:crypto';
import {
  type AutocompleteInteraction,
  type ButtonInteraction,
  ButtonStyle,
  type ChatInputCommandInteraction,
  ComponentType,
  MessageFlags,
  type SlashCommandStringOption,
  channelMention,
} from 'discord.js';
import type { StoryListing } from '../../app.js';
import { SHARED_STORY_NAME, type Story, isOperatorStory } from '../../stories/story.js';
import { adminCommandData, adminRefusal } from '../admin-permission.js';
import { FOREIGN_STORY, samePlace } from '../channel-story.js';
import type { Command, CommandContext } from '../command.js';
import { userMessageFor } from '../interactions.js';
import { replyPrivately } from '../private-reply.js';
import { EMBED_LIMITS, trimAtWord } from '../limits.js';

const CONFIRM = 'confirm';
const CANCEL = 'cancel';
const MAX_SUGGESTIONS = 25;
const STORIES_COLOUR = 0x8b5cf6;

function nameOption(description: string): (option: SlashCommandStringOption) => SlashCommandStringOption {
  return (option) => option.setName('name').setDescription(description).setRequired(true).setMaxLength(40).setAutocomplete(true);
}

const data = adminCommandData('story', "This server's stories: create one, choose a channel's, list, delete (server managers only)")
  .addSubcommand((create) =>
    create
      .setName('create')
      .setDescription('A new, empty story owned by this server')
      .addStringOption((option) => option.setName('name').setDescription('Its name: letters, digits and dashes, e.g. election-night').setRequired(true).setMaxLength(40)),
  )
  .addSubcommand((use) =>
    use
      .setName('use')
      .setDescription(`Make this channel read a story (${SHARED_STORY_NAME} = the bot's shared story)`)
      .addStringOption(nameOption('The story'))
      .addBooleanOption((option) => option.setName('default').setDescription("Make it the story of every channel that has none of its own")),
  )
  .addSubcommand((list) => list.setName('list').setDescription("This server's stories, their size, and the channels that read them"))
  .addSubcommand((remove) =>
    remove.setName('delete').setDescription('Delete one of this server’s stories: its articles, index and history').addStringOption(nameOption('The story to delete')),
  );

/** How a story is named to members: its name, or "the shared story". */
function shownName(story: Story): string {
  return isOperatorStory(story) ? `the shared story (\`${SHARED_STORY_NAME}\`)` : `\`${story.name}\``;
}

const articleCount = (n: number): string => `${n} article${n === 1 ? '' : 's'}`;

function listingLine(listing: StoryListing): string {
  const channels = listing.channels.map((id) => channelMention(id));
  const where = [...(listing.isDefault ? ['the server default'] : []), ...(channels.length > 0 ? [`used in ${channels.join(', ')}`] : [])];
  const size = `${articleCount(listing.articles)}, ${listing.passages} passage${listing.passages === 1 ? '' : 's'}`;
  return `• ${shownName(listing.story)}: ${size}${where.length > 0 ? ` · ${where.join(' · ')}` : ''}`;
}

async function list(interaction: ChatInputCommandInteraction, { app }: CommandContext, guildId: string): Promise<void> {
  const listings = await app.listStories(guildId);
  const own = listings.length - 1;
  await interaction.reply({
    flags: MessageFlags.Ephemeral,
    allowedMentions: { parse: [] },
    embeds: [
      {
        title: `Stories of this server: ${own}`,
        color: STORIES_COLOUR,
        description: trimAtWord(
          `${listings.map(listingLine).join('\n')}\n\nA channel reads the story bound to it with /story use, else the server default.${own === 0 ? ' Make one with /story create.' : ''}`,
          EMBED_LIMITS.description,
        ),
      },
    ],
  });
}

async function create(interaction: ChatInputCommandInteraction, { app }: CommandContext, guildId: string): Promise<void> {
  const story = await app.createStory(guildId, interaction.options.getString('name', true));
  await replyPrivately(
    interaction,
    `Created the story \`${story.name}\`. It has no articles yet: run \`/story use name:${story.name}\` in a channel, then \`/article add\` there.`,
  );
}

async function use(interaction: ChatInputCommandInteraction, { app }: CommandContext, guildId: string): Promise<void> {
  const story = await app.storyNamed(guildId, interaction.options.getString('name', true));
  const asDefault = interaction.options.getBoolean('default') ?? false;
  await app.useStory(guildId, asDefault ? undefined : interaction.channelId, story);
  const where = asDefault ? 'Every channel without a story of its own now reads' : `${channelMention(interaction.channelId)} now reads`;
  await replyPrivately(interaction, `${where} ${shownName(story)}. /ask, /sources and the buttons answer from it.`);
}

async function askToDelete(interaction: ChatInputCommandInteraction, context: CommandContext, guildId: string): Promise<void> {
  const story = await context.app.storyNamed(guildId, interaction.options.getString('name', true));
  if (isOperatorStory(story)) {
    await replyPrivately(interaction, 'The shared story belongs to the bot’s operator and cannot be deleted from a server.');
    return;
  }
  const [listing] = (await context.app.listStories(guildId)).filter((each) => each.story.id === story.id);
  const id = randomUUID();
  context.pendingDeletions.set(id, { storyId: story.id, guildId, userId: interaction.user.id });
  await interaction.reply({
    flags: MessageFlags.Ephemeral,
    allowedMentions: { parse: [] },
    content: `Delete the story \`${story.name}\` (${articleCount(listing?.articles ?? 0)})? Its articles, index, questions and votes are removed for good, and channels reading it go back to the server default.`,
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          { type: ComponentType.Button, style: ButtonStyle.Danger, label: 'Delete', custom_id: `story:${CONFIRM}:${id}` },
          { type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Cancel', custom_id: `story:${CANCEL}:${id}` },
        ],
      },
    ],
  });
}

async function confirmDeletion(interaction: ButtonInteraction, context: CommandContext): Promise<void> {
  const [, action = '', id = ''] = interaction.customId.split(':');
  const refusal = adminRefusal(interaction, context.adminRoleIds, '/story');
  if (refusal !== undefined) {
    await replyPrivately(interaction, refusal);
    return;
  }
  const pending = context.pendingDeletions.get(id);
  if (pending !== undefined && !samePlace(pending, interaction)) {
    await replyPrivately(interaction, FOREIGN_STORY);
    return;
  }
  const story = pending === undefined ? undefined : context.app.readableStory(pending.storyId, interaction.guildId ?? undefined);
  if (pending === undefined || story === undefined || pending.userId !== interaction.user.id) {
    await interaction.update({ content: 'This confirmation has expired; run /story delete again.', components: [] });
    return;
  }
  context.pendingDeletions.delete(id);
  if (action !== CONFIRM) {
    await interaction.update({ content: `Kept the story \`${story.name}\`; nothing was deleted.`, components: [] });
    return;
  }
  await interaction.update({ content: `Deleting \`${story.name}\`…`, components: [] });
  try {
    await context.app.deleteStory(story);
  } catch (error) {
    context.logger.warn({ err: error, story: story.id }, 'story deletion refused or failed');
    await interaction.editReply({ content: `The story \`${story.name}\` was not deleted. ${userMessageFor(error)}` });
    return;
  }
  await interaction.editReply({ content: `Deleted the story \`${story.name}\`: its articles, index, questions and votes are gone.` });
}

/** This server's story names (and the shared one) matching what the member typed; nothing for members who may not manage stories. */
async function suggest(interaction: AutocompleteInteraction, context: CommandContext): Promise<void> {
  const guildId = interaction.guildId;
  if (guildId === null || adminRefusal(interaction, context.adminRoleIds, '/story') !== undefined) {
    await interaction.respond([]);
    return;
  }
  const typed = interaction.options.getFocused().trim().toLowerCase();
  const names = context.app.storyNames(guildId);
  const offered = interaction.options.getSubcommand() === 'delete' ? names.filter((name) => name !== SHARED_STORY_NAME) : names;
  await interaction.respond(
    offered
      .filter((name) => name.includes(typed))
      .slice(0, MAX_SUGGESTIONS)
      .map((name) => ({ name: name === SHARED_STORY_NAME ? `${name} (the bot's shared story)` : name, value: name })),
  );
}

export const story = {
  data,

  async execute(interaction, context) {
    const refusal = adminRefusal(interaction, context.adminRoleIds, '/story');
    const guildId = interaction.guildId;
    if (refusal !== undefined || guildId === null) {
      await replyPrivately(interaction, refusal ?? 'Stories belong to servers: run /story in a server.');
      return;
    }
    const subcommand = interaction.options.getSubcommand();
    if (subcommand === 'create') await create(interaction, context, guildId);
    else if (subcommand === 'use') await use(interaction, context, guildId);
    else if (subcommand === 'list') await list(interaction, context, guildId);
    else await askToDelete(interaction, context, guildId);
  },

  autocomplete: suggest,
  pressButton: confirmDeletion,
} satisfies Command;
