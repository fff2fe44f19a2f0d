/**
 * `/article add url:<link> | file:<upload>` and `/article remove name:<article>` (server managers):
 * the story's articles managed from Discord. Every reply is private; a removal asks first.
 */
import { randomUUID } from 'node:crypto';
import {
  type APIEmbed,
  type AutocompleteInteraction,
  ButtonStyle,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  ComponentType,
  MessageFlags,
  escapeMarkdown,
} from 'discord.js';
import type { AddedArticle, StoryApp } from '../../app.js';
import type { ArticleSource } from '../../corpus/import-article.js';
import { ACCEPTED_EXTENSIONS } from '../../corpus/web/document-kind.js';
import type { IndexedArticle } from '../../index/story-index.js';
import { adminCommandData } from '../admin-permission.js';
import { escapeQuoted } from '../answer-view.js';
import { FOREIGN_STORY, changeRefusal, channelStory, samePlace, storyNamedBy, changeChannelStory } from '../channel-story.js';
import type { Command, CommandContext } from '../command.js';
import { replyPrivately } from '../private-reply.js';
import { runCorpusChange } from '../corpus-change.js';
import { EMBED_LIMITS, trimAtWord } from '../limits.js';

const ADDED_COLOUR = 0x22c55e;
/** Discord shows at most 25 suggestions, each at most 100 characters. */
const MAX_SUGGESTIONS = 25;
const CHOICE_LIMIT = 100;
const CONFIRM = 'confirm';
const CANCEL = 'cancel';
const BUSY = 'A reindex or another article change is running; try again when it finishes.';

const data = adminCommandData('article', "Add an article to this channel's story or remove one (server managers only)")
  .addSubcommand((add) =>
    add
      .setName('add')
      .setDescription('Add a news article by link or file; only its passages are embedded')
      .addStringOption((option) => option.setName('url').setDescription('Link to the article (https://…)').setMaxLength(2000))
      .addAttachmentOption((option) => option.setName('file').setDescription(`The article as a file (${ACCEPTED_EXTENSIONS.join(', ')})`)),
  )
  .addSubcommand((remove) =>
    remove
      .setName('remove')
      .setDescription('Take an article out of the story (kept in corpus/.removed, recoverable)')
      .addStringOption((option) => option.setName('name').setDescription('The article (start typing its title)').setRequired(true).setAutocomplete(true)),
  );

/** The link or upload the member gave, or why there is none to use. */
function sourceOf(interaction: ChatInputCommandInteraction): ArticleSource | string {
  const link = interaction.options.getString('url');
  const upload = interaction.options.getAttachment('file');
  if ((link === null) === (upload === null)) return 'Give either `url:` (a link to the article) or `file:` (the article as a file), one of the two.';
  if (upload !== null) return { kind: 'upload', url: upload.url, name: upload.name, size: upload.size };
  return { kind: 'link', link: link ?? '' };
}

export function addedEmbed(added: AddedArticle): APIEmbed {
  const fields = [
    { name: 'Site', value: escapeMarkdown(added.site ?? 'not given'), inline: true },
    { name: 'Published', value: added.published ?? 'not given', inline: true },
    { name: 'Paragraphs', value: `${added.paragraphs} (${added.passages} passages)`, inline: true },
    { name: 'First paragraph', value: trimAtWord(`> ${escapeQuoted(added.preview)}`, EMBED_LIMITS.fieldValue) },
  ];
  return {
    title: trimAtWord(`Added: ${escapeMarkdown(added.title ?? added.file)}`, EMBED_LIMITS.title),
    ...(added.url === undefined ? {} : { url: added.url }),
    color: ADDED_COLOUR,
    description: `Saved as \`${added.file}\`; ${added.summary.embedded} passages embedded, ${added.summary.reused} reused, in ${added.summary.seconds.toFixed(1)} s. Questions use it now.`,
    fields,
  };
}

async function add(interaction: ChatInputCommandInteraction, context: CommandContext, story: StoryApp): Promise<void> {
  const source = sourceOf(interaction);
  if (typeof source === 'string') {
    await replyPrivately(interaction, source);
    return;
  }
  const contributor = { memberId: interaction.user.id, name: interaction.member && 'displayName' in interaction.member ? interaction.member.displayName : interaction.user.displayName };
  const outcome = await runCorpusChange(interaction, context, {
    story,
    start: (onProgress) => story.addArticle(source, contributor, onProgress),
    acknowledge: () => interaction.deferReply({ flags: MessageFlags.Ephemeral }),
    refuseBusy: () => replyPrivately(interaction, BUSY),
    failureText: (reason) => reason ?? 'Adding the article failed with an unexpected error (see the bot logs). Nothing was added.',
  });
  if (outcome === undefined) return;
  await interaction.editReply({ content: outcome.shardNote ?? '', embeds: [addedEmbed(outcome.result)], allowedMentions: { parse: [] } });
}

/** The indexed article a member means: its file name (what autocomplete sends), its name, or its title. */
function indexedArticle(story: StoryApp, name: string): IndexedArticle | undefined {
  const wanted = name.trim().toLowerCase();
  const { articles } = story.sources();
  return articles.find((a) => a.file.toLowerCase() === wanted) ?? articles.find((a) => a.id.toLowerCase() === wanted) ?? articles.find((a) => a.title.toLowerCase() === wanted);
}

