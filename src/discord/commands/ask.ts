/**
 * `/ask question:<text> [private]`: the passages that answer a question, quoted and cited. Every
 * answer carries 👍/👎 (a member's vote, changeable, with an optional reason for a 👎) and *Ask a
 * follow-up*, answered in the same place with the earlier questions as context.
 */
import {
  type ActionRow,
  type ButtonInteraction,
  ButtonStyle,
  type ChatInputCommandInteraction,
  ComponentType,
  LabelBuilder,
  type MessageActionRowComponent,
  MessageFlags,
  ModalBuilder,
  type ModalSubmitInteraction,
  SlashCommandBuilder,
  StringSelectMenuBuilder,
  TextInputBuilder,
  TextInputStyle,
  TimestampStyles,
  time,
} from 'discord.js';
import { VOTE_REASONS, type VoteReason } from '../../history/history-store.js';
import { searchableQuestion } from '../../question-text.js';
import { chainedQuestion } from '../../search/follow-up.js';
import type { StoryApp } from '../../app.js';
import type { Story } from '../../stories/story.js';
import { emptyStory } from '../../story-app.js';
import { ANSWER_ACTIONS, type AnswerRef, answerKey, answerMessage, declinedMessage, escapeQuoted, parseAnswerKey, withFeedback, withVoteCounts } from '../answer-view.js';
import { FOREIGN_STORY, channelStory, samePlace, storyNamedBy, unreachableStory } from '../channel-story.js';
import type { Command, CommandContext } from '../command.js';
import { replyPrivately } from '../private-reply.js';

/** Discord's own cap for the option; the engine would read no further anyway. */
export const MAX_QUESTION_LENGTH = 300;
/** A follow-up carries this many earlier questions of its chain. */
const CHAIN_LENGTH = 3;
const MAX_NOTE_LENGTH = 500;
/** Actions of the modals and buttons only this file shows. */
const FOLLOW_UP_SUBMIT = 'follow-submit';
const EXPLAIN = 'why';
const REASON_SUBMIT = 'reason';

const REASON_LABELS: Readonly<Record<VoteReason, string>> = {
  'wrong-passage': 'It quoted the wrong passage',
  'not-in-story': 'The story does not cover this',
  outdated: 'The passage is outdated',
  other: 'Something else',
};

type AnsweringInteraction = ChatInputCommandInteraction | ModalSubmitInteraction;

interface Asking {
  story: StoryApp;
  /** As the member typed it. */
  question: string;
  /** Earlier questions of the chain, oldest first (empty for a first question). */
  earlier: readonly string[];
  ephemeral: boolean;
}

/** Searches, replies (the deferral was sent), and remembers the chain; the question is recorded after the reply. */
async function answerQuestion(interaction: AnsweringInteraction, context: CommandContext, asking: Asking): Promise<void> {
  const { app, results, conversations, stats } = context;
  const { story } = asking;
  const result = await story.ask(chainedQuestion(asking.question, asking.earlier));
  const place = { guildId: interaction.guildId ?? undefined, storyId: story.story.id };
  // The member sees their own words; the context searched with is shown beneath them.
  const shown = { ...result, question: { ...result.question, original: asking.question } };
  if (result.answered) results.set(interaction.id, { ...place, result: shown });
  const base = result.answered ? answerMessage(shown, 0, interaction.id) : declinedMessage(shown, story.sources());
  const message = withFeedback(base, { answerId: interaction.id, storyId: story.story.id }, { up: 0, down: 0 });
  const [embed] = message.embeds;
  if (embed && asking.earlier.length > 0) embed.description = [`Follow-up to: *${escapeQuoted(asking.earlier.at(-1) ?? '')}*`, embed.description].filter(Boolean).join('\n\n');
  // Remembered before the answer goes out, so a vote pressed the moment it appears finds it; the
  // history only queues the row here and writes it in a later turn, off the answer's path.
  conversations.set(interaction.id, { ...place, questions: [...asking.earlier, asking.question].slice(-CHAIN_LENGTH), ephemeral: asking.ephemeral });
  app.history?.store.recordQuestion({
    answerId: interaction.id,
    askedAt: Date.now(),
    ...place,
    question: asking.question,
    answered: result.answered,
    buildId: story.sources().buildId ?? '',
    passages: result.answered ? result.passages.slice(0, 3).map((ranked) => ({ id: ranked.passage.id, score: ranked.score })) : [],
  });
  await interaction.editReply({ ...message, allowedMentions: { parse: [] } });
  stats.answersServed += 1;
}

