/**
 * Follow-ups and votes end to end: the real discord.js client against the fake Discord, the real
 * engine, the history database on disk (kept across a restart of the bot).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EPHEMERAL, type Harness, type MessageBody, callbackOf, isCallback, isEdit, messageOf, startHarness } from '../support/bot-harness.js';
import type { FakeUser, Interaction } from '../support/fake-discord.js';

const ALICE: FakeUser = { id: '400000000000000101', username: 'alice' };
const BOB: FakeUser = { id: '400000000000000102', username: 'bob' };
const CAROL: FakeUser = { id: '400000000000000103', username: 'carol' };

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({ env: { ASK_COOLDOWN_SECONDS: '0' } });
});
afterAll(() => harness?.stop());

async function answered(interaction: Interaction): Promise<MessageBody> {
  await interaction.waitForReply(isCallback);
  return messageOf(await interaction.waitForReply(isEdit, 20_000));
}

function labels(message: MessageBody | undefined): string[] {
  return message?.components?.[0]?.components.map((button) => button.label) ?? [];
}

function buttonId(message: MessageBody, label: string): string {
  return message.components?.[0]?.components.find((button) => button.label.startsWith(label))?.custom_id ?? '';
}

describe('Ask a follow-up', () => {
  it('opens a modal and answers in the channel with the earlier question as context', async () => {
    const first = harness.ask('what did Putin demand', ALICE);
    const answer = await answered(first);
    const messageId = String(first.original()?.id);
    const press = harness.fake.sendButton({ customId: buttonId(answer, 'Ask a follow-up'), messageId, user: ALICE });
    const modal = (await press.waitForReply(isCallback)).body as { type: number; data: { custom_id: string; title: string; components: { type: number; component: { custom_id: string } }[] } };
    expect(modal.type).toBe(9);
    expect(modal.data.title).toBe('Ask a follow-up');
    expect(modal.data.components[0]?.component.custom_id).toBe('question');
    const followUp = harness.fake.sendModalSubmit({ customId: modal.data.custom_id, fields: { question: 'and what did Kerry say?' }, messageId, user: ALICE });
    expect(callbackOf(await followUp.waitForReply(isCallback))).toEqual({ type: 5, data: { flags: 0 } });
    const reply = messageOf(await followUp.waitForReply(isEdit, 20_000));
    const [embed] = reply.embeds ?? [];
    expect(embed?.title).toBe('and what did Kerry say?');
    expect(embed?.description).toContain('Follow-up to: *what did Putin demand*');
    // Kerry on the same matter: the Russian proposal, which he wants backed by the Security Council.
    expect(embed?.fields?.[0]?.value).toMatch(/Kerry/);
    expect(labels(reply).slice(0, 3)).toEqual(['👍 0', '👎 0', 'Ask a follow-up']);
  });

  it('answers a follow-up to a private answer privately', async () => {
    const first = harness.fake.sendCommand({ name: 'ask', options: [{ name: 'question', type: 3, value: 'What is Obama going to argue?' }, { name: 'private', type: 5, value: true }], user: BOB });
    const answer = await answered(first);
    const modalId = buttonId(answer, 'Ask a follow-up').replace(':follow:', ':follow-submit:');
    const followUp = harness.fake.sendModalSubmit({ customId: modalId, fields: { question: 'when will he say it?' }, messageId: String(first.original()?.id), user: BOB });
    expect(callbackOf(await followUp.waitForReply(isCallback))).toEqual({ type: 5, data: { flags: EPHEMERAL } });
  });
});

describe('votes', () => {
  let answerId: string;
  let messageId: string;
  let answer: MessageBody;

  const vote = async (user: FakeUser, label: '👍' | '👎'): Promise<{ counts: string[]; press: Interaction }> => {
    const press = harness.fake.sendButton({ customId: buttonId(answer, label), messageId, user });
    const update = callbackOf(await press.waitForReply(isCallback));
    expect(update.type).toBe(7);
    return { counts: labels(update.data).slice(0, 2), press };
  };

  it('stores one vote per member, lets it change, and shows the counts on the buttons', async () => {
    const asked = harness.ask('Who is the Senate Majority Leader?', ALICE);
    answer = await answered(asked);
    answerId = asked.id;
    messageId = String(asked.original()?.id);
    expect((await vote(ALICE, '👍')).counts).toEqual(['👍 1', '👎 0']);
    expect((await vote(ALICE, '👍')).counts).toEqual(['👍 1', '👎 0']); // once per member
    expect((await vote(BOB, '👎')).counts).toEqual(['👍 1', '👎 1']);
    expect((await vote(ALICE, '👎')).counts).toEqual(['👍 0', '👎 2']); // changed
  });

  it('takes a reason for a 👎 in a modal', async () => {
    const { press } = await vote(BOB, '👎');
    const offer = messageOf(await press.waitForReply((r) => r.method === 'POST' && r.path.startsWith('/webhooks/')));
    expect(offer.flags).toBe(EPHEMERAL);
    const explain = harness.fake.sendButton({ customId: offer.components?.[0]?.components[0]?.custom_id ?? '', user: BOB });
    const modal = (await explain.waitForReply(isCallback)).body as { type: number; data: { custom_id: string } };
    expect(modal.type).toBe(9);
    const submit = harness.fake.sendModalSubmit({ customId: modal.data.custom_id, fields: { reason: ['wrong-passage'], note: 'It quoted the lead, not the vote count.' }, user: BOB });
    expect(callbackOf(await submit.waitForReply(isCallback)).data?.content).toBe('Thanks, noted: it quoted the wrong passage.');
    const db = new Database(join(harness.scratch, 'data', 'history.db'), { readonly: true });
    expect(db.prepare('SELECT vote, reason, note FROM votes WHERE answer_id = ? ORDER BY vote').all(answerId)).toEqual([
      { vote: -1, reason: 'wrong-passage', note: 'It quoted the lead, not the vote count.' },
      { vote: -1, reason: null, note: null },
    ]);
    expect(db.prepare('SELECT question, answered FROM questions WHERE answer_id = ?').get(answerId)).toEqual({ question: 'Who is the Senate Majority Leader?', answered: 1 });
    db.close();
  });

  it('keeps the votes when the bot restarts, and never stores a member id in clear', async () => {
    await harness.restart();
    expect((await vote(CAROL, '👍')).counts).toEqual(['👍 1', '👎 2']);
    const bytes = await readFile(join(harness.scratch, 'data', 'history.db'));
    const wal = await readFile(join(harness.scratch, 'data', 'history.db-wal')).catch(() => Buffer.alloc(0));
    for (const member of [ALICE, BOB, CAROL]) {
      expect(bytes.includes(member.id)).toBe(false);
      expect(wal.includes(member.id)).toBe(false);
    }
  });
});
