/**
 * Each server its own stories, kept strictly apart: three servers in one gateway session, the real
 * discord.js client against the fake Discord, a local news site, the real model and index. Server A
 * makes a story, binds a channel and adds an article by link; server B never reaches it by any way
 * (answers, autocomplete, sources, follow-ups, votes, more passages, check a claim, crafted custom
 * ids) and cannot change A's story or the operator's; server C is in ADMIN_GUILD_IDS and may change
 * the operator's story. The operator's corpus folder stays byte for byte as it was.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EPHEMERAL, type Harness, MANAGE_GUILD, type MessageBody, callbackOf, isCallback, isEdit, messageOf, startHarness } from '../support/bot-harness.js';
import { type CommandOption, type Interaction, guildIdForShard, snowflake } from '../support/fake-discord.js';
import { snapshotFolder } from '../support/folder-snapshot.js';
import { type NewsSite, page, startNewsSite } from '../support/news-site.js';

const GUILD_A = guildIdForShard(0, 1, 0);
const GUILD_B = guildIdForShard(0, 1, 1);
const GUILD_C = guildIdForShard(0, 1, 2);
const TITLE = 'Okavango zebra sanctuary opens to visitors';
const QUESTION = 'Who opened the Okavango zebra sanctuary?';
/** What only A's article holds (not the question's words, which a reply repeats): none may ever reach server B. */
const A_ONLY = /Mokoena|1,240|Maun Daily|safari lodges|opens to visitors/;
const EDITOR = { id: '400000000000000042', username: 'editor' };

const ARTICLE = `<!doctype html><html><head><title>${TITLE}</title><meta property="og:site_name" content="Maun Daily"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav><article><h1>${TITLE}</h1>
<p>MAUN — Minister Thandiwe Mokoena opened the Okavango zebra sanctuary on Friday, the first reserve in Botswana set aside for the migrating herds.</p>
<p>Rangers counted 1,240 zebras at the waterholes inside the sanctuary during the first week, more than twice the number the planners had expected.</p>
<p>The sanctuary covers 800 square kilometres of floodplain and will be paid for by a levy on safari lodges, the minister told reporters at the gate.</p>
<p>Conservation groups welcomed the plan but warned that fences on the southern boundary still cut the herds off from their dry-season grazing.</p>
</article><footer>© Maun Daily</footer></body></html>`;

let harness: Harness;
let site: NewsSite;
let operatorCorpus: Record<string, string>;
/** A channel in A bound to A's story, and one left reading the server default. */
const BOUND = snowflake();
const UNBOUND = snowflake();
let storyDir: string;
/** An answer A's members got from A's story: what B's crafted custom ids point at. */
let answerInA: { interaction: Interaction; body: MessageBody };

beforeAll(async () => {
  site = await startNewsSite({ '/zebras.html': page(ARTICLE) });
  harness = await startHarness({
    fake: { guilds: [GUILD_A, GUILD_B, GUILD_C].map((id, k) => ({ id, name: `Server ${'ABC'[k]}` })) },
    env: { FETCH_ALLOWED_HOSTS: site.host, ADMIN_GUILD_IDS: GUILD_C, ASK_COOLDOWN_SECONDS: '0' },
  });
  operatorCorpus = await snapshotFolder(harness.corpusDir);
  storyDir = join(harness.scratch, 'data', 'stories', GUILD_A, 'zebra-watch');
});

afterAll(async () => {
  await harness?.stop();
  await site?.stop();
});

function command(guildId: string, name: string, options: CommandOption[], extra: { channelId?: string; threadParentId?: string; manager?: boolean } = {}): Interaction {
  return harness.fake.sendCommand({
    guildId,
    name,
    options,
    user: EDITOR,
    ...(extra.channelId === undefined ? {} : { channelId: extra.channelId }),
    ...(extra.threadParentId === undefined ? {} : { threadParentId: extra.threadParentId }),
    ...(extra.manager === false ? {} : { memberPermissions: MANAGE_GUILD }),
  });
}