/** STORY_EMPTY while the story has no articles: thrown before deferring, so the refusal is private (see interactions.ts). */
async function refuseEmpty(story: Story, { app }: CommandContext): Promise<void> {
  if (await app.isEmpty(story)) throw emptyStory();
}

/** Whether the member may ask now; if not, they have been told when they may. */
async function takeTurn(interaction: ChatInputCommandInteraction | ModalSubmitInteraction, { askCooldown }: CommandContext): Promise<boolean> {
  const turn = askCooldown.take(interaction.user.id);
  if (turn.allowed) return true;
  const seconds = Math.ceil((turn.retryAt - Date.now()) / 1000);
  await interaction.reply({
    content: `You are asking quickly. You can ask again ${time(Math.ceil(turn.retryAt / 1000), TimestampStyles.RelativeTime)} (in ${seconds} s).`,
    flags: MessageFlags.Ephemeral,
  });
  return false;
}

function followUpModal(answer: AnswerRef): ModalBuilder {
  return new ModalBuilder()
    .setCustomId(`ask:${FOLLOW_UP_SUBMIT}:${answerKey(answer)}`)
    .setTitle('Ask a follow-up')
    .addLabelComponents(
      new LabelBuilder()
        .setLabel('Your follow-up question')
        .setTextInputComponent(new TextInputBuilder().setCustomId('question').setStyle(TextInputStyle.Short).setMaxLength(MAX_QUESTION_LENGTH).setRequired(true)),
    );
}

function reasonModal(answer: AnswerRef): ModalBuilder {
  return new ModalBuilder()
    .setCustomId(`ask:${REASON_SUBMIT}:${answerKey(answer)}`)
    .setTitle('What was wrong with the answer?')
    .addLabelComponents(
      new LabelBuilder()
        .setLabel('Reason')
        .setStringSelectMenuComponent(
          new StringSelectMenuBuilder()
            .setCustomId('reason')
            .setRequired(false)
            .setMinValues(0)
            .setMaxValues(1)
            .addOptions(VOTE_REASONS.map((reason) => ({ label: REASON_LABELS[reason], value: reason }))),
        ),
      new LabelBuilder()
        .setLabel('Anything to add? (optional)')
        .setTextInputComponent(new TextInputBuilder().setCustomId('note').setStyle(TextInputStyle.Paragraph).setMaxLength(MAX_NOTE_LENGTH).setRequired(false)),
    );
}

/** Where the answer was given, as remembered or recorded: here (this server, this story), elsewhere, or on record nowhere. */
async function answerStanding(interaction: ButtonInteraction | ModalSubmitInteraction, { app, conversations }: CommandContext, answer: AnswerRef): Promise<'here' | 'elsewhere' | 'unknown'> {
  const known = conversations.get(answer.answerId) ?? (await app.history?.store.answerOf(answer.answerId));
  if (known === undefined) return 'unknown';
  return known.storyId === answer.storyId && samePlace(known, interaction) ? 'here' : 'elsewhere';
}

