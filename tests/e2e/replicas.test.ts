/**
 * Two HTTP replicas (`npm run start:http`, real processes) on one PostgreSQL, each with its own
 * DATA_DIR and INDEX_DIR, the fake Discord delivering each interaction to the replica a test picks:
 * a story made through one is listed, changed and answered from by the other; an article added through one reaches the other
 * by notification (timed) and is answered there from the new snapshot; a change running on one
 * refuses a reindex on the other; a replica killed with SIGKILL mid-change leaves the old snapshot
 * serving and the story's lock released, and comes back without the change it never finished.
 */
import { cp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANAGE_GUILD, callbackOf, isCallback, isEdit, messageOf } from '../support/bot-harness.js';
import { type CommandOption, type FakeDiscord, type Interaction, guildIdForShard, snowflake, startFakeDiscord } from '../support/fake-discord.js';
import { type Running, startNodeProcess, waitForOutput } from '../support/node-process.js';
import { type NewsSite, page, startNewsSite } from '../support/news-site.js';
import { freshDatabase } from '../support/postgres.js';
import { makeTempDir } from '../support/temp-dir.js';

const GUILD = guildIdForShard(0, 1, 0);
const CHANNEL = snowflake();
const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.replica-token-never-logged';
const EDITOR = { id: '400000000000000042', username: 'editor' };

const article = (title: string, paragraphs: string[]): string =>
  `<!doctype html><html><head><title>${title}</title></head><body><nav><a href="/">Home</a></nav><article><h1>${title}</h1>${paragraphs.map((text) => `<p>${text}</p>`).join('')}</article></body></html>`;

const ZEBRAS = article('Okavango zebra sanctuary opens to visitors', [
  'MAUN — Minister Thandiwe Mokoena opened the Okavango zebra sanctuary on Friday, the first reserve in Botswana set aside for the migrating herds.',
  'Rangers counted 1,240 zebras at the waterholes inside the sanctuary during the first week, more than twice the number the planners had expected.',
]);
const POACHING = article('Rangers arrest poachers at the zebra sanctuary', [
  'Rangers arrested four poachers carrying wire snares near the northern gate of the sanctuary on Tuesday night, the wildlife department said.',
  'The suspects will appear before the magistrate in Maun next week; each faces up to ten years in prison under the wildlife act.',
]);
/** Long enough that its indexing is still running when the test kills the replica. */
const SURVEY = article('A survey of every waterhole in the delta', Array.from({ length: 1500 }, (_, k) =>
  `Survey team ${k + 1} logged the depth, the salinity and the grazing pressure at waterhole number ${k + 1}, recording ${(k * 37) % 500 + 20} animals of eleven species before sunset.`));

let fake: FakeDiscord;
let site: NewsSite;
let scratch: string;
let databaseUrl: string;
const replicas: Running[] = [];

function startReplica(name: string): Running {
  const running = startNodeProcess(['--import', 'tsx', 'src/discord/http/main.ts'], {
    CORPUS_DIR: join(scratch, 'corpus'),
    INDEX_DIR: join(scratch, name, 'index'),
    DATA_DIR: join(scratch, name, 'data'),
    MODEL_CACHE_DIR: '.cache/models',
    DATABASE_URL: databaseUrl,
    DISCORD_PUBLIC_KEY: fake.publicKey,
    DISCORD_TOKEN: TOKEN,
    DISCORD_API_URL: fake.apiUrl,
    HTTP_PORT: '0',
    HTTP_HOST: '127.0.0.1',
    FETCH_ALLOWED_HOSTS: site.host,
    ASK_COOLDOWN_SECONDS: '0',
    LOG_LEVEL: 'info',
  });
  replicas.push(running);
  return running;
}

async function urlOf(running: Running): Promise<string> {
  await waitForOutput(running, 'ready to answer', 90_000);
  const url = /"url":"(http:\/\/[^"]+)"/.exec(running.output())?.[1];
  if (url === undefined) throw new Error(`no url in:\n${running.output()}`);
  return `${url}/interactions`;
}

const sub = (name: string, options: CommandOption[] = []): CommandOption[] => [{ name, type: 1, options }];
const text = (name: string, value: string): CommandOption => ({ name, type: 3, value });

/** Sends a command to the replica at `endpoint`. */
function command(endpoint: string, name: string, options: CommandOption[], manager = true): Interaction {
  fake.deliverTo(endpoint);
  return fake.sendCommand({ guildId: GUILD, channelId: CHANNEL, name, options, user: EDITOR, ...(manager ? { memberPermissions: MANAGE_GUILD } : {}) });
}

/** The reply's last word: a reply at once, or the final edit after a deferral. */
async function finalReply(interaction: Interaction): Promise<string> {
  const callback = callbackOf(await interaction.waitForReply(isCallback, 10_000));
  if (callback.type === 4) return JSON.stringify(callback.data);
  const final = await interaction.waitForReply((r) => isEdit(r) && ((messageOf(r).embeds ?? []).length > 0 || !(messageOf(r).content ?? '').endsWith('…')), 60_000);
  return JSON.stringify(messageOf(final));
}

const times = (running: Running, line: string): number => running.output().split(line).length - 1;

/** When the replica last logged `message` (pino's time, ms). */
function logTime(running: Running, message: string): number {
  const line = running.output().split('\n').findLast((entry) => entry.includes(message));
  if (line === undefined) throw new Error(`"${message}" is not in the log`);
  return (JSON.parse(line) as { time: number }).time;
}

