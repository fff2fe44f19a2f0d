import { type APIInteraction, InteractionResponseType, InteractionType, MessageFlags } from 'discord.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CallbackBridge, DEFERRAL_DEADLINE_MS } from './callback-bridge.js';

const API = 'http://discord.test/api/v10';
const interaction = (type: InteractionType) => ({ id: '1234567890123456789', application_id: '1234567890123456780', token: 'tok/en', type }) as APIInteraction;
const callbackUrl = `${API}/interactions/1234567890123456789/${encodeURIComponent('tok/en')}/callback?with_response=false`;
const post = (body: unknown): RequestInit => ({ method: 'POST', body: JSON.stringify(body) });

/** The requests the bridge let through to Discord. */
function recordingBridge(): { bridge: CallbackBridge; sent: { url: string; init: RequestInit }[] } {
  const sent: { url: string; init: RequestInit }[] = [];
  const bridge = new CallbackBridge(async (url, init) => {
    sent.push({ url, init });
    return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
  });
  return { bridge, sent };
}

afterEach(() => vi.useRealTimers());

describe('CallbackBridge', () => {
  it("keeps a waiting interaction's first callback as the HTTP reply, and lets every other request through once that reply is sent", async () => {
    const { bridge, sent } = recordingBridge();
    const first = bridge.expect(interaction(InteractionType.ApplicationCommand));
    const deferral = { type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: 0 } };
    expect((await bridge.makeRequest(callbackUrl, post(deferral))).status).toBe(204);
    expect(await first.response).toEqual(deferral);
    const edit = bridge.makeRequest(`${API}/webhooks/1234567890123456780/tok%2Fen/messages/@original`, { method: 'PATCH', body: '{}' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sent).toEqual([]); // an edit waits until the reply it edits is out
    first.markSent();
    await edit;
    // A second callback is Discord's to refuse, as it would over the gateway.
    expect((await bridge.makeRequest(callbackUrl, post(deferral))).status).toBe(400);
    expect(sent.map((request) => request.url)).toEqual([`${API}/webhooks/1234567890123456780/tok%2Fen/messages/@original`]);
  });

  it('defers privately for a handler that has not responded in time, and turns its late reply into an edit', async () => {
    vi.useFakeTimers();
    const { bridge, sent } = recordingBridge();
    const first = bridge.expect(interaction(InteractionType.ApplicationCommand));
    first.track(new Promise<void>(() => undefined));
    vi.advanceTimersByTime(DEFERRAL_DEADLINE_MS);
    expect(await first.response).toEqual({ type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: MessageFlags.Ephemeral } });
    vi.useRealTimers();
    first.markSent();
    const late = await bridge.makeRequest(callbackUrl, post({ type: InteractionResponseType.ChannelMessageWithSource, data: { content: 'late' } }));
    expect(late.status).toBe(200);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.url).toBe(`${API}/webhooks/1234567890123456780/tok%2Fen/messages/@original`);
    expect(sent[0]?.init.method).toBe('PATCH');
    expect(JSON.parse(String(sent[0]?.init.body))).toEqual({ content: 'late' });
    // A late form or suggestion cannot follow a deferral: the handler is told the interaction expired.
    expect((await bridge.makeRequest(callbackUrl, post({ type: InteractionResponseType.Modal, data: {} }))).status).toBe(404);
  });

  it('answers at once for a handler that finished without responding: a button gets a silent update, autocomplete no choices', async () => {
    const { bridge } = recordingBridge();
    const button = bridge.expect(interaction(InteractionType.MessageComponent));
    button.track(Promise.resolve());
    expect(await button.response).toEqual({ type: InteractionResponseType.DeferredMessageUpdate });
    const autocomplete = bridge.expect(interaction(InteractionType.ApplicationCommandAutocomplete));
    autocomplete.track(Promise.resolve());
    expect(await autocomplete.response).toEqual({ type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices: [] } });
  });
});