const sub = (name: string, options: CommandOption[] = []): CommandOption[] => [{ name, type: 1, options }];
const text = (name: string, value: string): CommandOption => ({ name, type: 3, value });

/** A private reply's last word: a refusal at once, or the final edit after a deferral. */
async function privateReply(interaction: Interaction): Promise<string> {
  const callback = callbackOf(await interaction.waitForReply(isCallback, 10_000));
  if (callback.type === 4) {
    expect(callback.data?.flags).toBe(EPHEMERAL);
    return JSON.stringify(callback.data);
  }
  const final = await interaction.waitForReply((r) => isEdit(r) && ((messageOf(r).embeds ?? []).length > 0 || !(messageOf(r).content ?? '').endsWith('…')), 30_000);
  return JSON.stringify(messageOf(final));
}

async function ask(guildId: string, question: string, channelId?: string): Promise<{ interaction: Interaction; body: MessageBody }> {
  const interaction = command(guildId, 'ask', [text('question', question)], { manager: false, ...(channelId === undefined ? {} : { channelId }) });
  return { interaction, body: messageOf(await interaction.waitForReply(isEdit, 20_000)) };
}

const customIds = (body: MessageBody): string[] => (body.components ?? []).flatMap((row) => row.components.map((button) => button.custom_id));

describe('a server makes a story of its own', () => {
  it('refuses B changing the operator’s story, while C (in ADMIN_GUILD_IDS) may', async () => {
    for (const refused of [command(GUILD_B, 'reindex', []), command(GUILD_B, 'article', sub('add', [text('url', site.url('/zebras.html'))]))]) {
      expect(await privateReply(refused)).toContain("the bot operator's shared story, which only the operator changes");
    }
    expect(await privateReply(command(GUILD_C, 'reindex', []))).toContain('The index was already up to date');
  });

  it('creates a story, binds a channel to it and adds an article by link; that channel answers from it', async () => {
    expect(await privateReply(command(GUILD_A, 'story', sub('create', [text('name', 'Zebra Watch')])))).toContain('Created the story `zebra-watch`');
    expect(await privateReply(command(GUILD_A, 'story', sub('create', [text('name', 'zebra-watch')])))).toContain('already has a story called');
    expect(await privateReply(command(GUILD_A, 'story', sub('use', [text('name', 'zebra-watch')]), { channelId: BOUND }))).toContain('now reads `zebra-watch`');
    // The story starts empty: a question there is told so, privately.
    expect(await privateReply(command(GUILD_A, 'ask', [text('question', QUESTION)], { channelId: BOUND, manager: false }))).toContain('This story has no articles yet');
    const added = await privateReply(command(GUILD_A, 'article', sub('add', [text('url', site.url('/zebras.html'))]), { channelId: BOUND }));
    expect(added).toContain(`Added: ${TITLE}`);
    expect(existsSync(join(storyDir, 'corpus', 'okavango-zebra-sanctuary-opens-to-visitors.md'))).toBe(true);

    answerInA = await ask(GUILD_A, QUESTION, BOUND);
    const [first] = answerInA.body.embeds?.[0]?.fields ?? [];
    expect(first?.name).toBe(`1. ${TITLE}`);
    expect(first?.value).toContain('Minister Thandiwe Mokoena opened the Okavango zebra sanctuary');
    expect(customIds(answerInA.body)).toContain(`ask:up:${answerInA.interaction.id}:${GUILD_A}/zebra-watch`);
    // A thread in the bound channel reads the channel's story.
    const inThread = command(GUILD_A, 'ask', [text('question', QUESTION)], { manager: false, threadParentId: BOUND });
    expect(JSON.stringify(messageOf(await inThread.waitForReply(isEdit, 20_000)))).toContain('Mokoena');
    // Another channel of A still reads the server default, the operator's story.
    expect(JSON.stringify((await ask(GUILD_A, QUESTION, UNBOUND)).body)).not.toMatch(A_ONLY);
  });

  it('lists the story with its size and channel to A, and suggests it to A only', async () => {
    const list = await privateReply(command(GUILD_A, 'story', sub('list')));
    expect(list).toContain('`zebra-watch`: 1 article, 4 passages · used in <#');
    expect(list).toContain('the shared story (`shared`)');
    const suggest = (guildId: string) =>
      harness.fake.sendAutocomplete({ guildId, name: 'story', options: sub('use', [{ name: 'name', type: 3, value: 'z', focused: true }]), memberPermissions: MANAGE_GUILD });
    expect(callbackOf(await suggest(GUILD_A).waitForReply(isCallback))).toEqual({ type: 8, data: { choices: [{ name: 'zebra-watch', value: 'zebra-watch' }] } });
    expect(callbackOf(await suggest(GUILD_B).waitForReply(isCallback))).toEqual({ type: 8, data: { choices: [] } });
    expect(await privateReply(command(GUILD_B, 'story', sub('list')))).not.toMatch(/zebra/);
  });

  it('makes the story the server default with default:true, and binds one channel back to the shared story', async () => {
    const asDefault = command(GUILD_A, 'story', sub('use', [text('name', 'zebra-watch'), { name: 'default', type: 5, value: true }]), { channelId: UNBOUND });
    expect(await privateReply(asDefault)).toContain('Every channel without a story of its own now reads `zebra-watch`');
    expect(JSON.stringify((await ask(GUILD_A, QUESTION, snowflake())).body)).toContain('Mokoena'); // any channel not bound
    expect(await privateReply(command(GUILD_A, 'story', sub('use', [text('name', 'shared')]), { channelId: UNBOUND }))).toContain('now reads the shared story');
    expect(JSON.stringify((await ask(GUILD_A, QUESTION, UNBOUND)).body)).not.toMatch(A_ONLY);
    expect(await privateReply(command(GUILD_A, 'story', sub('list')))).toContain('`zebra-watch`: 1 article, 4 passages · the server default · used in <#');
  });
});