/** Stores the member's vote and shows the new counts on the answer; a 👎 is offered a way to say why. */
async function vote(interaction: ButtonInteraction, context: CommandContext, answer: AnswerRef, value: 1 | -1): Promise<void> {
  const { app, logger } = context;
  const history = app.history;
  let counts;
  try {
    if (!history) throw new Error('no history database');
    const standing = await answerStanding(interaction, context, answer);
    if (standing !== 'here') {
      await replyPrivately(interaction, standing === 'elsewhere' ? FOREIGN_STORY : 'That answer is no longer on record (questions are kept for HISTORY_DAYS), so it takes no votes.');
      return;
    }
    counts = await history.store.vote(answer.answerId, history.hashMember(interaction.user.id), value);
  } catch (error) {
    logger.error({ err: error, answerId: answer.answerId }, 'could not store a vote');
    await interaction.reply({ content: 'Sorry, your vote could not be recorded right now. Please try again later.', flags: MessageFlags.Ephemeral });
    return;
  }
  const rows = interaction.message.components.filter((component): component is ActionRow<MessageActionRowComponent> => component.type === ComponentType.ActionRow);
  const components = withVoteCounts(rows.map((row) => row.toJSON()), answer, counts);
  await interaction.update({ components });
  if (value === -1) {
    await interaction.followUp({
      content: 'Thanks for the 👎. Want to say what was wrong? It helps the admins find what the story is missing.',
      flags: MessageFlags.Ephemeral,
      components: [
        { type: ComponentType.ActionRow, components: [{ type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Say what was wrong', custom_id: `ask:${EXPLAIN}:${answerKey(answer)}` }] },
      ],
    });
  }
}

async function pressButton(interaction: ButtonInteraction, context: CommandContext): Promise<void> {
  const [, action = '', ...key] = interaction.customId.split(':');
  const answer = parseAnswerKey(key);
  // Checked before anything is shown or stored: a crafted custom id may name another server's story.
  if (storyNamedBy(answer.storyId, interaction, context) === undefined) {
    await replyPrivately(interaction, unreachableStory(answer.storyId, interaction));
    return;
  }
  if (action === ANSWER_ACTIONS.up || action === ANSWER_ACTIONS.down) await vote(interaction, context, answer, action === ANSWER_ACTIONS.up ? 1 : -1);
  else if (action === ANSWER_ACTIONS.followUp) await interaction.showModal(followUpModal(answer));
  else if (action === EXPLAIN) await interaction.showModal(reasonModal(answer));
}

/**
 * The chain a follow-up continues: remembered for a while, else the question recorded in the
 * history, else none; never another server's questions.
 */
async function earlierQuestions(interaction: ModalSubmitInteraction, context: CommandContext, answer: AnswerRef): Promise<{ questions: readonly string[]; ephemeral: boolean | undefined }> {
  const remembered = context.conversations.get(answer.answerId);
  if (remembered) return samePlace(remembered, interaction) ? remembered : { questions: [], ephemeral: undefined };
  const recorded = await context.app.history?.store.answerOf(answer.answerId);
  return { questions: recorded === undefined || !samePlace(recorded, interaction) ? [] : [recorded.question], ephemeral: undefined };
}

async function submitModal(interaction: ModalSubmitInteraction, context: CommandContext): Promise<void> {
  const [, action = '', ...key] = interaction.customId.split(':');
  const answer = parseAnswerKey(key);
  const story = storyNamedBy(answer.storyId, interaction, context);
  if (story === undefined) {
    await replyPrivately(interaction, unreachableStory(answer.storyId, interaction));
    return;
  }
  if (action === FOLLOW_UP_SUBMIT) {
    const question = interaction.fields.getTextInputValue('question');
    searchableQuestion(question);
    await refuseEmpty(story, context);
    if (!(await takeTurn(interaction, context))) return;
    const chain = await earlierQuestions(interaction, context, answer);
    const ephemeral = chain.ephemeral ?? interaction.message?.flags.has(MessageFlags.Ephemeral) ?? false;
    await interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
    await context.app.using(story, (opened) => answerQuestion(interaction, context, { story: opened, question, earlier: chain.questions, ephemeral }));
  } else if (action === REASON_SUBMIT) {
    const [reason] = interaction.fields.getStringSelectValues('reason');
    const note = interaction.fields.getTextInputValue('note').trim();
    const history = context.app.history;
    const stored =
      history !== undefined &&
      (await answerStanding(interaction, context, answer)) === 'here' &&
      (await history.store.explainDownVote(answer.answerId, history.hashMember(interaction.user.id), (reason as VoteReason | undefined) ?? 'other', note === '' ? undefined : note));
    await interaction.reply({
      content: stored ? `Thanks, noted: ${REASON_LABELS[(reason as VoteReason | undefined) ?? 'other'].toLowerCase()}.` : 'Your 👎 is no longer on that answer, so there is nothing to add a reason to.',
      flags: MessageFlags.Ephemeral,
    });
  }
}

export const ask = {
  data: new SlashCommandBuilder()
    .setName('ask')
    .setDescription('Ask a question about the story; get the passages that answer it')
    .addStringOption((option) =>
      option.setName('question').setDescription('What do you want to know?').setRequired(true).setMaxLength(MAX_QUESTION_LENGTH),
    )
    .addBooleanOption((option) => option.setName('private').setDescription('Show the answer only to you')),

  async execute(interaction, context) {
    const question = interaction.options.getString('question', true);
    // Nothing to search: thrown before deferring, so the refusal is private (see interactions.ts) and costs no turn.
    searchableQuestion(question);
    const story = await channelStory(interaction, context);
    await refuseEmpty(story, context);
    if (!(await takeTurn(interaction, context))) return;
    const ephemeral = interaction.options.getBoolean('private') ?? false;
    // Defer before the story is loaded: Discord drops an interaction not acknowledged within 3 seconds.
    await interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
    await context.app.using(story, (opened) => answerQuestion(interaction, context, { story: opened, question, earlier: [], ephemeral }));
  },

  pressButton,
  submitModal,
} satisfies Command;