async function askToRemove(interaction: ChatInputCommandInteraction, context: CommandContext, story: StoryApp): Promise<void> {
  const name = interaction.options.getString('name', true);
  const article = indexedArticle(story, name);
  if (article === undefined) {
    await replyPrivately(interaction, `No article in the story is called "${escapeMarkdown(trimAtWord(name, 200))}". Pick one from the suggestions, or see /sources.`);
    return;
  }
  const id = randomUUID();
  context.pendingRemovals.set(id, { file: article.file, title: article.title, userId: interaction.user.id, guildId: interaction.guildId ?? undefined, storyId: story.story.id });
  await interaction.reply({
    flags: MessageFlags.Ephemeral,
    allowedMentions: { parse: [] },
    content: `Remove **${escapeMarkdown(trimAtWord(article.title, 300))}** (\`${article.file}\`, ${article.passageCount} passages) from the story? The file moves to \`corpus/.removed/\`, from where it can be put back.`,
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          { type: ComponentType.Button, style: ButtonStyle.Danger, label: 'Remove', custom_id: `article:${CONFIRM}:${id}` },
          { type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Cancel', custom_id: `article:${CANCEL}:${id}` },
        ],
      },
    ],
  });
}

/** The title, cut to leave room for the file name, which tells apart articles with similar titles. */
function suggestionName(article: IndexedArticle): string {
  const file = ` (${article.file})`;
  if (file.length > CHOICE_LIMIT / 2) return trimAtWord(article.title, CHOICE_LIMIT);
  return `${trimAtWord(article.title, CHOICE_LIMIT - file.length)}${file}`;
}

async function suggest(interaction: AutocompleteInteraction, context: CommandContext): Promise<void> {
  const story = await channelStory(interaction, context);
  if (changeRefusal(interaction, context, story, '/article') !== undefined) {
    await interaction.respond([]);
    return;
  }
  const typed = interaction.options.getFocused().trim().toLowerCase();
  const { articles } = await context.app.using(story, async (opened) => opened.sources());
  const matches = articles.filter((a) => typed === '' || a.title.toLowerCase().includes(typed) || a.file.toLowerCase().includes(typed));
  await interaction.respond(
    matches.slice(0, MAX_SUGGESTIONS).map((a) => ({ name: suggestionName(a), value: a.file.slice(0, CHOICE_LIMIT) })),
  );
}

async function confirmRemoval(interaction: ButtonInteraction, context: CommandContext): Promise<void> {
  const [, action = '', id = ''] = interaction.customId.split(':');
  const pending = context.pendingRemovals.get(id);
  if (pending !== undefined && !samePlace(pending, interaction)) {
    await interaction.reply({ content: FOREIGN_STORY, flags: MessageFlags.Ephemeral });
    return;
  }
  const story = pending === undefined ? undefined : storyNamedBy(pending.storyId, interaction, context);
  const refusal = changeRefusal(interaction, context, story ?? (await channelStory(interaction, context)), '/article');
  if (refusal !== undefined) {
    await interaction.reply({ content: refusal, flags: MessageFlags.Ephemeral });
    return;
  }
  if (pending === undefined || story === undefined || pending.userId !== interaction.user.id) {
    await interaction.update({ content: 'This confirmation has expired; run /article remove again.', components: [] });
    return;
  }
  context.pendingRemovals.delete(id);
  if (action !== CONFIRM) {
    await interaction.update({ content: `Kept **${escapeMarkdown(pending.title)}**; nothing was removed.`, components: [], allowedMentions: { parse: [] } });
    return;
  }
  const outcome = await context.app.using(story, (opened) =>
    runCorpusChange(interaction, context, {
      story: opened,
      start: (onProgress) => opened.removeArticle(pending.file, onProgress),
      acknowledge: () => interaction.update({ content: `Removing **${escapeMarkdown(pending.title)}**…`, components: [], allowedMentions: { parse: [] } }),
      refuseBusy: () => interaction.reply({ content: BUSY, flags: MessageFlags.Ephemeral }),
      failureText: (reason) => `${reason ?? 'Removing the article failed with an unexpected error (see the bot logs).'}\nThe article is still in the story.`,
    }),
  );
  if (outcome === undefined) return;
  const { result, shardNote } = outcome;
  const lines = [
    `Removed **${escapeMarkdown(result.title ?? result.file)}**; the file is kept as \`corpus/${result.movedTo}\`.`,
    `The story now has ${result.summary.articles} articles, ${result.summary.passages} passages.`,
    ...(shardNote === undefined ? [] : [shardNote]),
  ];
  await interaction.editReply({ content: lines.join('\n'), components: [], allowedMentions: { parse: [] } });
}

export const article = {
  data,

  async execute(interaction, context) {
    await changeChannelStory(interaction, context, '/article', (story) =>
      interaction.options.getSubcommand() === 'add' ? add(interaction, context, story) : askToRemove(interaction, context, story),
    );
  },

  autocomplete: suggest,
  pressButton: confirmRemoval,
} satisfies Command;