describe('server B never reaches A’s story', () => {
  it('answers the same question, its sources and a checked claim from the operator’s story only', async () => {
    expect(JSON.stringify((await ask(GUILD_B, QUESTION)).body)).not.toMatch(A_ONLY);
    expect(await privateReply(command(GUILD_B, 'sources', [], { manager: false }))).not.toMatch(A_ONLY);
    const check = harness.fake.sendMessageCommand({ guildId: GUILD_B, name: 'Check against the story', content: 'A new reserve for migrating herds opened in Botswana on Friday' });
    expect(JSON.stringify(messageOf(await check.waitForReply(isEdit, 20_000)))).not.toMatch(A_ONLY);
    const autocomplete = harness.fake.sendAutocomplete({ guildId: GUILD_B, name: 'article', options: sub('remove', [{ name: 'name', type: 3, value: 'zebra', focused: true }]), memberPermissions: MANAGE_GUILD });
    expect(callbackOf(await autocomplete.waitForReply(isCallback))).toEqual({ type: 8, data: { choices: [] } });
  });

  it('refuses crafted custom ids carrying A’s story or A’s answer: votes, follow-ups, more passages', async () => {
    const aId = answerInA.interaction.id;
    const crafted = [`ask:up:${aId}:${GUILD_A}/zebra-watch`, `ask:down:${aId}:operator/shared`, `ask:follow:${aId}:${GUILD_A}/zebra-watch`, `more:${aId}:3`];
    for (const customId of crafted) {
      const press = harness.fake.sendButton({ guildId: GUILD_B, customId, user: EDITOR });
      const reply = callbackOf(await press.waitForReply(isCallback));
      expect(reply, customId).toMatchObject({ type: 4, data: { flags: EPHEMERAL, content: expect.stringContaining('another server') } });
    }
    for (const customId of [`ask:follow-submit:${aId}:${GUILD_A}/zebra-watch`, `ask:follow-submit:${aId}:operator/shared`]) {
      const followUp = harness.fake.sendModalSubmit({ guildId: GUILD_B, customId, fields: { question: 'and who pays for it?' }, user: EDITOR });
      const reply = await followUp.waitForReply((r) => isCallback(r) || isEdit(r), 20_000);
      expect(JSON.stringify(reply.body), customId).not.toMatch(A_ONLY);
    }
    // Nothing B pressed counted on A's answer.
    expect(await harness.app.history?.store.counts(aId)).toEqual({ up: 0, down: 0 });
  });

  it('refuses B binding, changing or deleting A’s story, and A’s gaps hold A’s questions only', async () => {
    expect(await privateReply(command(GUILD_B, 'story', sub('use', [text('name', 'zebra-watch')])))).toContain('This server has no story called');
    expect(await privateReply(command(GUILD_B, 'story', sub('delete', [text('name', 'zebra-watch')])))).toContain('This server has no story called');
    expect(existsSync(storyDir)).toBe(true);
    await ask(GUILD_B, 'Who won the 1998 World Cup?');
    const gapsA = await privateReply(command(GUILD_A, 'gaps', [], { channelId: BOUND }));
    expect(gapsA).not.toContain('1998 World Cup');
    expect(gapsA).toContain(': 3 questions in the last 30 days'); // all asked of A's story: in the bound channel, its thread and through the default
    const gapsC = await privateReply(command(GUILD_C, 'gaps', []));
    expect(gapsC).not.toMatch(A_ONLY);
  });

  it('follows up inside A from A’s story, then deletes the story after a confirm button, files and bindings gone', async () => {
    const followUp = harness.fake.sendModalSubmit({
      guildId: GUILD_A,
      channelId: BOUND,
      customId: `ask:follow-submit:${answerInA.interaction.id}:${GUILD_A}/zebra-watch`,
      fields: { question: 'how many zebras did rangers count?' },
      user: EDITOR,
    });
    expect(JSON.stringify(messageOf(await followUp.waitForReply(isEdit, 20_000)))).toContain('1,240 zebras');

    const asked = command(GUILD_A, 'story', sub('delete', [text('name', 'zebra-watch')]));
    const prompt = callbackOf(await asked.waitForReply(isCallback));
    expect(prompt.data?.content).toContain('Delete the story `zebra-watch` (1 article)?');
    const confirm = prompt.data?.components?.[0]?.components.find((button) => button.label === 'Delete')?.custom_id ?? '';
    // The confirmation is A's editor's own: B pressing it is refused, and nothing is deleted.
    const foreign = harness.fake.sendButton({ guildId: GUILD_B, customId: confirm, memberPermissions: MANAGE_GUILD, user: EDITOR });
    expect(callbackOf(await foreign.waitForReply(isCallback)).data?.content).toContain('another server');
    expect(existsSync(storyDir)).toBe(true);

    const press = harness.fake.sendButton({ guildId: GUILD_A, customId: confirm, memberPermissions: MANAGE_GUILD, user: EDITOR, messageId: String(asked.original()?.id) });
    await press.waitForReply((r) => isEdit(r) && (messageOf(r).content ?? '').startsWith('Deleted'), 20_000);
    expect(existsSync(storyDir)).toBe(false);
    expect(await harness.app.history?.store.answerOf(answerInA.interaction.id)).toBeUndefined();
    // The bound channel reads the server default again.
    expect(JSON.stringify((await ask(GUILD_A, QUESTION, BOUND)).body)).not.toMatch(A_ONLY);
  });

  it('left the operator’s corpus folder byte for byte as it was', async () => {
    expect(await snapshotFolder(harness.corpusDir)).toEqual(operatorCorpus);
  });
});
