import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllowedHosts } from './address-policy.js';
import { type FetchSettings, fetchDocument } from './safe-fetch.js';

let server: Server;
let origin: string;
let settings: FetchSettings;

beforeAll(async () => {
  server = createServer((request, response) => {
    const path = request.url ?? '/';
    const hops = /^\/hop\/(\d+)$/.exec(path);
    if (hops) {
      const left = Number(hops[1]);
      if (left === 0) response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('arrived');
      else response.writeHead(302, { location: `/hop/${left - 1}` }).end();
    } else if (path === '/gzipped') {
      response.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' }).end(gzipSync('<p>compressed</p>'));
    } else if (path === '/download/story.md') {
      response.writeHead(200, { 'content-type': 'application/octet-stream' }).end('# A story');
    } else if (path === '/to-localhost') {
      response.writeHead(301, { location: `http://localhost:${(server.address() as AddressInfo).port}/hop/0` }).end();
    } else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  settings = { allowedHosts: parseAllowedHosts(new URL(origin).host), timeoutMs: 5_000, maxBytes: 1024 * 1024, maxRedirects: 5 };
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('fetchDocument', () => {
  it('follows up to five redirects and says where it arrived, with the charset the server named', async () => {
    const fetched = await fetchDocument(new URL(`${origin}/hop/5`), settings);
    expect(fetched).toMatchObject({ url: `${origin}/hop/0`, kind: 'text', charset: 'utf-8' });
    expect(fetched.bytes.toString()).toBe('arrived');
  });

  it('refuses a sixth redirect', async () => {
    await expect(fetchDocument(new URL(`${origin}/hop/6`), settings)).rejects.toThrow('the link redirects more than 5 times');
  });

  it('decompresses what the server compressed', async () => {
    expect((await fetchDocument(new URL(`${origin}/gzipped`), settings)).bytes.toString()).toBe('<p>compressed</p>');
  });

  it('tells a generic download by its file name', async () => {
    expect((await fetchDocument(new URL(`${origin}/download/story.md`), settings)).kind).toBe('markdown');
  });

  it('checks the addresses a redirect target resolves to: a listed host may not lead to an unlisted loopback name', async () => {
    await expect(fetchDocument(new URL(`${origin}/to-localhost`), settings)).rejects.toThrow(/localhost resolves to (127\.0\.0\.1|::1), a loopback address/);
  });

  it('refuses loopback without the setting, before connecting', async () => {
    await expect(fetchDocument(new URL(`${origin}/hop/0`), { ...settings, allowedHosts: [] })).rejects.toThrow('127.0.0.1 is a loopback address (this machine)');
  });
});
