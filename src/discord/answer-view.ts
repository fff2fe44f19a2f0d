/**
 * @module answer-view: search results as a Discord message: one embed whose fields quote the
 * passages verbatim (markdown escaped, best sentence in bold) with their citation, within
 * Discord's limits, and a "More passages" button when there are more.
 */
import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type APIEmbedField,
  ButtonStyle,
  ComponentType,
  escapeMarkdown,
} from 'discord.js';
import type { Sources } from '../app.js';
import type { VoteCounts } from '../history/history-store.js';
import { OPERATOR_STORY_ID } from '../stories/story.js';
import type { RankedPassage, SearchResult } from '../search/search.js';
import { linkToSentence } from '../search/text-fragment.js';
import { EMBED_LIMITS, ELLIPSIS, fitSentences, trimAtWord } from './limits.js';

export const PASSAGES_PER_PAGE = 3;
export const MORE_PASSAGES_PREFIX = 'more';
/** The answer's own buttons (votes, follow-up) are routed to /ask: `ask:<action>:<answer id>:<story id>`. */
export const ANSWER_ACTIONS = { up: 'up', down: 'down', followUp: 'follow' } as const;

/** An answer as its buttons name it: the interaction that asked, and the story it was answered from. */
export interface AnswerRef {
  answerId: string;
  storyId: string;
}

/** `<answer id>:<story id>`, what follows the action in the answer's custom ids (a story id holds no colon). */
export function answerKey({ answerId, storyId }: AnswerRef): string {
  return `${answerId}:${storyId}`;
}

/** The answer a custom id's parts after the action name. */
export function parseAnswerKey(parts: readonly string[]): AnswerRef {
  // Buttons sent before stories existed carry no story: they were all the operator's.
  const [answerId = '', storyId = OPERATOR_STORY_ID] = parts;
  return { answerId, storyId };
}
const ANSWER_COLOUR = 0x3b82f6;
const DECLINED_COLOUR = 0x9ca3af;
/** How many article titles the "not covered" reply lists as a hint. */
const HINT_ARTICLES = 5;

export interface AnswerMessage {
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponent>[];
}

/**
 * Text shown as written: no Markdown, no lists, headings or masked links made from it. Italic,
 * bold and underline need a `*` or `_`; without one they are not escaped, because discord.js's
 * italic pattern scans back over the text at every position (most of an answer's rendering time).
 */
export function escapeQuoted(text: string): string {
  const emphasis = /[*_]/.test(text);
  return escapeMarkdown(text, { numberedList: true, bulletedList: true, heading: true, maskedLink: true, italic: emphasis, bold: emphasis, underline: emphasis });
}

function citation({ passage, article, score, highlight }: RankedPassage): string {
  // The link opens the article at the sentence in bold.
  const link = article.url ? ` · [open article](${linkToSentence(article.url, passage.text.slice(highlight[0], highlight[1]))})` : '';
  return `*paragraph ${passage.paragraph}${link} · relevance ${score.toFixed(2)}*`;
}

/** Escaped text of at most `max` characters, cut at a word before escaping so no escape is split. */
function escapeWithin(text: string, max: number): string {
  let budget = max;
  let escaped = escapeQuoted(trimAtWord(text, budget));
  while (escaped.length > max && budget > 0) {
    budget -= Math.max(1, escaped.length - max);
    escaped = escapeQuoted(trimAtWord(text, budget));
  }
  return escaped;
}

/** The passage as a block quote, best sentence in bold, cut to whole sentences around it if needed. */
function quote(ranked: RankedPassage, max: number): string {
  const { text, sentences } = ranked.passage;
  const spans = sentences.length > 0 ? sentences : [[0, text.length] as const];
  const keep = Math.max(0, spans.findIndex(([start]) => start === ranked.highlight[0]));
  const [keepStart = 0, keepEnd = text.length] = spans[keep] ?? [];
  const markup = '> … **** …'.length;
  if (escapeQuoted(text.slice(keepStart, keepEnd)).length + markup > max) {
    const before = keep > 0 ? `${ELLIPSIS} ` : '';
    const after = keep < spans.length - 1 ? ` ${ELLIPSIS}` : '';
    return `> ${before}**${escapeWithin(text.slice(keepStart, keepEnd), max - markup)}**${after}`;
  }
  return fitSentences(spans, keep, max, (chosen, cutBefore, cutAfter) => {
    const body = chosen
      .map(([start, end]) => {
        const sentence = escapeQuoted(text.slice(start, end));
        return start === ranked.highlight[0] ? `**${sentence}**` : sentence;
      })
      .join(' ');
    return `> ${cutBefore ? `${ELLIPSIS} ` : ''}${body}${cutAfter ? ` ${ELLIPSIS}` : ''}`;
  });
}

