/** `/status` (admins): what this shard is doing: shard, guilds, the channel's story and index, stories loaded, uptime, answers, memory. */
import { type ChatInputCommandInteraction, MessageFlags, TimestampStyles, time } from 'discord.js';
import { basename } from 'node:path';
import type { ResidentStories, Sources } from '../../app.js';
import type { HistoryStatus } from '../../history/history-store.js';
import { type Story, isOperatorStory } from '../../stories/story.js';
import { adminCommandData } from '../admin-permission.js';
import { changeChannelStory } from '../channel-story.js';
import type { BotStats, Command } from '../command.js';

export interface ProcessFigures {
  uptimeSeconds: number;
  rssBytes: number;
  heapUsedBytes: number;
}

export interface StatusFacts {
  /** This shard's id and the bot's shard count. */
  shard: { id: number; count: number };
  guildsOnShard: number;
  /** The channel's story and its index. */
  story: Pick<Story, 'name' | 'owner'>;
  index: Sources;
  reindexing: boolean;
  /** Stories loaded in this process; shown to the operator's servers only. */
  resident: ResidentStories | undefined;
  /** The history database's state; undefined when the process keeps none. */
  history: HistoryStatus | undefined;
  stats: BotStats;
  process: ProcessFigures;
}

const megabytes = (bytes: number): string => `${Math.round(bytes / 1024 / 1024)} MB`;

/** 3 d 4 h, 2 h 5 min, 4 min 10 s: the two largest units. */
export function formatUptime(totalSeconds: number): string {
  const units: [string, number][] = [['d', 86_400], ['h', 3_600], ['min', 60], ['s', 1]];
  let rest = Math.floor(totalSeconds);
  const parts: string[] = [];
  for (const [name, size] of units) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0 || (parts.length > 0 && parts.length < 2)) parts.push(`${count} ${name}`);
    if (parts.length === 2) break;
  }
  return parts.length > 0 ? parts.join(' ') : '0 s';
}

function historyLine(history: HistoryStatus | undefined): string {
  if (history === undefined) return 'History: not kept by this process';
  if (!history.ok) return `History: **unavailable** (${history.reason}); answering goes on, questions and votes are not recorded`;
  const aside = history.movedAside === undefined ? '' : ` · a damaged database was moved aside to \`${basename(history.movedAside)}\` and a new one started`;
  const lastError = history.lastError === undefined ? '' : ` · last failure ${time(Math.floor(history.lastError.at / 1000), TimestampStyles.RelativeTime)}: ${history.lastError.reason}`;
  return `History: recording questions and votes${aside}${lastError}`;
}

function indexLine({ index, reindexing }: StatusFacts): string {
  const running = reindexing ? ' · a reindex is running here' : '';
  if (index.builtAt === undefined) return `Index: none yet, the story has no articles (/article add)${running}`;
  const built = time(new Date(index.builtAt), TimestampStyles.RelativeTime);
  return `Index: ${index.articles.length} article${index.articles.length === 1 ? '' : 's'}, ${index.passageCount} passages · model \`${index.model}\` · built ${built} (build \`${index.buildId}\`)${running}`;
}

export function statusText(facts: StatusFacts): string {
  const { resident } = facts;
  return [
    `**Shard ${facts.shard.id}** of ${facts.shard.count} · ${facts.guildsOnShard} server${facts.guildsOnShard === 1 ? '' : 's'} on this shard`,
    `Story: ${isOperatorStory(facts.story) ? "the operator's shared story" : `\`${facts.story.name}\``} (this channel's)`,
    indexLine(facts),
    ...(resident === undefined ? [] : [`Stories loaded here: ${resident.count} · servers' story indexes ${megabytes(resident.bytes)} of the ${megabytes(resident.budgetBytes)} budget (INDEX_MEMORY_MB)`]),
    `Uptime: ${formatUptime(facts.process.uptimeSeconds)} · answers served: ${facts.stats.answersServed}`,
    `Memory: ${megabytes(facts.process.rssBytes)} resident, ${megabytes(facts.process.heapUsedBytes)} JavaScript heap`,
    historyLine(facts.history),
  ].join('\n');
}

/** The shard this interaction came through, and how many the bot runs. */
function shardOf(interaction: ChatInputCommandInteraction): { id: number; count: number } {
  const { client } = interaction;
  const id = interaction.guild?.shardId ?? client.shard?.ids[0] ?? 0;
  return { id, count: client.shard?.count ?? client.options.shardCount ?? 1 };
}

export const status = {
  data: adminCommandData('status', 'Shard, index, uptime, answers and memory of the bot process you reach (server managers only)'),

  async execute(interaction, context) {
    await changeChannelStory(interaction, context, `/${interaction.commandName}`, async (story) => {
      const shard = shardOf(interaction);
      const memory = process.memoryUsage();
      const text = statusText({
        shard,
        guildsOnShard: interaction.client.guilds.cache.filter((guild) => guild.shardId === shard.id).size,
        story: story.story,
        index: story.sources(),
        reindexing: story.reindexing,
        // Other servers' stories are the operator's business only.
        resident: isOperatorStory(story.story) ? context.app.residentStories() : undefined,
        history: context.app.history?.store.status(),
        stats: context.stats,
        process: { uptimeSeconds: process.uptime(), rssBytes: memory.rss, heapUsedBytes: memory.heapUsed },
      });
      await interaction.reply({ content: text, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
    });
  },
} satisfies Command;
