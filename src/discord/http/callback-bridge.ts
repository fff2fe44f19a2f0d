/**
 * @module callback-bridge: over HTTP, Discord takes an interaction's first response as the reply to
 * its POST, not as a REST call. The command handlers are the gateway's, unchanged: they call
 * discord.js's reply/deferReply/update/showModal/respond, which POST to the interaction's callback
 * route. This bridge sits where @discordjs/rest sends requests (its `makeRequest` option) and turns
 * that first callback into the HTTP reply; every later request (the edit carrying the answer,
 * follow-ups) goes to Discord's REST as usual.
 *
 * Should a handler not respond in time, the transport defers for it (Discord allows 3 s); the
 * handler's own response, when it comes, is turned into an edit of that deferred reply.
 */
import { type APIInteraction, type APIInteractionResponse, DefaultRestOptions, InteractionResponseType, InteractionType, MessageFlags, type ResponseLike } from 'discord.js';

/** A handler that has not responded after this long is deferred for, leaving a margin under Discord's 3 s. */
export const DEFERRAL_DEADLINE_MS = 2_000;

const CALLBACK_PATH = /\/interactions\/(\d+)\/([^/]+)\/callback$/;
/** Edits and follow-ups of an interaction, by its token. */
const WEBHOOK_PATH = /\/webhooks\/\d+\/([^/]+)(?:\/|$)/;

interface Waiting {
  applicationId: string;
  token: string;
  /** The first response, once decided: the handler's, or the transport's own deferral. */
  respond(response: APIInteractionResponse): void;
  /** Set once the transport deferred on the handler's behalf. */
  deferredByTransport: boolean;
  answered: boolean;
  /** Resolves once the HTTP reply carrying the first response has been sent. */
  sent: Promise<void>;
}

type MakeRequest = (url: string, init: RequestInit) => Promise<ResponseLike>;

/** What the transport sends when the handler is late or silent: a deferral the handler's response can later edit. */
export function transportDeferral(interaction: Pick<APIInteraction, 'type'>): APIInteractionResponse {
  switch (interaction.type) {
    case InteractionType.MessageComponent:
      return { type: InteractionResponseType.DeferredMessageUpdate };
    case InteractionType.ApplicationCommandAutocomplete:
      return { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices: [] } };
    default:
      // Private: what the handler would have said publicly may have been a refusal meant for one member.
      return { type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: MessageFlags.Ephemeral } };
  }
}

const noContent = (): Response => new Response(null, { status: 204 });
/** What Discord answers once an interaction can no longer get a first response; discord.js raises it as DiscordAPIError 10062. */
const unknownInteraction = (): Response =>
  Response.json({ message: 'Unknown interaction', code: 10062 }, { status: 404 });

export class CallbackBridge {
  readonly #waiting = new Map<string, Waiting>();
  readonly #byToken = new Map<string, Waiting>();
  readonly #send: MakeRequest;

  constructor(send: MakeRequest = DefaultRestOptions.makeRequest as MakeRequest) {
    this.#send = send;
  }

  /** For discord.js's REST options: first callbacks of waiting interactions stay here, the rest goes out. */
  readonly makeRequest: MakeRequest = async (url, init) => {
    const { pathname } = new URL(url);
    const match = CALLBACK_PATH.exec(pathname);
    const waiting = match === null ? undefined : this.#waiting.get(match[1] ?? '');
    if (match === null || waiting === undefined || waiting.token !== decodeURIComponent(match[2] ?? '')) {
      // An edit must not overtake the reply it edits: Discord would not know the message yet.
      const token = WEBHOOK_PATH.exec(pathname)?.[1];
      await (token === undefined ? undefined : this.#byToken.get(decodeURIComponent(token))?.sent);
      return this.#send(url, init);
    }
    const response = JSON.parse(String(init.body)) as APIInteractionResponse;
    if (!waiting.answered) {
      waiting.answered = true;
      waiting.respond(response);
      return noContent();
    }
    if (!waiting.deferredByTransport) return Response.json({ message: 'Interaction has already been acknowledged.', code: 40060 }, { status: 400 });
    return this.#afterDeferral(url, waiting, response);
  };

  /**
   * Registers an interaction before it is handed to discord.js; `response` resolves with its first
   * response. Once `track` is given the handler's work, that work settling without a response (a
   * handler with nothing to say) gets the deferral at once, and the interaction is forgotten.
   */
  expect(interaction: APIInteraction): { response: Promise<APIInteractionResponse>; track(work: Promise<void>): void; markSent(): void } {
    let resolve: (response: APIInteractionResponse) => void = () => undefined;
    const response = new Promise<APIInteractionResponse>((settle) => (resolve = settle));
    let markSent: () => void = () => undefined;
    const sent = new Promise<void>((settle) => (markSent = settle));
    const waiting: Waiting = { applicationId: interaction.application_id, token: interaction.token, deferredByTransport: false, answered: false, respond: resolve, sent };
    this.#waiting.set(interaction.id, waiting);
    this.#byToken.set(interaction.token, waiting);
    const deferNow = (): void => {
      if (waiting.answered) return;
      waiting.answered = true;
      waiting.deferredByTransport = true;
      resolve(transportDeferral(interaction));
    };
    const timer = setTimeout(deferNow, DEFERRAL_DEADLINE_MS);
    return {
      response,
      markSent,
      track: (work) =>
        void work.finally(() => {
          clearTimeout(timer);
          deferNow();
          this.#waiting.delete(interaction.id);
          this.#byToken.delete(interaction.token);
        }),
    };
  }

  /** A handler's own first response after the transport deferred for it: a message becomes an edit of the deferred reply. */
  async #afterDeferral(callbackUrl: string, waiting: Waiting, response: APIInteractionResponse): Promise<ResponseLike> {
    if (response.type === InteractionResponseType.DeferredChannelMessageWithSource || response.type === InteractionResponseType.DeferredMessageUpdate) {
      return noContent();
    }
    if (response.type !== InteractionResponseType.ChannelMessageWithSource && response.type !== InteractionResponseType.UpdateMessage) {
      // Suggestions and forms cannot follow a deferral; the handler sees the interaction as expired.
      return unknownInteraction();
    }
    const edit = new URL(callbackUrl);
    edit.pathname = edit.pathname.replace(CALLBACK_PATH, `/webhooks/${waiting.applicationId}/${encodeURIComponent(waiting.token)}/messages/@original`);
    edit.search = '';
    await waiting.sent;
    return this.#send(edit.href, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(response.data ?? {}) });
  }
}
