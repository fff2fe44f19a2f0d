/** @module fake-discord: a stand-in for Discord's REST API and gateway on 127.0.0.1, driving the real discord.js Client and recording what it sends. */
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import { WebSocket, WebSocketServer } from 'ws';

type Json = Record<string, unknown>;

export interface RecordedRequest {
  method: string;
  /** Percent-decoded, without the `/api/v10` prefix, e.g. `/webhooks/{app}/{token}/messages/@original`. */
  path: string;
  query: URLSearchParams;
  /** Parsed JSON, or the parsed `payload_json` part of a multipart body; undefined when empty. */
  body: unknown;
  /** File parts of a multipart body (discord.js sends attachments this way). */
  files: { field: string; name: string; size: number }[];
  headers: IncomingHttpHeaders;
  /** When the fake had read the whole request, on its REST thread: the bot's busy event loop cannot delay it. */
  at: number;
  /** The status the fake answered with (including failures injected by failNext). */
  status: number;
}

export interface FakeDiscordOptions {
  /** `roles` are the guild's roles besides @everyone (members can then be given them). */
  guilds?: { id: string; name: string; ownerId?: string; roles?: { id: string; name: string }[] }[];
  /** Recommended shard count returned by /gateway/bot (used by clients created with `shards: 'auto'`). */
  shards?: number;
  /** discord.js waits 5 s between identifies sharing `shardId % maxConcurrency`; the default 16 avoids that. */
  maxConcurrency?: number;
  heartbeatIntervalMs?: number;
  /** If set, other tokens get 401 on /gateway/bot and close code 4004 on identify. */
  token?: string;
  /** Like Discord, reject an interaction's first callback after this long (404, code 10062). */
  interactionDeadlineMs?: number;
}

export interface FakeUser { id: string; username?: string }

/** One interaction POSTed to the bot's HTTP endpoint, and how the endpoint answered. */
export interface Delivery {
  interactionId: string;
  /** The HTTP status, or 0 when the request failed (refused connection, reset). */
  status: number;
  /** The endpoint's reply body, parsed. */
  body: unknown;
  sentAt: number;
  answeredAt: number;
}