let one: Running;
let two: Running;
let endpointOne: string;
let endpointTwo: string;

beforeAll(async () => {
  scratch = await makeTempDir('replicas');
  await cp('corpus', join(scratch, 'corpus'), { recursive: true });
  [fake, site, databaseUrl] = await Promise.all([
    startFakeDiscord({ interactionDeadlineMs: 3_000, guilds: [{ id: GUILD, name: 'Server A' }] }),
    startNewsSite({ '/zebras.html': page(ZEBRAS), '/poaching.html': page(POACHING), '/survey.html': page(SURVEY) }),
    freshDatabase('replicas'),
  ]);
  one = startReplica('one');
  two = startReplica('two');
  [endpointOne, endpointTwo] = await Promise.all([urlOf(one), urlOf(two)]);
}, 180_000);

afterAll(async () => {
  for (const running of replicas) running.child.kill('SIGKILL');
  await Promise.all(replicas.map((running) => running.exited));
  await fake?.stop();
  await site?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('replicas on one PostgreSQL', () => {
  it('lists on replica 2 a story made through replica 1, adds an article to it there, and replica 1 answers from it', async () => {
    expect(await finalReply(command(endpointOne, 'story', sub('create', [text('name', 'Zebra Watch')])))).toContain('Created the story `zebra-watch`');
    expect(await finalReply(command(endpointTwo, 'story', sub('list')))).toContain('`zebra-watch`: 0 articles');
    expect(await finalReply(command(endpointTwo, 'story', sub('use', [text('name', 'zebra-watch')])))).toContain('now reads `zebra-watch`');
    expect(await finalReply(command(endpointTwo, 'article', sub('add', [text('url', site.url('/zebras.html'))])))).toContain('Added: Okavango zebra sanctuary');
    const answer = await finalReply(command(endpointOne, 'ask', [text('question', 'Who opened the Okavango zebra sanctuary?')], false));
    expect(answer).toContain('Minister Thandiwe Mokoena opened the Okavango zebra sanctuary');
    expect(one.output()).toContain('caught up with the story’s latest snapshot');
  });

  it('switches replica 2 to the snapshot replica 1 publishes, by notification, and answers from it', async () => {
    const switchedBefore = times(two, 'switched to the index another process built');
    const added = command(endpointOne, 'article', sub('add', [text('url', site.url('/poaching.html'))]));
    expect(await finalReply(added)).toContain('Added: Rangers arrest poachers');
    await waitForOutput(two, 'switched to the index another process built', 20_000, switchedBefore + 1);
    const publishedAt = logTime(one, 'published the story’s snapshot');
    const switchedAt = logTime(two, 'switched to the index another process built');
    console.log(`replica 2 answered from replica 1's new snapshot ${switchedAt - publishedAt} ms after replica 1 published it`);
    expect(switchedAt).toBeGreaterThanOrEqual(publishedAt);
    // By notification, not by the 10 s check: the event is in replica 2's log before its switch.
    const log = two.output();
    expect(log.lastIndexOf('"event":"published"')).toBeGreaterThan(-1);
    expect(log.lastIndexOf('"event":"published"')).toBeLessThan(log.lastIndexOf('switched to the index another process built'));
    const answer = await finalReply(command(endpointTwo, 'ask', [text('question', 'How many poachers did the rangers arrest?')], false));
    expect(answer).toContain('Rangers arrested four poachers');
    const status = await finalReply(command(endpointTwo, 'status', []));
    expect(status).toMatch(/\*\*Replica\*\* `[^`]+:\d+` · HTTP interactions · shared state in PostgreSQL/);
    expect(status).toContain('Index: 2 articles');
  });

  it('refuses a reindex on replica 2 while replica 1 changes the story; SIGKILL mid-change leaves the old snapshot serving and the lock released', async () => {
    const saved = times(one, 'article saved; indexing it');
    const published = times(one, 'published the story’s snapshot');
    const adding = command(endpointOne, 'article', sub('add', [text('url', site.url('/survey.html'))]));
    await waitForOutput(one, 'article saved; indexing it', 20_000, saved + 1);
    const refused = await finalReply(command(endpointTwo, 'reindex', []));
    expect(refused).toContain('already running');
    one.child.kill('SIGKILL');
    await one.exited;
    // Killed mid-change: it never published.
    expect(times(one, 'published the story’s snapshot')).toBe(published);
    expect(adding.original()).toBeDefined();

    // The lock went with replica 1's database session: replica 2 may change the story at once.
    expect(await finalReply(command(endpointTwo, 'reindex', []))).toMatch(/up to date|Reindex finished/);
    expect(await finalReply(command(endpointTwo, 'story', sub('list')))).toContain('`zebra-watch`: 2 articles');
    const answer = await finalReply(command(endpointTwo, 'ask', [text('question', 'What did survey team 12 log at the waterhole?')], false));
    expect(answer).not.toContain('Survey team');

    // Replica 1 comes back on its own folders without the article it never finished adding.
    const again = startReplica('one');
    const endpointAgain = await urlOf(again);
    expect(await finalReply(command(endpointAgain, 'ask', [text('question', 'How many poachers did the rangers arrest?')], false))).toContain('Rangers arrested four poachers');
    expect(await finalReply(command(endpointAgain, 'story', sub('list')))).toContain('`zebra-watch`: 2 articles');
    expect(again.output()).not.toContain(TOKEN);
    expect(two.output()).not.toContain(TOKEN);
  });
});
