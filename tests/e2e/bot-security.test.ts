/** Who may do what: /reindex checked by the bot itself (permission or role allowlist), the /ask cooldown, secrets kept out of git. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EPHEMERAL, type Harness, MANAGE_GUILD, callbackOf, isCallback, isEdit, messageOf, startHarness } from '../support/bot-harness.js';
import { guildIdForShard } from '../support/fake-discord.js';

const ADMIN_ROLE = '500000000000000001';
const OTHER_ROLE = '500000000000000002';
const COOLDOWN_SECONDS = 30;

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({
    env: { ADMIN_ROLE_IDS: ADMIN_ROLE, ASK_COOLDOWN_SECONDS: String(COOLDOWN_SECONDS) },
    fake: { guilds: [{ id: guildIdForShard(0, 1), name: 'Roles Guild', roles: [{ id: ADMIN_ROLE, name: 'story admins' }, { id: OTHER_ROLE, name: 'readers' }] }] },
  });
});

afterAll(() => harness?.stop());

describe('/reindex with ADMIN_ROLE_IDS', () => {
  it('refuses a server manager without an admin role, privately, and runs nothing', async () => {
    const interaction = harness.fake.sendCommand({ name: 'reindex', memberPermissions: MANAGE_GUILD, roles: [OTHER_ROLE] });
    const reply = callbackOf(await interaction.waitForReply(isCallback));
    expect(reply).toMatchObject({ type: 4, data: { flags: EPHEMERAL, content: expect.stringContaining('admin roles') } });
    expect((await harness.operator()).reindexing).toBe(false);
  });

  it('lets a member holding an admin role reindex', async () => {
    const interaction = harness.fake.sendCommand({ name: 'reindex', memberPermissions: '0', roles: [OTHER_ROLE, ADMIN_ROLE] });
    expect(callbackOf(await interaction.waitForReply(isCallback))).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    const summary = await interaction.waitForReply((r) => isEdit(r) && /^The index was already up to date|^Reindex finished/.test(messageOf(r).content ?? ''), 20_000);
    expect(messageOf(summary).content).toContain('Articles: 1');
  });
});

describe('/ask cooldown', () => {
  it('answers a member once per pause, tells them privately when to ask again, and does not slow anyone else', async () => {
    const alice = { id: '400000000000000011', username: 'alice' };
    const bob = { id: '400000000000000012', username: 'bob' };
    const first = harness.ask('Who is the Senate Majority Leader?', alice);
    expect(callbackOf(await first.waitForReply(isCallback)).type).toBe(5);
    await first.waitForReply(isEdit);

    const sentAt = Date.now();
    const again = harness.ask('And what did Putin demand?', alice);
    const refusal = callbackOf(await again.waitForReply(isCallback));
    expect(refusal).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    const [, retryAt = '0', seconds = '0'] = /ask again <t:(\d+):R> \(in (\d+) s\)/.exec(refusal.data?.content ?? '') ?? [];
    expect(Number(retryAt) * 1000).toBeGreaterThan(sentAt);
    expect(Number(retryAt) * 1000).toBeLessThanOrEqual(sentAt + COOLDOWN_SECONDS * 1000 + 1000);
    expect(Number(seconds)).toBeGreaterThan(0);
    expect(Number(seconds)).toBeLessThanOrEqual(COOLDOWN_SECONDS);
    expect(again.requests().filter(isEdit)).toEqual([]); // no search was run for it

    const other = harness.ask('What did Putin demand?', bob);
    expect(callbackOf(await other.waitForReply(isCallback)).type).toBe(5);
    expect(JSON.stringify(messageOf(await other.waitForReply(isEdit)).embeds)).toContain('off the table');
  });
});

describe('secrets', () => {
  it('keeps .env and its variants out of git, but not .env.example', async () => {
    const ignored = (path: string): Promise<boolean> =>
      promisify(execFile)('git', ['check-ignore', '--quiet', '--no-index', path]).then(
        () => true,
        (error: { code?: number }) => (error.code === 1 ? false : Promise.reject(error)),
      );
    expect(await ignored('.env')).toBe(true);
    expect(await ignored('.env.production')).toBe(true);
    expect(await ignored('.env.example')).toBe(false);
  });
});