export interface Interaction {
  id: string;
  token: string;
  guildId: string;
  channelId: string;
  /** Every request the bot made for this interaction (callback, webhook edits, follow-ups), in order. */
  requests(): RecordedRequest[];
  /** First request for this interaction matching predicate (default: any), including ones already made. */
  waitForReply(predicate?: (r: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  /** The original response message as it stands now (after edits), or undefined before a callback. */
  original(): Json | undefined;
}

export interface CommandOption {
  name: string;
  type: number;
  value?: string | boolean | number;
  options?: CommandOption[];
  /** Autocomplete: the option being typed. */
  focused?: boolean;
}

/** A file a member attaches to a command; the fake serves it from its CDN path, as Discord does. */
export interface UploadedFile {
  name: string;
  contentType: string;
  bytes: Buffer;
  /** The size Discord reports; default the bytes' length (set it to model a file too large to send). */
  size?: number;
}

export interface CommandOptions {
  guildId?: string;
  channelId?: string;
  /** The interaction comes from a thread (channelId, or a new id) in this channel; the gateway is told of the thread first. */
  threadParentId?: string;
  name: string;
  options?: CommandOption[];
  /** Attachment options' files by attachment id (the id is the option's value). */
  attachments?: Record<string, UploadedFile>;
  user?: FakeUser;
  /** Role ids of the invoking member; default none. */
  roles?: string[];
  /** Invoking member's permission bitfield as a decimal string; default "0". */
  memberPermissions?: string;
  appPermissions?: string;
}

export interface ButtonOptions extends Omit<CommandOptions, 'name' | 'options'> {
  customId: string;
  /** A message the bot sent earlier (its stored state is used), or any id; default a synthetic bot message. */
  messageId?: string;
}

export interface ModalSubmitOptions extends Omit<CommandOptions, 'name' | 'options'> {
  customId: string;
  /** Text inputs by custom id (a string), select menus by custom id (the chosen values). */
  fields: Record<string, string | string[]>;
  /** The message whose button opened the modal, if any (Discord then sends it along). */
  messageId?: string;
}

export interface FakeDiscord {
  /** REST base to pass as `rest.api`, e.g. http://127.0.0.1:PORT/api */
  apiUrl: string;
  applicationId: string;
  /** Same as applicationId, as for any bot created since 2016. */
  botUserId: string;
  guilds: { id: string; name: string; channelId: string }[];
  requests: RecordedRequest[];
  identifies: { shard: [number, number]; token: string; sessionId: string }[];
  resumes: { shard: [number, number]; sessionId: string; seq: number }[];
  /** Gateway payloads received from clients, heartbeats excluded. */
  gatewayMessages: { op: number; d: unknown; at: number }[];
  /** Resolves once a shard (any, or the given id) has identified and been sent READY + GUILD_CREATEs. */
  waitForIdentify(shard?: number, timeoutMs?: number): Promise<[number, number]>;
  waitForResume(shard?: number, timeoutMs?: number): Promise<[number, number]>;
  sendCommand(options: CommandOptions): Interaction;
  /** An autocomplete request (the focused option marked `focused: true`); the bot answers with callback type 8. */
  sendAutocomplete(options: CommandOptions): Interaction;
  sendButton(options: ButtonOptions): Interaction;
  /** A member submitting a modal the bot showed (callback type 9), as Discord sends it: inside label components. */
  sendModalSubmit(options: ModalSubmitOptions): Interaction;
  /** A message context-menu command (type 3) on a message with this content. */
  sendMessageCommand(options: Omit<CommandOptions, 'options'> & { content: string; authorId?: string }): Interaction;
  /** The CDN address of an attachment served by this fake (for checks on fetched URLs). */
  cdnUrl: string;
  /** Resolves with find()'s first defined result, re-checked on every request and gateway event. */
  waitFor<T>(find: () => T | undefined, timeoutMs?: number): Promise<T>;
  /** First recorded request matching predicate, including ones already made. */
  waitForRequest(predicate: (r: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  /** The next `times` matching requests get this response instead (429s get a Retry-After header from body.retry_after). */
  failNext(predicate: (r: RecordedRequest) => boolean, response: Reply, times?: number): void;
  /** The application's public key (hex), which the HTTP endpoint verifies signatures with. */
  publicKey: string;
  /** Signs `timestamp + body` with the application's key, as Discord does (hex). */
  sign(body: string | Buffer, timestamp: string): string;
  /**
   * From now on, interactions are POSTed (signed) to this endpoint instead of the gateway, and the
   * endpoint's reply is taken as the first callback; undefined goes back to the gateway.
   */
  deliverTo(url: string | undefined): void;
  /** Every HTTP delivery so far, in order. */
  deliveries: Delivery[];
  /** Close every gateway socket: abruptly (TCP drop, client resumes) or with the given close code. */
  dropConnections(code?: number): void;
  stop(): Promise<void>;
}

export interface Reply { status: number; body?: unknown; headers?: Record<string, string>; raw?: Buffer }

interface Session { id: string; shard: [number, number]; seq: number; socket: WebSocket | undefined; pending: Json[] }
interface InteractionState {
  id: string; token: string; type: number; guildId: string; channelId: string; createdAt: number;
  acked: boolean; originalId?: string; messageId?: string;
}

const DISCORD_EPOCH = 1_420_070_400_000n;
let increment = 0n;
/** A real-looking, unique snowflake (19 digits), because discord.js derives timestamps from ids. */
export function snowflake(): string {
  increment = (increment + 1n) & 0xfffn;
  return String(((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | (BigInt(process.pid & 0x3ff) << 12n) | increment);
}

/** Discord routes a guild to shard (id >> 22) % shardCount. */
export function shardOf(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/** A stable guild id that lands on the given shard; `index` makes further distinct ones. */
export function guildIdForShard(shard: number, shardCount: number, index = 0): string {
  const base = 240_000_000_000n - (240_000_000_000n % BigInt(shardCount));
  return String(((base + BigInt(index * shardCount + shard)) << 22n) | 1n);
}

/**
 * The REST API's server, run on a worker thread as Discord's servers run apart from the bot. On the
 * bot's own thread it would take in new connections only as fast as the bot's event loop turns
 * (Node accepts one connection per turn), and that loop stalls on the bot's model inference: a burst
 * of interactions, each deferred on a new connection, was then read seconds after the bot had sent
 * the deferrals, and called past the 3 s deadline. Here each request is read and timestamped as it
 * arrives, then answered by `handle` on the main thread, where the fake's state lives.
 */
const REST_THREAD = String.raw`
const { parentPort } = require('node:worker_threads');
const { createServer } = require('node:http');
const responses = new Map();
let nextId = 0;
const server = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const id = nextId++;
    responses.set(id, response);
    const body = Buffer.concat(chunks);
    parentPort.postMessage({ type: 'request', id, method: request.method, url: request.url, headers: { ...request.headers }, body, at: Date.now() });
  });
});
parentPort.on('message', (message) => {
  if (message.type === 'reply') {
    const response = responses.get(message.id);
    responses.delete(message.id);
    response?.writeHead(message.status, message.headers).end(message.body);
  } else if (message.type === 'close') {
    server.closeAllConnections();
    server.close(() => parentPort.close());
  }
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ type: 'listening', port: server.address().port }));
`;

type RestThreadMessage =
  | { type: 'listening'; port: number }
  | { type: 'request'; id: number; method: string; url: string; headers: IncomingHttpHeaders; body: Uint8Array; at: number };

const DEFAULT_USER: Required<FakeUser> = { id: '400000000000000001', username: 'tester' };
const DEFAULT_APP_PERMISSIONS = '2251799813685247'; // every permission bit up to 1 << 50

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const applicationId = snowflake();
  const botUser = { id: applicationId, username: 'story-qa-bot', discriminator: '0000', global_name: null, avatar: null, bot: true, flags: 0 };
  const guilds = (options.guilds ?? [{ id: guildIdForShard(0, 1), name: 'Test Guild' }]).map((guild) => ({
    ...guild, ownerId: guild.ownerId ?? '400000000000000099', channelId: snowflake(),
  }));
  const requests: RecordedRequest[] = [];
  const identifies: FakeDiscord['identifies'] = [];
  const resumes: FakeDiscord['resumes'] = [];
  const gatewayMessages: FakeDiscord['gatewayMessages'] = [];
  const sessions: Session[] = [];
  const interactions = new Map<string, InteractionState>();
  const byToken = new Map<string, InteractionState>();
  const messages = new Map<string, Json>();
  const commands = new Map<string, Json[]>();
  const cdnFiles = new Map<string, UploadedFile>();
  const failures: { predicate: (r: RecordedRequest) => boolean; response: Reply; remaining: number }[] = [];
  const deadline = options.interactionDeadlineMs ?? 3_000;
  const keys = generateKeyPairSync('ed25519');
  const publicKey = Buffer.from(String(keys.publicKey.export({ format: 'jwk' }).x), 'base64url').toString('hex');
  const signBody = (body: string | Buffer, timestamp: string): string =>
    sign(null, Buffer.concat([Buffer.from(timestamp), Buffer.from(body)]), keys.privateKey).toString('hex');
  let endpoint: string | undefined;
  const deliveries: Delivery[] = [];
  /** HTTP deliveries whose reply has not been read yet, by interaction token. */
  const unanswered = new Map<string, Promise<void>>();

  // Waiters re-check their condition on every state change instead of polling.
  const listeners = new Set<() => void>();
  const changed = (): void => listeners.forEach((check) => check());
  function waitFor<T>(find: () => T | undefined, timeoutMs = 5_000, what = 'condition'): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        listeners.delete(check);
        const seen = requests.map((r) => `${r.method} ${r.path} -> ${r.status}`).join('\n  ');
        reject(new Error(`fake-discord: no ${what} within ${timeoutMs} ms; requests so far:\n  ${seen}`));
      }, timeoutMs);
      function check(): void {
        const found = find();
        if (found === undefined) return;
        clearTimeout(timer);
        listeners.delete(check);
        resolve(found);
      }
      listeners.add(check);
      check();
    });
  }
  const waitForRequest = (predicate: (r: RecordedRequest) => boolean, timeoutMs = 5_000): Promise<RecordedRequest> =>
    waitFor(() => requests.find(predicate), timeoutMs, 'matching request');

  function makeMessage(channelId: string, fields: Json, webhook: boolean): Json {
    const message: Json = {
      id: snowflake(), channel_id: channelId, author: botUser, content: '', embeds: [], components: [], attachments: [],
      mentions: [], mention_roles: [], mention_everyone: false, pinned: false, tts: false, type: 0, flags: 0,
      timestamp: new Date().toISOString(), edited_timestamp: null, ...(webhook ? { webhook_id: applicationId } : {}),
    };
    editMessage(message, fields);
    messages.set(String(message.id), message);
    return message;
  }
  function editMessage(message: Json, fields: Json): void {
    // Attachments are left out: Discord turns uploads into CDN objects the fake has no use for.
    for (const key of ['content', 'embeds', 'components', 'flags'] as const) if (fields[key] !== undefined) message[key] = fields[key];
  }

  function route(r: RecordedRequest): Reply {
    const at = `${r.method} ${r.path}`;
    const body = isObject(r.body) ? r.body : {};
    let m: RegExpExecArray | null;
    if (at === 'GET /gateway/bot') {
      if (options.token !== undefined && r.headers.authorization !== `Bot ${options.token}`) return { status: 401, body: { message: '401: Unauthorized', code: 0 } };
      const limit = { total: 1000, remaining: 1000, reset_after: 86_400_000, max_concurrency: options.maxConcurrency ?? 16 };
      return { status: 200, body: { url: wsUrl, shards: options.shards ?? 1, session_start_limit: limit } };
    }
    if (at === 'GET /gateway') return { status: 200, body: { url: wsUrl } };
    if (at === 'GET /users/@me') return { status: 200, body: botUser };
    if (at === 'GET /applications/@me') return { status: 200, body: { id: applicationId, name: botUser.username, description: '', flags: 0, bot: botUser, bot_public: true, bot_require_code_grant: false, verify_key: '' } };
    if ((m = /^(GET|PUT|POST) \/applications\/([^/]+)(?:\/guilds\/([^/]+))?\/commands$/.exec(at))) {
      const key = m[3] ?? 'global';
      const echo = (command: unknown): Json => ({
        type: 1, default_member_permissions: null, ...(isObject(command) ? command : {}), id: snowflake(),
        application_id: applicationId, version: snowflake(), ...(m?.[3] === undefined ? {} : { guild_id: m[3] }),
      });
      if (m[1] === 'GET') return { status: 200, body: commands.get(key) ?? [] };
      if (m[1] === 'POST') return { status: 201, body: echo(body) };
      const list = (Array.isArray(r.body) ? r.body : []).map(echo);
      commands.set(key, list);
      return { status: 200, body: list };
    }
    if ((m = /^POST \/interactions\/([^/]+)\/([^/]+)\/callback$/.exec(at))) {
      const interaction = interactions.get(m[1] ?? '');
      if (interaction === undefined || interaction.token !== m[2] || r.at - interaction.createdAt > deadline) {
        return { status: 404, body: { message: 'Unknown interaction', code: 10062 } };
      }
      if (interaction.acked) return { status: 400, body: { message: 'Interaction has already been acknowledged.', code: 40060 } };
      interaction.acked = true;
      const type = Number(body.type);
      const data = isObject(body.data) ? body.data : {};
      if (type === 4 || type === 5) {
        // A deferred reply shows "thinking…" (flag 128 LOADING) until the first edit.
        const fields = type === 5 ? { ...data, content: '', flags: Number(data.flags ?? 0) | 128 } : data;
        interaction.originalId = String(makeMessage(interaction.channelId, fields, true).id);
      } else if (type === 6 || type === 7) {
        interaction.originalId = interaction.messageId;
        const target = messages.get(interaction.messageId ?? '');
        if (type === 7 && target !== undefined) editMessage(target, data);
      }
      if (r.query.get('with_response') !== 'true') return { status: 204 };
      const message = messages.get(interaction.originalId ?? '');
      return {
        status: 200,
        body: {
          interaction: {
            id: interaction.id, type: interaction.type, response_message_id: interaction.originalId ?? null,
            response_message_loading: type === 5, response_message_ephemeral: (Number(message?.flags ?? 0) & 64) !== 0,
          },
          resource: { type, ...(message === undefined ? {} : { message }) },
        },
      };
    }
    if ((m = /^(POST|GET|PATCH|DELETE) \/webhooks\/([^/]+)\/([^/]+)(?:\/messages\/([^/]+))?$/.exec(at))) {
      const interaction = byToken.get(m[3] ?? '');
      if (m[2] !== applicationId || interaction === undefined) return { status: 404, body: { message: 'Unknown Webhook', code: 10015 } };
      if (m[4] === undefined) {
        if (m[1] !== 'POST') return notFound();
        const message = makeMessage(interaction.channelId, body, true);
        return r.query.get('wait') === 'true' ? { status: 200, body: message } : { status: 204 };
      }
      const id = m[4] === '@original' ? interaction.originalId : m[4];
      const message = messages.get(id ?? '');
      if (message === undefined) return { status: 404, body: { message: 'Unknown Message', code: 10008 } };
      if (m[1] === 'DELETE') {
        messages.delete(String(message.id));
        return { status: 204 };
      }
      if (m[1] === 'PATCH') {
        editMessage(message, body);
        message.flags = Number(message.flags) & ~128;
        message.edited_timestamp = new Date().toISOString();
      }
      return { status: 200, body: message };
    }
    if ((m = /^POST \/channels\/([^/]+)\/messages$/.exec(at))) return { status: 200, body: makeMessage(m[1] ?? '', body, false) };
    const file = r.method === 'GET' ? cdnFiles.get(r.path) : undefined;
    if (file !== undefined) return { status: 200, raw: file.bytes, headers: { 'content-type': file.contentType } };
    return notFound();
  }

  // REST requests are read on a thread of their own (see REST_THREAD) and answered here.
  const restThread = new Worker(REST_THREAD, { eval: true });
  const restThreadExited = new Promise<void>((resolve) => restThread.once('exit', () => resolve()));
  const restPort = new Promise<number>((resolve, reject) => {
    restThread.once('error', reject);
    restThread.on('message', (message: RestThreadMessage) => {
      if (message.type === 'listening') return resolve(message.port);
      const send = (reply: Reply): void => {
        const json = reply.body !== undefined && reply.status !== 204;
        const headers = { ...(json ? { 'content-type': 'application/json' } : {}), ...reply.headers };
        restThread.postMessage({ type: 'reply', id: message.id, status: reply.status, headers, body: reply.raw ?? (json ? JSON.stringify(reply.body) : undefined) });
      };
      handle(message).then(send, (error: unknown) => send({ status: 500, body: { message: String(error), code: 0 } }));
    });
  });
  async function handle(request: Extract<RestThreadMessage, { type: 'request' }>): Promise<Reply> {
    const url = new URL(request.url, 'http://fake');
    const path = decodeURIComponent(url.pathname).replace(/^\/api(?:\/v\d+)?/, '');
    const raw = Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength);
    const { body, files } = await parseBody(raw, request.headers['content-type'] ?? '');
    const record: RecordedRequest = {
      method: request.method, path, query: url.searchParams, body, files, headers: request.headers, at: request.at, status: 0,
    };
    // Like Discord, the fake knows an interaction's reply before the edits the bot sends after it.
    const token = /^\/webhooks\/[^/]+\/([^/]+)/.exec(path)?.[1];
    await (token === undefined ? undefined : unanswered.get(token));
    const failure = failures.find((f) => f.remaining > 0 && f.predicate(record));
    let reply: Reply;
    if (failure === undefined) reply = route(record);
    else {
      failure.remaining -= 1;
      reply = failure.response;
      // @discordjs/rest waits on the Retry-After header, not on the body's retry_after.
      const retryAfter = isObject(reply.body) ? reply.body.retry_after : undefined;
      if (reply.status === 429 && retryAfter !== undefined && reply.headers?.['retry-after'] === undefined) {
        reply = { ...reply, headers: { ...reply.headers, 'retry-after': String(retryAfter) } };
      }
    }
    record.status = reply.status;
    requests.push(record);
    changed();
    return reply;
  }

