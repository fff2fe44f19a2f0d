/** @module fake-hub: a stand-in for the Hugging Face hub on 127.0.0.1, serving model folders under hub-style ids. */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';

export interface FakeHub {
  /** Base URL to use as transformers.js's remoteHost. */
  url: string;
  /** Every request path received, in order. */
  requests: string[];
  stop(): Promise<void>;
}

/** Serves `/{repo id}/resolve/{revision}/{file}` from the folder mapped to that repo id. */
export async function startFakeHub(repos: Readonly<Record<string, string>>): Promise<FakeHub> {
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://hub').pathname);
    requests.push(path);
    const match = /^\/(.+?)\/resolve\/[^/]+\/(.+)$/.exec(path);
    const folder = match?.[1] === undefined ? undefined : repos[match[1]];
    const file = match?.[2] === undefined ? undefined : normalize(match[2]);
    if (folder === undefined || file === undefined || file.startsWith('..')) {
      response.writeHead(404).end('Entry not found');
      return;
    }
    const filePath = join(folder, file);
    stat(filePath).then(
      (info) => {
        if (!info.isFile()) throw new Error('not a file');
        response.writeHead(200, { 'content-length': info.size, 'content-type': 'application/octet-stream' });
        if (request.method === 'HEAD') response.end();
        else createReadStream(filePath).pipe(response);
      },
      () => response.writeHead(404).end('Entry not found'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
