/** @module fake-discord self-test: the unmodified discord.js Client logs in, answers interactions and resumes against the fake. */
import { ActionRowBuilder, ButtonBuilder, ButtonStyle, Client, Events, GatewayIntentBits, MessageFlags, Routes, type ClientOptions } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeDiscord, type RecordedRequest, guildIdForShard, startFakeDiscord } from './fake-discord.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(options: Parameters<typeof startFakeDiscord>[0] = {}): Promise<FakeDiscord> {
  const fake = await startFakeDiscord({ heartbeatIntervalMs: 200, ...options });
  cleanups.push(() => fake.stop());
  return fake;
}

/** A client that defers and edits for /ask, follows up for /more, and updates the message for buttons. */
async function connect(fake: FakeDiscord, options: Partial<ClientOptions> = {}, token = 'any-token'): Promise<Client> {
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl }, ...options });
  cleanups.push(() => client.destroy());
  client.on(Events.InteractionCreate, async (interaction) => {
    if (interaction.isChatInputCommand() && interaction.commandName === 'respond') {
      const response = await interaction.reply({ content: 'r', withResponse: true });
      await interaction.followUp(`replied with ${response.resource?.message?.id ?? 'nothing'}`);
    } else if (interaction.isChatInputCommand() && interaction.commandName !== 'ignore') {
      await interaction.deferReply();
      const again = new ButtonBuilder().setCustomId('again').setLabel('Again').setStyle(ButtonStyle.Secondary);
      await interaction.editReply({
        content: `hi from shard ${interaction.guild?.shardId ?? -1}`,
        embeds: [{ title: 'Answer', description: interaction.options.getString('question') ?? '' }],
        components: [new ActionRowBuilder<ButtonBuilder>().addComponents(again)],
        allowedMentions: { parse: [] },
      });
      if (interaction.commandName === 'more') {
        await interaction.followUp({ content: 'more', flags: MessageFlags.Ephemeral, files: [{ attachment: Buffer.from('cited'), name: 'sources.txt' }] });
      }
    } else if (interaction.isButton()) {
      await interaction.update({ content: `clicked ${interaction.customId}`, components: [] });
    }
  });
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(token);
  await ready;
  return client;
}

const isPatch = (r: RecordedRequest): boolean => r.method === 'PATCH';

