/** `/status` (admins): what the process reached is doing: its shard or replica, the channel's story and index, stories loaded, uptime, answers, memory. */
import { type ChatInputCommandInteraction, MessageFlags, TimestampStyles, time } from 'discord.js';
import { hostname } from 'node:os';
import { basename } from 'node:path';
import type { ResidentStories, Sources } from '../../app.js';
import type { HistoryStatus } from '../../history/history-store.js';
import type { StorageEngine } from '../../storage/storage.js';
import { type Story, isOperatorStory } from '../../stories/story.js';
import { adminCommandData } from '../admin-permission.js';
import { changeChannelStory } from '../channel-story.js';
import type { BotStats, Command, CommandContext } from '../command.js';

export interface ProcessFigures {
  uptimeSeconds: number;
  rssBytes: number;
  heapUsedBytes: number;
}

/** The process that answered: a gateway shard, or one of the HTTP replicas. */
export type Reached =
  | { transport: 'gateway'; shard: { id: number; count: number }; guildsOnShard: number }
  | { transport: 'http'; replica: string; storage: StorageEngine };

export interface StatusFacts {
  reached: Reached;
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

function reachedLine(reached: Reached): string {
  if (reached.transport === 'http') {
    return `**Replica** \`${reached.replica}\` · HTTP interactions · shared state in ${reached.storage === 'postgres' ? 'PostgreSQL' : 'SQLite on this host'}`;
  }
  const { shard, guildsOnShard } = reached;
  return `**Shard ${shard.id}** of ${shard.count} · ${guildsOnShard} server${guildsOnShard === 1 ? '' : 's'} on this shard`;
}

export function statusText(facts: StatusFacts): string {
  const { resident } = facts;
  return [
    reachedLine(facts.reached),
    `Story: ${isOperatorStory(facts.story) ? "the operator's shared story" : `\`${facts.story.name}\``} (this channel's)`,
    indexLine(facts),
    ...(resident === undefined ? [] : [`Stories loaded here: ${resident.count} · servers' story indexes ${megabytes(resident.bytes)} of the ${megabytes(resident.budgetBytes)} budget (INDEX_MEMORY_MB)`]),
    `Uptime: ${formatUptime(facts.process.uptimeSeconds)} · answers served: ${facts.stats.answersServed}`,
    `Memory: ${megabytes(facts.process.rssBytes)} resident, ${megabytes(facts.process.heapUsedBytes)} JavaScript heap`,
    historyLine(facts.history),
  ].join('\n');
}

/** The shard this interaction came through and how many the bot runs, or the replica that was POSTed it. */
function reachedBy(interaction: ChatInputCommandInteraction, context: CommandContext): Reached {
  if (context.transport === 'http') return { transport: 'http', replica: `${hostname()}:${process.pid}`, storage: context.app.storageEngine };
  const { client } = interaction;
  const id = interaction.guild?.shardId ?? client.shard?.ids[0] ?? 0;
  const shard = { id, count: client.shard?.count ?? client.options.shardCount ?? 1 };
  return { transport: 'gateway', shard, guildsOnShard: client.guilds.cache.filter((guild) => guild.shardId === id).size };
}

export const status = {
  data: adminCommandData('status', 'Shard or replica, index, uptime, answers and memory of the bot process you reach (managers)'),

  async execute(interaction, context) {
    await changeChannelStory(interaction, context, `/${interaction.commandName}`, async (story) => {
      const memory = process.memoryUsage();
      const text = statusText({
        reached: reachedBy(interaction, context),
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
