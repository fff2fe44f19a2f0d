/**
 * The HTTP transport end to end: Discord's signed POSTs (here from the fake, with its own Ed25519
 * key) to the real endpoint, the real discord.js objects and handlers, answers by REST to the fake.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, callbackOf, isCallback, isEdit, messageOf, startHarness } from '../support/bot-harness.js';
import type { FakeDiscord } from '../support/fake-discord.js';

let harness: Harness;
let fake: FakeDiscord;
let endpoint: string;

beforeAll(async () => {
  harness = await startHarness({ transport: 'http', env: { ASK_COOLDOWN_SECONDS: '0' } });
  fake = harness.fake;
  endpoint = harness.bot.url ?? '';
});

afterAll(() => harness?.stop());

const PING = JSON.stringify({ id: '1234567890123456789', application_id: '1234567890123456780', type: 1, token: 'ping-token', version: 1 });
const now = (): string => String(Math.floor(Date.now() / 1000));

async function post(body: string | Buffer, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  const response = await fetch(`${endpoint}/interactions`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  return { status: response.status, text: await response.text() };
}

function signed(body: string, timestamp = now()): Record<string, string> {
  return { 'x-signature-ed25519': fake.sign(body, timestamp), 'x-signature-timestamp': timestamp };
}

describe('POST /interactions: every request is verified first', () => {
  it('answers a signed PING with PONG', async () => {
    expect(await post(PING, signed(PING))).toEqual({ status: 200, text: '{"type":1}' });
  });

  it('refuses a signature made with another key', async () => {
    const { startFakeDiscord } = await import('../support/fake-discord.js');
    const stranger = await startFakeDiscord();
    const timestamp = now();
    const response = await post(PING, { 'x-signature-ed25519': stranger.sign(PING, timestamp), 'x-signature-timestamp': timestamp });
    await stranger.stop();
    expect(response.status).toBe(401);
  });

  it('refuses a body changed after signing', async () => {
    const headers = signed(PING);
    expect((await post(PING.replace('"type":1', '"type":2'), headers)).status).toBe(401);
  });

  it('refuses a signature more than 5 minutes old, and one from the future', async () => {
    const stale = String(Math.floor(Date.now() / 1000) - 301);
    expect((await post(PING, signed(PING, stale))).status).toBe(401);
    const future = String(Math.floor(Date.now() / 1000) + 301);
    expect((await post(PING, signed(PING, future))).status).toBe(401);
  });

  it('refuses missing or malformed signature headers', async () => {
    expect((await post(PING, {})).status).toBe(401);
    expect((await post(PING, { 'x-signature-timestamp': now() })).status).toBe(401);
    expect((await post(PING, { 'x-signature-ed25519': 'zz', 'x-signature-timestamp': now() })).status).toBe(401);
    expect((await post(PING, { ...signed(PING), 'x-signature-timestamp': 'yesterday' })).status).toBe(401);
  });

  it('refuses a body over 1 MB with 413, before checking anything', async () => {
    const huge = Buffer.alloc(1024 * 1024 + 1, 0x20);
    expect((await post(huge, signed(huge.toString()))).status).toBe(413);
    // Still serving afterwards.
    expect((await post(PING, signed(PING))).status).toBe(200);
  });

  it('refuses a signed body that is not an interaction', async () => {
    const body = '{"hello":"world"}';
    expect((await post(body, signed(body))).status).toBe(400);
  });

  it('serves /healthz and /readyz, and nothing else', async () => {
    expect((await fetch(`${endpoint}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${endpoint}/readyz`)).json()).toEqual({ ready: true });
    expect((await fetch(`${endpoint}/interactions`)).status).toBe(405);
    expect((await fetch(`${endpoint}/elsewhere`)).status).toBe(404);
  });
});

describe('an overloaded replica', () => {
  it('drops an interaction that reached it after Discord’s 3 s (410), without working on it', async () => {
    // A fresh one first: arrivals are timed against the quickest.
    expect((await harness.ask('what did Putin demand').waitForReply(isEdit, 20_000)).status).toBe(200);
    const tenSecondsAgo = String((BigInt(Date.now() - 10_000) - 1_420_070_400_000n) << 22n);
    const body = JSON.stringify({ id: tenSecondsAgo, application_id: fake.applicationId, type: 2, token: 'expired-token', version: 1, data: { id: '1', name: 'ask', type: 1 } });
    const edits = fake.requests.length;
    expect(await post(body, signed(body))).toEqual({ status: 410, text: '{"error":"expired before it was read"}' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fake.requests.slice(edits).filter((request) => request.path.includes('expired-token'))).toEqual([]);
  });
});

describe('/ask over HTTP', () => {
  it("defers in the POST's reply, then quotes Putin's condition in an edit by REST", async () => {
    const interaction = harness.ask('what did Putin demand');
    const defer = await interaction.waitForReply(isCallback);
    expect(defer.headers['x-delivered-by']).toBe('http-response');
    expect(callbackOf(defer)).toEqual({ type: 5, data: { flags: 0 } });
    const delivery = fake.deliveries.find((d) => d.interactionId === interaction.id);
    expect(delivery?.status).toBe(200);
    expect((delivery?.answeredAt ?? Infinity) - (delivery?.sentAt ?? 0)).toBeLessThan(3_000);
    const edit = await interaction.waitForReply(isEdit, 20_000);
    expect(edit.headers['x-delivered-by']).toBeUndefined();
    const [first] = messageOf(edit).embeds?.[0]?.fields ?? [];
    expect(first?.value).toContain('only work if the U.S. takes the possibility of military strikes completely off the table');
  });
});