describe('fake Discord', () => {
  it('serves login, deferred reply with edit, follow-up, button update and command registration', async () => {
    const fake = await start();
    const client = await connect(fake);
    expect(fake.identifies).toEqual([{ shard: [0, 1], token: 'any-token', sessionId: expect.any(String) }]);
    expect(client.application?.id).toBe(fake.applicationId);
    expect(client.guilds.cache.map((g) => g.name)).toEqual(['Test Guild']);

    const ask = fake.sendCommand({ name: 'more', options: [{ name: 'question', type: 3, value: 'who?' }], memberPermissions: '8' });
    const callback = await ask.waitForReply();
    expect(callback.path).toBe(`/interactions/${ask.id}/${ask.token}/callback`);
    expect(callback.query.get('with_response')).toBe('false');
    expect(callback.body).toEqual({ type: 5, data: { flags: 0 } });
    expect(callback.status).toBe(204);

    const edit = await ask.waitForReply(isPatch);
    expect(edit.path).toBe(`/webhooks/${fake.applicationId}/${ask.token}/messages/@original`);
    expect(edit.body).toMatchObject({
      content: 'hi from shard 0',
      embeds: [{ title: 'Answer', description: 'who?' }],
      components: [{ type: 1, components: [{ type: 2, custom_id: 'again', style: 2 }] }],
      allowed_mentions: { parse: [] },
    });
    const followUp = await ask.waitForReply((r) => r.method === 'POST' && r.path.startsWith('/webhooks/'));
    expect(followUp.query.get('wait')).toBe('true');
    expect(followUp.body).toMatchObject({ content: 'more', flags: 64, attachments: [{ id: '0' }] });
    expect(followUp.files).toEqual([{ field: 'files[0]', name: 'sources.txt', size: 5 }]);
    expect(followUp.headers['content-type']).toMatch(/^multipart\/form-data/);
    expect(ask.requests().map((r) => r.method)).toEqual(['POST', 'PATCH', 'POST']);
    const original = ask.original();
    expect(original).toMatchObject({ content: 'hi from shard 0', flags: 0 });

    const click = fake.sendButton({ customId: 'again', messageId: String(original?.id) });
    expect(await click.waitForReply()).toMatchObject({ status: 204, body: { type: 7, data: { content: 'clicked again', components: [] } } });
    expect(ask.original()).toMatchObject({ content: 'clicked again', components: [] });

    const respond = fake.sendCommand({ name: 'respond' });
    const reply = await respond.waitForReply();
    expect(reply).toMatchObject({ status: 200, body: { type: 4, data: { content: 'r' } } });
    expect(reply.query.get('with_response')).toBe('true');
    const followed = await respond.waitForReply((r) => r.path.startsWith('/webhooks/'));
    expect(followed.body).toMatchObject({ content: `replied with ${String(respond.original()?.id)}` });

    const global = await client.application?.commands.set([{ name: 'ask', description: 'Ask about the story' }]);
    expect(global?.map((c) => c.name)).toEqual(['ask']);
    const put = await fake.waitForRequest((r) => r.method === 'PUT');
    expect(put.path).toBe(`/applications/${fake.applicationId}/commands`);
    expect(put.body).toMatchObject([{ name: 'ask', description: 'Ask about the story' }]);
    const guildId = fake.guilds[0]?.id ?? '';
    await client.application?.commands.set([{ name: 'ask', description: 'x' }], guildId);
    expect(fake.requests.at(-1)?.path).toBe(`/applications/${fake.applicationId}/guilds/${guildId}/commands`);
  });

  it('lets discord.js retry a 500 and a 429 on the webhook edit', async () => {
    const fake = await start();
    await connect(fake);
    fake.failNext(isPatch, { status: 500, body: { message: 'boom', code: 0 } });
    fake.failNext(isPatch, { status: 429, body: { message: 'You are being rate limited.', retry_after: 0.05, global: false } });
    const ask = fake.sendCommand({ name: 'ask' });
    await ask.waitForReply((r) => isPatch(r) && r.status === 200);
    expect(ask.requests().map((r) => `${r.method} ${r.status}`)).toEqual(['POST 204', 'PATCH 500', 'PATCH 429', 'PATCH 200']);
  });

  it('answers misuse like Discord: wrong token, late or repeated acknowledgement', async () => {
    const fake = await start({ token: 'right', interactionDeadlineMs: 100 });
    const wrong = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl } });
    cleanups.push(() => wrong.destroy());
    await expect(wrong.login('wrong')).rejects.toThrow(/token/i);

    const client = await connect(fake, {}, 'right');
    const callback = (i: { id: string; token: string }): Promise<unknown> =>
      client.rest.post(Routes.interactionCallback(i.id, i.token), { body: { type: 4, data: { content: 'x' } }, auth: false });
    const twice = fake.sendCommand({ name: 'ignore' });
    await callback(twice);
    await expect(callback(twice)).rejects.toMatchObject({ status: 400, code: 40060 });
    const late = fake.sendCommand({ name: 'ignore' });
    await new Promise((resolve) => setTimeout(resolve, 150));
    await expect(callback(late)).rejects.toMatchObject({ status: 404, code: 10062 });
  });

  it('keeps the session across a dropped connection: the client resumes and still answers', async () => {
    const fake = await start();
    await connect(fake);
    fake.dropConnections();
    // Sent while the shard is disconnected: queued and replayed on resume.
    const queued = fake.sendCommand({ name: 'ask' });
    await fake.waitForResume(0);
    await queued.waitForReply(isPatch);
    fake.dropConnections(4000);
    await fake.waitFor(() => fake.resumes[1]);
    const after = fake.sendCommand({ name: 'ask' });
    expect((await after.waitForReply(isPatch)).status).toBe(200);
    expect(fake.identifies).toHaveLength(1);
    expect(fake.resumes.map((r) => r.sessionId)).toEqual([fake.identifies[0]?.sessionId, fake.identifies[0]?.sessionId]);
  });

  it('routes each guild to its shard, for one client with both shards and for one client per shard', async () => {
    const guilds = [
      { id: guildIdForShard(0, 2), name: 'Even' },
      { id: guildIdForShard(1, 2), name: 'Odd' },
    ];
    const fake = await start({ guilds, shards: 2 });
    const both = await connect(fake, { shards: 'auto' });
    expect(fake.identifies.map((i) => i.shard).sort()).toEqual([[0, 2], [1, 2]]);
    expect(both.guilds.cache.map((g) => `${g.name}@${g.shardId}`).sort()).toEqual(['Even@0', 'Odd@1']);
    const odd = fake.sendCommand({ name: 'ask', guildId: guilds[1]?.id });
    expect((await odd.waitForReply(isPatch)).body).toMatchObject({ content: 'hi from shard 1' });
    await both.destroy();

    const seen: string[] = [];
    const clients = await Promise.all([0, 1].map((shard) => connect(fake, { shards: [shard], shardCount: 2 })));
    clients.forEach((client, shard) => client.on(Events.InteractionCreate, (i) => void seen.push(`${i.guild?.name}->${shard}`)));
    for (const guild of guilds) await fake.sendCommand({ name: 'ask', guildId: guild.id }).waitForReply(isPatch);
    expect(seen).toEqual(['Even->0', 'Odd->1']);
  });
});
