/** @module news-site: a local web server standing in for news sites, serving the pages and failures a test lays out. */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Route = (request: IncomingMessage, response: ServerResponse) => void;

export interface NewsSite {
  /** `127.0.0.1:PORT`, as FETCH_ALLOWED_HOSTS lists it. */
  host: string;
  url(path: string): string;
  /** Paths requested so far, in order. */
  requested: string[];
  stop(): Promise<void>;
}

/** A page with this body and content type. */
export function page(body: string | Buffer, contentType = 'text/html; charset=utf-8'): Route {
  return (_request, response) => response.writeHead(200, { 'content-type': contentType }).end(body);
}

export function status(code: number): Route {
  return (_request, response) => response.writeHead(code, { 'content-type': 'text/html' }).end(`<html><body><h1>${code}</h1></body></html>`);
}

export function redirect(location: string, code = 302): Route {
  return (_request, response) => response.writeHead(code, { location }).end();
}

export async function startNewsSite(routes: Readonly<Record<string, Route>>): Promise<NewsSite> {
  const requested: string[] = [];
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://site').pathname;
    requested.push(path);
    const route = routes[path];
    if (route === undefined) response.writeHead(404).end('not found');
    else route(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host,
    url: (path) => `http://${host}${path}`,
    requested,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
