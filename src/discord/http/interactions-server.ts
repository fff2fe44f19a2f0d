/**
 * @module interactions-server: the HTTP transport. Discord POSTs each interaction to
 * `/interactions`; it is verified, handed to discord.js as the gateway would hand it, and worked on
 * by the same intake and handlers. The first response goes back as the POST's reply (a deferral for
 * anything slow), the answer by REST as an edit. `/healthz` says the process is up, `/readyz` that it
 * can answer (the operator's story is loaded); a load balancer sends interactions to ready replicas.
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type APIInteraction, ChannelType, Client, Events, InteractionResponseType, InteractionType } from 'discord.js';
import { z } from 'zod';
import type { DiscordSettings } from '../../config.js';
import { type IntakeOptions, createIntake } from '../interaction-intake.js';
import { CallbackBridge } from './callback-bridge.js';
import { InteractionAges } from './interaction-age.js';
import { checkSignature, interactionKey } from './signature.js';

/** Discord's interactions are a few KB; anything near this is not one. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Discord's time for the first response: an interaction read later can no longer be answered. */
const RESPONSE_DEADLINE_MS = 3_000;
/** How often dropped late interactions are summed up in the log (one line, not one per interaction). */
const DROPPED_LOG_INTERVAL_MS = 10_000;

export interface HttpBotOptions extends IntakeOptions {
  settings: DiscordSettings & { http: { publicKey: string } };
}

export interface HttpBot {
  /** Where the server listens, e.g. http://127.0.0.1:8080 (the real port when 0 was asked for). */
  url: string;
  client: Client;
  readonly inFlight: number;
  /** /readyz answers 200 from now on. */
  markReady(): void;
  /** Refuses new interactions with 503 (a balancer retries them elsewhere), finishes those in flight, closes. */
  stop(): Promise<void>;
}

const THREAD_TYPES: ReadonlySet<ChannelType> = new Set([ChannelType.AnnouncementThread, ChannelType.PublicThread, ChannelType.PrivateThread]);

/** Just enough of an interaction to route it; discord.js reads the rest. */
const interactionShape = z.looseObject({
  id: z.string().regex(/^\d+$/),
  application_id: z.string().regex(/^\d+$/),
  type: z.number().int(),
  token: z.string().min(1),
});

/** discord.js builds interaction objects from gateway payloads here; the HTTP transport feeds it the POSTed ones. */
interface InteractionActions {
  actions: { InteractionCreate: { handle(data: APIInteraction): void } };
}

class RequestError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** Resolves once the reply has been handed to the network (or the connection is gone). */
function sendJson(response: ServerResponse, status: number, body: unknown): Promise<void> {
  const text = JSON.stringify(body);
  return new Promise((resolve) => {
    response.once('close', resolve);
    response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text, resolve);
  });
}

/** The raw body, refused past MAX_BODY_BYTES without reading the rest. */
async function readBody(request: IncomingMessage): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new RequestError(413, 'body too large');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new RequestError(413, 'body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export async function startHttpBot(options: HttpBotOptions): Promise<HttpBot> {
  const { settings, logger } = options;
  const key = interactionKey(settings.http.publicKey);
  const bridge = new CallbackBridge();
  const client = new Client({
    intents: [],
    allowedMentions: { parse: [], repliedUser: false },
    rest: { ...(settings.apiUrl ? { api: settings.apiUrl } : {}), makeRequest: bridge.makeRequest },
  });
  // Only for REST calls a handler makes as the bot; answering uses each interaction's own token.
  if (settings.token) client.rest.setToken(settings.token);
  // No gateway fills a channel cache here: a thread's parent is read from the payload that named it.
  const threadParents = new Map<string, string>();
  const intake = createIntake({ ...options, transport: 'http', threadParentOf: (interaction) => threadParents.get(interaction.id) });
  // discord.js emits synchronously from handle() below, so the work started is the one just handed over.
  let started: Promise<void> | undefined;
  client.on(Events.InteractionCreate, (interaction) => {
    started = intake.accept(interaction);
  });
  let ready = false;
  let stopping = false;
  const ages = new InteractionAges();
  let dropped = 0;
  const droppedLog = setInterval(() => {
    if (dropped === 0) return;
    logger.warn({ dropped, seconds: DROPPED_LOG_INTERVAL_MS / 1000 }, 'dropped interactions that reached this replica after Discord’s 3 s: it is overloaded');
    dropped = 0;
  }, DROPPED_LOG_INTERVAL_MS).unref();

  async function interact(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    const check = checkSignature(key, request.headers, body);
    if (!check.valid) throw new RequestError(401, check.reason);
    let payload: APIInteraction;
    try {
      payload = interactionShape.parse(JSON.parse(body.toString('utf8'))) as unknown as APIInteraction;
    } catch {
      throw new RequestError(400, 'not an interaction');
    }
    if (payload.type === InteractionType.Ping) return sendJson(response, 200, { type: InteractionResponseType.Pong });
    // Not ready or going away: 503 before any work, so the balancer can safely try another replica.
    if (!ready || stopping) throw new RequestError(503, stopping ? 'stopping' : 'starting');
    // Too late to answer: working on it would only delay the next ones.
    if (ages.waited(payload.id) > RESPONSE_DEADLINE_MS) {
      dropped += 1;
      throw new RequestError(410, 'expired before it was read');
    }
    const parentId = payload.channel !== undefined && THREAD_TYPES.has(payload.channel.type) && 'parent_id' in payload.channel ? payload.channel.parent_id : undefined;
    if (typeof parentId === 'string') threadParents.set(payload.id, parentId);
    const first = bridge.expect(payload);
    started = undefined;
    try {
      (client as unknown as InteractionActions).actions.InteractionCreate.handle(payload);
    } finally {
      const work = started ?? Promise.resolve();
      first.track(work);
      void work.finally(() => threadParents.delete(payload.id));
    }
    try {
      await sendJson(response, 200, await first.response);
    } finally {
      first.markSent();
    }
  }

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method === 'GET' && path === '/healthz') return sendJson(response, 200, { ok: true });
    if (request.method === 'GET' && path === '/readyz') return sendJson(response, ready && !stopping ? 200 : 503, { ready: ready && !stopping });
    if (path !== '/interactions') throw new RequestError(404, 'not found');
    if (request.method !== 'POST') throw new RequestError(405, 'POST only');
    await interact(request, response);
  }

  const server: Server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      const status = error instanceof RequestError ? error.status : 500;
      if (status === 500) logger.error({ err: error }, 'interaction request failed');
      else logger.debug({ status, reason: error instanceof Error ? error.message : String(error) }, 'interaction request refused');
      if (response.headersSent) return;
      // The connection is closed after a refusal, so an oversized body is not read to its end.
      response.setHeader('connection', 'close');
      void sendJson(response, status, { error: error instanceof RequestError ? error.message : 'internal error' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.http.port, settings.http.host, resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  logger.info({ port }, 'listening for interactions over HTTP');
  return {
    url: `http://${host}:${port}`,
    client,
    get inFlight() {
      return intake.inFlight;
    },
    markReady() {
      ready = true;
    },
    async stop() {
      stopping = true;
      clearInterval(droppedLog);
      await intake.drain();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await client.destroy();
    },
  };
}
