/** @module postgres self-test: the run's throwaway server hands out separate, working databases, with LISTEN/NOTIFY. */
import pg from 'pg';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from './postgres.js';

const clients: pg.Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.end()));
});

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  clients.push(client);
  await client.connect();
  return client;
}

const databaseName = (url: string): string => new URL(url).pathname.slice(1);

describe('freshDatabase', () => {
  let url: string;
  beforeAll(async () => {
    url = await freshDatabase();
  });

  it('accepts a connection to the database it names', async () => {
    const client = await connect(url);
    const { rows } = await client.query<{ name: string }>('SELECT current_database() AS name');
    expect(rows[0]?.name).toBe(databaseName(url));
  });

  it('lets a table be created, written and read', async () => {
    const client = await connect(url);
    await client.query('CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL)');
    await client.query('INSERT INTO notes (body) VALUES ($1), ($2)', ['first', 'second']);
    const { rows } = await client.query<{ body: string }>('SELECT body FROM notes ORDER BY id');
    expect(rows.map((row) => row.body)).toEqual(['first', 'second']);
  });

  it('gives two calls two distinct databases', async () => {
    const [first, second] = await Promise.all([freshDatabase(), freshDatabase()]);
    expect(databaseName(first)).not.toBe(databaseName(second));
    const a = await connect(first);
    const b = await connect(second);
    await a.query('CREATE TABLE only_in_first (x int)');
    const { rows } = await b.query<{ found: string | null }>("SELECT to_regclass('only_in_first')::text AS found");
    expect(rows[0]?.found).toBeNull();
  });

  it('delivers a NOTIFY from one connection to another that LISTENs', async () => {
    const listener = await connect(url);
    const notifier = await connect(url);
    await listener.query('LISTEN story_events');
    const received = new Promise<pg.Notification>((resolve) => listener.once('notification', resolve));
    await notifier.query("SELECT pg_notify('story_events', $1)", ['{"story":42}']);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('no notification within 5 s')), 5_000)));
    const notification = await Promise.race([received, timeout]).finally(() => clearTimeout(timer));
    expect(notification.channel).toBe('story_events');
    expect(notification.payload).toBe('{"story":42}');
  });
});
