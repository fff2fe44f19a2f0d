/**
 * @module safe-fetch: downloads one document a member pointed the bot at, without letting the link
 * reach the bot's own network. Every hop (the link and each redirect) is checked: scheme, port,
 * and each address the host resolves to; the connection then goes to exactly the addresses checked,
 * so a host that changes its DNS answer between check and connect gains nothing.
 */
import { type LookupAddress, promises as dns } from 'node:dns';
import { type IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { AppError, ErrorCodes } from '../../errors.js';
import { type AllowedHost, addressRefusal, hostOf, isAllowedHost, portRefusal, urlRefusal } from './address-policy.js';
import { type DocumentKind, charsetOf, kindOfDocument } from './document-kind.js';

export interface FetchSettings {
  allowedHosts: readonly AllowedHost[];
  /** For the whole download, every redirect included. */
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
}

export interface FetchedDocument {
  /** Where the document was finally found, after redirects. */
  url: string;
  kind: DocumentKind;
  /** From the Content-Type header, if it named one. */
  charset: string | undefined;
  bytes: Buffer;
}

const USER_AGENT = 'story-qa-bot/0.1 (adds news articles to a Discord story bot)';
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

function refused(reason: string): AppError {
  return new AppError(ErrorCodes.FETCH_REFUSED, `That link is refused: ${reason}. Nothing was added.`);
}

function failed(reason: string): AppError {
  return new AppError(ErrorCodes.FETCH_FAILED, `Could not fetch the article: ${reason}. Nothing was added.`);
}

export function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Parses what a member typed as a link. */
export function parseLink(link: string): URL {
  const trimmed = link.trim();
  if (!URL.canParse(trimmed)) throw new AppError(ErrorCodes.FETCH_REFUSED, `"${trimmed.slice(0, 200)}" is not a link (give the full address, starting with https://). Nothing was added.`);
  return new URL(trimmed);
}

/**
 * The addresses a connection to `url` may use, each one checked; throws the refusal otherwise.
 * Undefined for a listed host, which connects as resolved. The address is checked before the port,
 * so a link into the private network is refused as such whatever port it names.
 */
async function checkedAddresses(url: URL, settings: FetchSettings): Promise<LookupAddress[] | undefined> {
  const reason = urlRefusal(url);
  if (reason !== undefined) throw refused(reason);
  // A listed host is trusted wherever it resolves: that is what listing it means.
  if (isAllowedHost(url, settings.allowedHosts)) return undefined;
  const host = hostOf(url);
  let addresses: LookupAddress[];
  if (isIP(host) !== 0) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await dns.lookup(host, { all: true, verbatim: true });
    } catch {
      throw failed(`the site's name (${host}) could not be found`);
    }
  }
  for (const { address } of addresses) {
    const addressReason = addressRefusal(address);
    if (addressReason !== undefined) throw refused(host === address ? `${address} is ${addressReason}` : `${host} resolves to ${address}, ${addressReason}`);
  }
  const badPort = portRefusal(url);
  if (badPort !== undefined) throw refused(badPort);
  return addresses;
}

/** Connects only to the addresses already checked, in whichever form the socket asks for them. */
function pinnedLookup(addresses: readonly LookupAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const [first] = addresses;
    if (options.all) (callback as unknown as (error: null, all: LookupAddress[]) => void)(null, [...addresses]);
    else if (first) callback(null, first.address, first.family);
  };
}

function send(url: URL, addresses: readonly LookupAddress[] | undefined, signal: AbortSignal): Promise<IncomingMessage> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = request(url.href, {
      signal,
      headers: {
        'user-agent': USER_AGENT,
        accept: 'text/html,application/xhtml+xml,text/plain;q=0.9,text/markdown;q=0.9,*/*;q=0.1',
        'accept-encoding': 'gzip, deflate, br',
      },
      ...(addresses === undefined ? {} : { lookup: pinnedLookup(addresses) }),
    });
    outgoing.once('response', resolve).once('error', reject).end();
  });
}

function decompressed(response: IncomingMessage): Readable {
  switch ((response.headers['content-encoding'] ?? '').toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return response.pipe(createGunzip());
    case 'deflate':
      return response.pipe(createInflate());
    case 'br':
      return response.pipe(createBrotliDecompress());
    default:
      return response;
  }
}

/** The body, decompressed, refusing more than `maxBytes` (a small compressed body can expand a lot). */
async function readBody(response: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.destroy();
    throw failed(`the page is too large (${megabytes(declared)}; the limit is ${megabytes(maxBytes)})`);
  }
  const stream = decompressed(response);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).byteLength;
    if (size > maxBytes) {
      response.destroy();
      stream.destroy();
      throw failed(`the page is too large (over ${megabytes(maxBytes)})`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function statusReason(response: IncomingMessage): string {
  const status = response.statusCode ?? 0;
  const text = `${status}${response.statusMessage ? ` ${response.statusMessage}` : ''}`;
  if (status === 404 || status === 410) return `the site answered ${text}: the page does not exist (check the link)`;
  if (status === 401 || status === 403) return `the site answered ${text}: the page needs a login or refuses bots`;
  if (status === 429) return `the site answered ${text}: it is limiting requests, try again later`;
  if (status >= 500) return `the site answered ${text}: its server failed, try again later`;
  return `the site answered ${text}`;
}

async function download(start: URL, settings: FetchSettings, signal: AbortSignal): Promise<FetchedDocument> {
  let url = start;
  for (let redirects = 0; ; redirects += 1) {
    const response = await send(url, await checkedAddresses(url, settings), signal);
    const status = response.statusCode ?? 0;
    if (REDIRECT_STATUSES.has(status)) {
      response.resume();
      const location = response.headers.location;
      if (location === undefined || !URL.canParse(location, url.href)) throw failed(`the site answered ${status} without a valid address to go to`);
      if (redirects === settings.maxRedirects) throw failed(`the link redirects more than ${settings.maxRedirects} times`);
      url = new URL(location, url);
      continue;
    }
    if (status < 200 || status > 299) {
      response.resume();
      throw failed(statusReason(response));
    }
    const contentType = response.headers['content-type'];
    const kind = kindOfDocument(contentType, basename(url.pathname));
    if (typeof kind !== 'string') {
      response.destroy();
      throw new AppError(ErrorCodes.ARTICLE_UNREADABLE, `No article to add: ${kind.refusal}. Nothing was added.`);
    }
    return { url: url.href, kind, charset: charsetOf(contentType), bytes: await readBody(response, settings.maxBytes) };
  }
}

/** Fetches a document an article can be read from; every failure is an AppError whose message says why. */
export async function fetchDocument(url: URL, settings: FetchSettings): Promise<FetchedDocument> {
  const signal = AbortSignal.timeout(settings.timeoutMs);
  try {
    return await download(url, settings, signal);
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (signal.aborted) throw failed(`the site did not send the page within ${Math.round(settings.timeoutMs / 1000)} s`);
    const code = (error as NodeJS.ErrnoException).code;
    throw failed(`the connection failed (${code ?? (error instanceof Error ? error.message : String(error))})`);
  }
}