  // The gateway: one long-lived socket per shard, so it stays on this thread, beside the state it serves.
  const server: Server = createServer((_request, response) => response.writeHead(404).end());
  const wss = new WebSocketServer({ server, path: '/gateway' });
  function dispatch(session: Session, t: string, d: unknown): void {
    session.seq += 1;
    const payload = { op: 0, t, s: session.seq, d };
    // Events for a disconnected shard are kept and replayed on RESUME, as Discord does.
    if (session.socket?.readyState === WebSocket.OPEN) session.socket.send(JSON.stringify(payload));
    else session.pending.push(payload);
  }
  wss.on('connection', (socket) => {
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: options.heartbeatIntervalMs ?? 1_000 } }));
    socket.on('message', (raw) => {
      const { op, d } = JSON.parse(String(raw)) as { op: number; d: unknown };
      if (op === 1) return socket.send(JSON.stringify({ op: 11 }));
      gatewayMessages.push({ op, d, at: Date.now() });
      const data = isObject(d) ? d : {};
      if (op === 2) {
        if (options.token !== undefined && data.token !== options.token) return socket.close(4004, 'Authentication failed.');
        const shard = (Array.isArray(data.shard) ? data.shard : [0, 1]) as [number, number];
        const session: Session = { id: randomBytes(16).toString('hex'), shard, seq: 0, socket, pending: [] };
        sessions.push(session);
        const mine = guilds.filter((guild) => shardOf(guild.id, shard[1]) === shard[0]);
        dispatch(session, 'READY', {
          v: 10, user: { ...botUser, verified: true, mfa_enabled: false }, guilds: mine.map(({ id }) => ({ id, unavailable: true })),
          session_id: session.id, resume_gateway_url: wsUrl, shard, application: { id: applicationId, flags: 0 },
        });
        for (const guild of mine) dispatch(session, 'GUILD_CREATE', guildCreate(guild));
        identifies.push({ shard, token: String(data.token), sessionId: session.id });
      } else if (op === 6) {
        const session = sessions.find((s) => s.id === data.session_id);
        if (session === undefined || (options.token !== undefined && data.token !== options.token)) return socket.send(JSON.stringify({ op: 9, d: false }));
        session.socket = socket;
        for (const payload of session.pending.splice(0)) socket.send(JSON.stringify(payload));
        dispatch(session, 'RESUMED', null);
        resumes.push({ shard: session.shard, sessionId: session.id, seq: Number(data.seq) });
      }
      changed();
    });
    socket.on('close', () => {
      for (const session of sessions) if (session.socket === socket) session.socket = undefined;
    });
  });

  function guildCreate(guild: (typeof guilds)[number]): Json {
    const joined = new Date().toISOString();
    return {
      id: guild.id, name: guild.name, owner_id: guild.ownerId, unavailable: false, joined_at: joined, large: false, member_count: 2,
      roles: [{ id: guild.id, name: '@everyone' }, ...(guild.roles ?? [])].map((role, position) => ({
        ...role, permissions: position === 0 ? '1071698660929' : '0', position, color: 0, hoist: false, managed: false, mentionable: false, flags: 0,
      })),
      channels: [{ id: guild.channelId, type: 0, name: 'general', position: 0, permission_overwrites: [], nsfw: false }],
      members: [{ user: botUser, roles: [], joined_at: joined, deaf: false, mute: false, flags: 0 }],
      features: [], emojis: [], stickers: [], voice_states: [], presences: [], threads: [], stage_instances: [], guild_scheduled_events: [],
    };
  }

  /** Discord's HTTP delivery: a signed POST whose reply is the interaction's first response. */
  async function deliver(url: string, state: InteractionState, payload: Json): Promise<void> {
    const body = JSON.stringify(payload);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const delivery: Delivery = { interactionId: state.id, status: 0, body: undefined, sentAt: Date.now(), answeredAt: 0 };
    try {
      const response = await fetch(url, {
        method: 'POST', body, headers: { 'content-type': 'application/json', 'x-signature-ed25519': signBody(body, timestamp), 'x-signature-timestamp': timestamp },
      });
      delivery.status = response.status;
      delivery.body = parseJson(await response.text());
    } catch {
      delivery.status = 0;
    }
    delivery.answeredAt = Date.now();
    deliveries.push(delivery);
    if (delivery.status === 200) {
      // Taken as the callback the gateway bot would have POSTed, so tests read both transports alike.
      const record: RecordedRequest = {
        method: 'POST', path: `/interactions/${state.id}/${state.token}/callback`, query: new URLSearchParams(), body: delivery.body,
        files: [], headers: { 'x-delivered-by': 'http-response' }, at: delivery.answeredAt, status: 0,
      };
      record.status = route(record).status;
      requests.push(record);
    }
    changed();
  }

  function sendInteraction(type: number, o: CommandOptions | ButtonOptions, data: Json, message?: Json): Interaction {
    const guild = o.guildId === undefined ? guilds[0] : guilds.find((g) => g.id === o.guildId);
    if (guild === undefined) throw new Error(`fake-discord: unknown guild ${String(o.guildId)}`);
    // The newest session for the owning shard wins: older ones belong to clients that re-identified.
    const session = sessions.findLast((s) => shardOf(guild.id, s.shard[1]) === s.shard[0]);
    if (session === undefined && endpoint === undefined) throw new Error(`fake-discord: no shard has identified for guild ${guild.id}`);
    const channelId = o.channelId ?? (o.threadParentId === undefined ? guild.channelId : snowflake());
    const channel: Json = o.threadParentId === undefined
      ? { id: channelId, type: 0, guild_id: guild.id, name: 'general' }
      : { id: channelId, type: 11, guild_id: guild.id, name: 'a thread', parent_id: o.threadParentId, owner_id: DEFAULT_USER.id, thread_metadata: { archived: false, auto_archive_duration: 1440, archive_timestamp: new Date().toISOString(), locked: false } };
    // Discord announces a new thread to the gateway (THREAD_CREATE) before anything happens in it.
    if (o.threadParentId !== undefined && endpoint === undefined && session !== undefined) dispatch(session, 'THREAD_CREATE', { ...channel, newly_created: true });
    const state: InteractionState = {
      id: snowflake(), token: `aW50ZXJhY3Rpb24${randomBytes(24).toString('base64url')}`, type, guildId: guild.id, channelId,
      createdAt: Date.now(), acked: false, ...(message === undefined ? {} : { messageId: String(message.id) }),
    };
    interactions.set(state.id, state);
    byToken.set(state.token, state);
    const user = { ...DEFAULT_USER, ...o.user };
    const permissions = o.memberPermissions ?? '0';
    const payload: Json = {
      id: state.id, application_id: applicationId, type, token: state.token, version: 1, guild_id: guild.id, channel_id: channelId,
      channel: { ...channel, permissions },
      member: {
        user: { id: user.id, username: user.username, discriminator: '0', global_name: user.username, avatar: null },
        roles: o.roles ?? [], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0, pending: false, permissions,
      },
      data, ...(message === undefined ? {} : { message }), locale: 'en-US', guild_locale: 'en-US',
      app_permissions: o.appPermissions ?? DEFAULT_APP_PERMISSIONS, entitlements: [], authorizing_integration_owners: { 0: guild.id }, context: 0,
    };
    if (endpoint !== undefined) {
      const delivered = deliver(endpoint, state, payload).finally(() => unanswered.delete(state.token));
      unanswered.set(state.token, delivered);
    }
    else if (session !== undefined) dispatch(session, 'INTERACTION_CREATE', payload);
    const mine = (r: RecordedRequest): boolean =>
      r.path.startsWith(`/interactions/${state.id}/${state.token}/`) || r.path.startsWith(`/webhooks/${applicationId}/${state.token}`);
    return {
      id: state.id, token: state.token, guildId: guild.id, channelId,
      requests: () => requests.filter(mine),
      waitForReply: (predicate = () => true, timeoutMs = 5_000) =>
        waitFor(() => requests.find((r) => mine(r) && predicate(r)), timeoutMs, `reply to interaction ${state.id}`),
      original: () => (state.originalId === undefined ? undefined : messages.get(state.originalId)),
    };
  }

  /** A command's data; its attachments are put on the CDN and described in `resolved`, as Discord does. */
  function commandData(o: CommandOptions): Json {
    const attachments: Record<string, Json> = {};
    const channelId = o.channelId ?? guilds[0]?.channelId ?? '';
    for (const [id, file] of Object.entries(o.attachments ?? {})) {
      const path = `/attachments/${channelId}/${id}/${file.name}`;
      cdnFiles.set(path, file);
      const url = `${restOrigin}${path}?ex=${Date.now().toString(16)}&is=0&hm=${randomBytes(8).toString('hex')}`;
      attachments[id] = { id, filename: file.name, size: file.size ?? file.bytes.byteLength, url, proxy_url: url, content_type: file.contentType };
    }
    return { id: snowflake(), name: o.name, type: 1, options: o.options ?? [], ...(o.attachments === undefined ? {} : { resolved: { attachments } }) };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const wsUrl = `ws://127.0.0.1:${port}/gateway`;
  // Discord's CDN serves attachments from another host; here the REST thread serves them too.
  const restOrigin = `http://127.0.0.1:${await restPort}`;
  const apiUrl = `${restOrigin}/api`;
  const shardWaiter = (list: { shard: [number, number] }[], what: string) => (shard?: number, timeoutMs = 5_000) =>
    waitFor(() => list.find((e) => shard === undefined || e.shard[0] === shard)?.shard, timeoutMs, what);

  return {
    apiUrl, applicationId, botUserId: applicationId, guilds: guilds.map(({ id, name, channelId }) => ({ id, name, channelId })),
    requests, identifies, resumes, gatewayMessages, waitForRequest, waitFor: (find, timeoutMs) => waitFor(find, timeoutMs),
    waitForIdentify: shardWaiter(identifies, 'identify'),
    waitForResume: shardWaiter(resumes, 'resume'),
    sendCommand: (o) => sendInteraction(2, o, commandData(o)),
    sendAutocomplete: (o) => sendInteraction(4, o, commandData(o)),
    cdnUrl: `${restOrigin}/attachments/`,
    sendButton: (o) => {
      let message = messages.get(o.messageId ?? '');
      if (message === undefined) {
        const channelId = o.channelId ?? (guilds.find((g) => g.id === o.guildId) ?? guilds[0])?.channelId ?? '';
        const row = { type: 1, components: [{ type: 2, style: 1, label: o.customId, custom_id: o.customId }] };
        message = makeMessage(channelId, { components: [row] }, true);
        if (o.messageId !== undefined) {
          messages.delete(String(message.id));
          messages.set(o.messageId, Object.assign(message, { id: o.messageId }));
        }
      }
      return sendInteraction(3, o, { custom_id: o.customId, component_type: 2 }, message);
    },
    sendModalSubmit: (o) => {
      const components = Object.entries(o.fields).map(([customId, value], k) => ({
        type: 18,
        id: k + 1,
        component: typeof value === 'string' ? { type: 4, id: 100 + k, custom_id: customId, value } : { type: 3, id: 100 + k, custom_id: customId, values: value },
      }));
      return sendInteraction(5, o, { custom_id: o.customId, components }, o.messageId === undefined ? undefined : messages.get(o.messageId));
    },
    sendMessageCommand: (o) => {
      const channelId = o.channelId ?? (guilds.find((g) => g.id === o.guildId) ?? guilds[0])?.channelId ?? '';
      const target = {
        id: snowflake(), channel_id: channelId, content: o.content, author: { id: o.authorId ?? '400000000000000077', username: 'someone', discriminator: '0', avatar: null, global_name: 'someone' },
        embeds: [], components: [], attachments: [], mentions: [], mention_roles: [], mention_everyone: false, pinned: false, tts: false, type: 0, flags: 0,
        timestamp: new Date().toISOString(), edited_timestamp: null,
      };
      return sendInteraction(2, o, { id: snowflake(), name: o.name, type: 3, target_id: target.id, resolved: { messages: { [target.id]: target } } });
    },
    publicKey,
    sign: signBody,
    deliverTo: (url) => {
      endpoint = url;
    },
    deliveries,
    failNext: (predicate, response, times = 1) => void failures.push({ predicate, response, remaining: times }),
    dropConnections: (code) => wss.clients.forEach((socket) => (code === undefined ? socket.terminate() : socket.close(code))),
    stop: async () => {
      restThread.postMessage({ type: 'close' });
      await Promise.all([
        restThreadExited,
        new Promise<void>((resolve, reject) => {
          // Upgraded sockets are no longer the http server's, so they are ended separately.
          wss.clients.forEach((socket) => socket.terminate());
          wss.close();
          server.closeAllConnections();
          server.close((error) => (error ? reject(error) : resolve()));
        }),
      ]);
    },
  };
}

function notFound(): Reply {
  return { status: 404, body: { message: '404: Not Found', code: 0 } };
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function parseBody(raw: Buffer, type: string): Promise<{ body: unknown; files: RecordedRequest['files'] }> {
  if (raw.length === 0) return { body: undefined, files: [] };
  if (!type.startsWith('multipart/form-data')) return { body: parseJson(raw.toString('utf8')), files: [] };
  // discord.js sends attachments as multipart with the message JSON in `payload_json`.
  const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
  const files: RecordedRequest['files'] = [];
  let body: unknown;
  for (const [field, value] of form.entries()) {
    if (typeof value !== 'string') files.push({ field, name: value.name, size: value.size });
    else if (field === 'payload_json') body = parseJson(value);
  }
  return { body, files };
}

/** Anything that is not JSON is kept as text, so the test can see what was sent. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
