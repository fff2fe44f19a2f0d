/** The bot end to end: the real discord.js client, the real engine, against a fake Discord on 127.0.0.1. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployCommands } from '../../src/discord/deploy-commands.js';
import { EPHEMERAL, type Harness, MANAGE_GUILD, type MessageBody, callbackOf, isCallback, isEdit, messageOf, startHarness } from '../support/bot-harness.js';
import type { FakeDiscord, Interaction, RecordedRequest } from '../support/fake-discord.js';

let harness: Harness;
let fake: FakeDiscord;
let corpusDir: string;

beforeAll(async () => {
  harness = await startHarness({
    // One test user asks many questions in a row here; the cooldown has its own tests.
    env: { ASK_COOLDOWN_SECONDS: '0' },
    prepareCorpus: (dir) =>
      writeFile(
        join(dir, 'prank.md'),
        '---\ntitle: A prank in the press room\nurl: https://example.org/prank\n---\n\nA prankster shouted "@everyone look at <@123>" during the briefing about the hacker, and reporters laughed.\n',
      ),
  });
  ({ fake, corpusDir } = harness);
});

afterAll(() => harness?.stop());

async function ask(question: string, extra: { private?: boolean } = {}): Promise<{ interaction: Interaction; defer: RecordedRequest; answer: MessageBody }> {
  const options = [{ name: 'question', type: 3, value: question }, ...(extra.private ? [{ name: 'private', type: 5, value: true }] : [])];
  const interaction = fake.sendCommand({ name: 'ask', options });
  const defer = await interaction.waitForReply(isCallback);
  const answer = messageOf(await interaction.waitForReply(isEdit));
  return { interaction, defer, answer };
}

describe('/ask', () => {
  it("defers at once, then answers in the channel with Putin's condition quoted and cited", async () => {
    const { interaction, defer, answer } = await ask('what did Putin demand');
    expect(callbackOf(defer)).toEqual({ type: 5, data: { flags: 0 } });
    expect(interaction.requests()[0]).toBe(defer); // nothing before the deferral
    const [embed] = answer.embeds ?? [];
    expect(embed?.title).toBe('what did Putin demand');
    const [first] = embed?.fields ?? [];
    expect(first?.name).toBe('1. A deal on Syria’s chemical weapons is far from done.');
    expect(first?.value).toContain('**But Russian President Vladimir Putin said on Tuesday that the plan to disarm will only work if the U.S. takes the possibility of military strikes completely off the table.**');
    expect(first?.value).toMatch(/\*paragraph 3 · relevance \d\.\d\d\*$/);
    expect(answer.allowed_mentions).toEqual({ parse: [] });
    expect(answer.components?.[0]?.components.map(({ label, custom_id }) => ({ label, custom_id }))).toEqual([
      // The answer's story rides along, so a press is checked against the server it comes from.
      { label: '👍 0', custom_id: `ask:up:${interaction.id}:operator/shared` },
      { label: '👎 0', custom_id: `ask:down:${interaction.id}:operator/shared` },
      { label: 'Ask a follow-up', custom_id: `ask:follow:${interaction.id}:operator/shared` },
      { label: 'More passages', custom_id: `more:${interaction.id}:3` },
    ]);
  });

  it('answers privately when asked to', async () => {
    const { defer } = await ask('Who is the Senate Majority Leader?', { private: true });
    expect(callbackOf(defer)).toEqual({ type: 5, data: { flags: EPHEMERAL } });
  });

  it('says honestly when the story does not cover a question, and what it does cover', async () => {
    const { answer } = await ask('Who wrote Hamlet?');
    const [embed] = answer.embeds ?? [];
    expect(embed?.description).toContain("The story doesn't cover that");
    expect(embed?.description).toContain('• A deal on Syria’s chemical weapons is far from done.');
    // A decline can be voted on and followed up too (a 👎 there says the story does cover it).
    expect(answer.components?.[0]?.components.map((button) => button.label)).toEqual(['👍 0', '👎 0', 'Ask a follow-up']);
  });

  it('pings no one, whatever the question or the quoted passage contains', async () => {
    const { answer } = await ask('what did the prankster shout @everyone <@123>?');
    expect(answer.allowed_mentions).toEqual({ parse: [] });
    expect(answer.content ?? '').toBe('');
    expect(answer.embeds?.[0]?.title).toBe('what did the prankster shout @everyone <@123>?');
    expect(answer.embeds?.[0]?.fields?.[0]?.value).toContain('@everyone look at <@123>');
  });

  it('shows the next passages privately on "More passages", and politely refuses an expired button', async () => {
    const { interaction, answer } = await ask('What did Kerry say?');
    const customId = answer.components?.[0]?.components.find((button) => button.label === 'More passages')?.custom_id ?? '';
    const more = fake.sendButton({ customId, messageId: interaction.original()?.id as string | undefined });
    const reply = callbackOf(await more.waitForReply(isCallback));
    expect(reply.type).toBe(4);
    expect(reply.data?.flags).toBe(EPHEMERAL);
    expect(reply.data?.embeds?.[0]?.fields?.map((f) => f.name.split('.')[0])).toEqual(['4', '5', '6']);
    expect(reply.data?.allowed_mentions).toEqual({ parse: [] });

    const expired = fake.sendButton({ customId: 'more:000000000000000000:3' });
    const refusal = callbackOf(await expired.waitForReply(isCallback));
    expect(refusal).toMatchObject({ type: 4, data: { flags: EPHEMERAL, content: expect.stringContaining('expired') } });
  });
});

describe('/sources', () => {
  it('lists the indexed articles with links and passage counts', async () => {
    const interaction = fake.sendCommand({ name: 'sources' });
    const reply = callbackOf(await interaction.waitForReply(isCallback));
    expect(reply.data?.flags).toBe(EPHEMERAL);
    const description = reply.data?.embeds?.[0]?.description ?? '';
    expect(description).toContain('A deal on Syria’s chemical weapons is far from done. · 13 passages');
    expect(description).toContain('[A prank in the press room](https://example.org/prank) · 1 passage');
    expect(description).toMatch(/Indexed <t:\d+:R>\./);
  });
});

describe('/reindex', () => {
  it('refuses a member who cannot manage the server, privately', async () => {
    const interaction = fake.sendCommand({ name: 'reindex', memberPermissions: '0' });
    const reply = callbackOf(await interaction.waitForReply(isCallback));
    expect(reply).toMatchObject({ type: 4, data: { flags: EPHEMERAL, content: expect.stringContaining('Only members who can manage this server') } });
  });

  it('rebuilds for an admin with progress edits and a summary, refusing a second one meanwhile', async () => {
    const paragraphs = Array.from({ length: 40 }, (_, k) => `Inspectors visited site number ${k + 1} on day ${k + 2} and found nothing to report there.`);
    await writeFile(join(corpusDir, 'inspections.md'), `---\ntitle: Inspections\n---\n\n${paragraphs.join('\n\n')}\n`);
    await writeFile(join(corpusDir, 'broken.txt'), Buffer.from([0x00, 0x01, 0x02]));
    const first = fake.sendCommand({ name: 'reindex', memberPermissions: MANAGE_GUILD });
    const second = fake.sendCommand({ name: 'reindex', memberPermissions: MANAGE_GUILD });
    const refusal = callbackOf(await second.waitForReply(isCallback));
    expect(refusal).toMatchObject({ type: 4, data: { flags: EPHEMERAL, content: expect.stringContaining('already running') } });

    expect(callbackOf(await first.waitForReply(isCallback))).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    const summary = await first.waitForReply((r) => isEdit(r) && (messageOf(r).content ?? '').startsWith('Reindex finished'), 20_000);
    const edits = first.requests().filter(isEdit).map((r) => messageOf(r).content ?? '');
    expect(edits.some((text) => /^Embedding \d+\/40 passages…$/.test(text))).toBe(true);
    expect(edits.at(-1)).toBe(messageOf(summary).content);
    expect(messageOf(summary).content).toContain('passages: 54 (40 new, 14 reused)');
    expect(messageOf(summary).content).toContain('Skipped `broken.txt`: a binary file, not text');

    // The new article is searchable right away.
    const { answer } = await ask('How many sites did the inspectors visit?');
    expect(answer.embeds?.[0]?.fields?.map((f) => f.name).join('\n')).toContain('Inspections');
  });
});

describe('deploy-commands', () => {
  it('registers the seven slash commands and the message command in a guild, with their options, limits and permissions', async () => {
    const guildId = fake.guilds[0]?.id ?? '';
    const { scope, registered } = await deployCommands({ token: 'test-token', apiUrl: fake.apiUrl, guildId, applicationId: undefined });
    expect(scope).toBe('guild');
    expect(registered.map((c) => c.name)).toEqual(['ask', 'article', 'gaps', 'reindex', 'sources', 'status', 'story', 'Check against the story']);
    const put = await fake.waitForRequest((r) => r.method === 'PUT' && r.path === `/applications/${fake.applicationId}/guilds/${guildId}/commands`);
    const [askCommand, articleCommand, gapsCommand, reindexCommand, sourcesCommand, statusCommand, storyCommand, checkCommand] = put.body as Record<string, unknown>[];
    expect(gapsCommand?.default_member_permissions).toBe(MANAGE_GUILD);
    expect(checkCommand).toMatchObject({ type: 3, name: 'Check against the story' });
    expect(askCommand?.options).toEqual([
      expect.objectContaining({ name: 'question', type: 3, required: true, max_length: 300 }),
      expect.objectContaining({ name: 'private', type: 5, required: false }),
    ]);
    expect(askCommand?.default_member_permissions).toBeUndefined();
    expect(reindexCommand?.default_member_permissions).toBe(MANAGE_GUILD);
    expect(articleCommand?.default_member_permissions).toBe(MANAGE_GUILD);
    expect(articleCommand?.options).toEqual([
      expect.objectContaining({
        name: 'add',
        type: 1,
        options: [expect.objectContaining({ name: 'url', type: 3, max_length: 2000 }), expect.objectContaining({ name: 'file', type: 11 })],
      }),
      expect.objectContaining({ name: 'remove', type: 1, options: [expect.objectContaining({ name: 'name', type: 3, required: true, autocomplete: true })] }),
    ]);
    expect(sourcesCommand?.name).toBe('sources');
    expect(statusCommand?.default_member_permissions).toBe(MANAGE_GUILD);
    expect(storyCommand?.default_member_permissions).toBe(MANAGE_GUILD);
    expect((storyCommand?.options as { name: string }[]).map((option) => option.name)).toEqual(['create', 'use', 'list', 'delete']);
  });

  it('registers globally without a guild', async () => {
    const { scope } = await deployCommands({ token: 'test-token', apiUrl: fake.apiUrl, guildId: undefined, applicationId: fake.applicationId });
    expect(scope).toBe('global');
    await fake.waitForRequest((r) => r.method === 'PUT' && r.path === `/applications/${fake.applicationId}/commands`);
  });
});