function passageField(ranked: RankedPassage, number: number): APIEmbedField {
  const cite = citation(ranked);
  return {
    name: trimAtWord(`${number}. ${escapeQuoted(ranked.article.title)}`, EMBED_LIMITS.fieldName),
    value: `${quote(ranked, EMBED_LIMITS.fieldValue - cite.length - 1)}\n${cite}`,
  };
}

function embedSize(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0)
  );
}

/** One page of results, starting at `offset`; `moreId` identifies the stored result for the button. */
export function answerMessage(result: SearchResult, offset: number, moreId: string | undefined): AnswerMessage {
  const page = result.passages.slice(offset, offset + PASSAGES_PER_PAGE);
  const corrected = result.question.corrections.length > 0 ? `Searched for: *${escapeQuoted(result.question.text)}*` : undefined;
  const shownTo = offset + page.length;
  const embed: APIEmbed = {
    title: trimAtWord(escapeQuoted(result.question.original), EMBED_LIMITS.title),
    color: ANSWER_COLOUR,
    fields: page.map((ranked, k) => passageField(ranked, offset + k + 1)),
    footer: { text: `Passages ${offset + 1}–${shownTo} of ${result.passages.length}, quoted verbatim from the story's articles` },
    ...(corrected ? { description: corrected } : {}),
  };
  // Three fields of at most 1024 characters and a 256-character title stay under 6000, but check anyway.
  while (embedSize(embed) > EMBED_LIMITS.total && (embed.fields?.length ?? 0) > 1) embed.fields?.pop();
  const hasMore = moreId !== undefined && shownTo < result.passages.length;
  const button: APIButtonComponent = {
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    label: 'More passages',
    custom_id: `${MORE_PASSAGES_PREFIX}:${moreId}:${shownTo}`,
  };
  return { embeds: [embed], components: hasMore ? [{ type: ComponentType.ActionRow, components: [button] }] : [] };
}

/** The honest "not in the story" reply, with a hint of what the story does cover. */
export function declinedMessage(result: SearchResult, sources: Pick<Sources, 'articles'>): AnswerMessage {
  const titles = sources.articles.slice(0, HINT_ARTICLES).map((article) => `• ${trimAtWord(escapeQuoted(article.title), 200)}`);
  const more = sources.articles.length > HINT_ARTICLES ? `\n…and ${sources.articles.length - HINT_ARTICLES} more (see /sources).` : '';
  return {
    embeds: [
      {
        title: trimAtWord(escapeQuoted(result.question.original), EMBED_LIMITS.title),
        color: DECLINED_COLOUR,
        description: trimAtWord(
          `The story doesn't cover that, as far as I can tell.\n\nIt is about:\n${titles.join('\n')}${more}\n\nTry asking about something in these articles.`,
          EMBED_LIMITS.description,
        ),
      },
    ],
    components: [],
  };
}

/** 👍 n, 👎 n and "Ask a follow-up": what every answer carries, first in its row of buttons. */
function feedbackButtons(answer: AnswerRef, votes: VoteCounts): APIButtonComponent[] {
  const button = (action: string, label: string, style: ButtonStyle.Secondary | ButtonStyle.Primary): APIButtonComponent => ({
    type: ComponentType.Button,
    style,
    label,
    custom_id: `ask:${action}:${answerKey(answer)}`,
  });
  return [
    button(ANSWER_ACTIONS.up, `👍 ${votes.up}`, ButtonStyle.Secondary),
    button(ANSWER_ACTIONS.down, `👎 ${votes.down}`, ButtonStyle.Secondary),
    button(ANSWER_ACTIONS.followUp, 'Ask a follow-up', ButtonStyle.Primary),
  ];
}

/** The message with the answer's vote and follow-up buttons, before any "More passages". */
export function withFeedback(message: AnswerMessage, answer: AnswerRef, votes: VoteCounts): AnswerMessage {
  const [first, ...rest] = message.components;
  const row: APIActionRowComponent<APIButtonComponent> = { type: ComponentType.ActionRow, components: [...feedbackButtons(answer, votes), ...(first?.components ?? [])] };
  return { ...message, components: [row, ...rest] };
}

/** The same components with the vote counts brought up to date (what a vote updates on the message). */
export function withVoteCounts(
  components: readonly APIActionRowComponent<APIComponentInMessageActionRow>[],
  answer: AnswerRef,
  votes: VoteCounts,
): APIActionRowComponent<APIComponentInMessageActionRow>[] {
  const labels = new Map([
    [`ask:${ANSWER_ACTIONS.up}:${answerKey(answer)}`, `👍 ${votes.up}`],
    [`ask:${ANSWER_ACTIONS.down}:${answerKey(answer)}`, `👎 ${votes.down}`],
  ]);
  return components.map((row) => ({
    ...row,
    components: row.components.map((component) => {
      const label = component.type === ComponentType.Button && 'custom_id' in component ? labels.get(component.custom_id) : undefined;
      return label === undefined ? component : { ...component, label };
    }),
  }));
}
