/**
 * A story's files as snapshots in a real PostgreSQL: what one replica publishes (its corpus and live
 * build), another copies exactly, article removals and build switches included; files over a chunk
 * are split and joined; only the head and the one before it are kept.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogs } from '../../tests/support/log-capture.js';
import { freshDatabase } from '../../tests/support/postgres.js';
import { makeTempDir } from '../../tests/support/temp-dir.js';
import { liveBuildId, placeBuild } from '../index/index-store.js';
import { type Storage, openStorage } from '../storage/storage.js';
import { StoryReplica } from './story-replica.js';
import { type Story, serverStory } from './story.js';

const SERVER = '100000000000000001';

interface Host {
  storage: Storage;
  replica: StoryReplica;
  story: Story;
}

let databaseUrl: string;
const hosts: Host[] = [];
const folders: string[] = [];

async function host(name: string): Promise<Host> {
  const dataDir = await makeTempDir('replica');
  folders.push(dataDir);
  const { logger } = captureLogs();
  const storage = await openStorage({ dataDir, databaseUrl }, logger);
  if (storage.snapshots === undefined) throw new Error('PostgreSQL storage has snapshots');
  const opened = { storage, replica: new StoryReplica(storage.snapshots, logger), story: serverStory(dataDir, SERVER, name) };
  hosts.push(opened);
  return opened;
}

async function files(dir: string): Promise<Record<string, string>> {
  const names = (await readdir(dir, { withFileTypes: true }).catch(() => [])).filter((entry) => entry.isFile()).map((entry) => entry.name);
  return Object.fromEntries(await Promise.all(names.sort().map(async (name) => [name, (await readFile(join(dir, name))).toString('base64')] as const)));
}

/** A build as the indexer leaves it: its files in builds/<id>/, CURRENT naming it. */
function build(story: Story, id: string, contents: Record<string, Uint8Array | string>): Promise<void> {
  return placeBuild(story.indexDir, id, Object.entries(contents).map(([name, data]) => ({ name, data: Buffer.from(data) })));
}

async function snapshotCount(storyId: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ count: number }>('SELECT count(*)::int AS count FROM story_snapshots WHERE story_id = $1', [storyId]);
    return rows[0]?.count ?? 0;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  databaseUrl = await freshDatabase('replica');
});

afterAll(async () => {
  await Promise.all(hosts.map(({ storage }) => storage.close()));
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
});

describe('story snapshots between replicas', () => {
  it('copies a published story exactly, follows article removals and new builds, and keeps two snapshots', async () => {
    const one = await host('election');
    const two = await host('election');
    await one.storage.catalog.add(SERVER, 'election', 5);
    expect(await two.replica.catchUp(two.story)).toBe(false);

    const big = randomBytes(2_500_000); // three chunks
    await writeFile(join(one.story.corpusDir, 'a.txt'), 'Polls close at eight.');
    await writeFile(join(one.story.corpusDir, 'b.txt'), 'Turnout was high.');
    await mkdir(join(one.story.corpusDir, '.removed'), { recursive: true });
    await writeFile(join(one.story.corpusDir, '.removed', 'old.txt'), 'stays on its host');
    await build(one.story, 'build-1', { 'manifest.json': '{"n":1}', 'vectors.hnsw': big });
    await one.replica.publish(one.story, { articles: 2, passages: 4 });

    expect(await two.replica.catchUp(two.story)).toBe(true);
    expect(await files(two.story.corpusDir)).toEqual(await files(one.story.corpusDir));
    expect(existsSync(join(two.story.corpusDir, '.removed'))).toBe(false);
    expect(await liveBuildId(two.story.indexDir)).toBe('build-1');
    expect((await readFile(join(two.story.indexDir, 'builds', 'build-1', 'vectors.hnsw'))).equals(big)).toBe(true);
    expect(await two.replica.catchUp(two.story)).toBe(false);
    expect(await one.replica.heads([one.story])).toEqual(new Map([[one.story.id, expect.objectContaining({ buildId: 'build-1', articles: 2, passages: 4 })]]));

    await rm(join(one.story.corpusDir, 'b.txt'));
    await writeFile(join(one.story.corpusDir, 'c.txt'), 'The count starts at nine.');
    await build(one.story, 'build-2', { 'manifest.json': '{"n":2}' });
    await one.replica.publish(one.story, { articles: 2, passages: 3 });
    // The same build again publishes nothing.
    await one.replica.publish(one.story, { articles: 2, passages: 3 });
    expect(await two.replica.catchUp(two.story)).toBe(true);
    expect(Object.keys(await files(two.story.corpusDir))).toEqual(['a.txt', 'c.txt']);
    expect(await liveBuildId(two.story.indexDir)).toBe('build-2');
    expect(await readdir(join(two.story.indexDir, 'builds'))).toEqual(['build-2']);

    await build(one.story, 'build-3', { 'manifest.json': '{"n":3}' });
    await one.replica.publish(one.story, { articles: 2, passages: 3 });
    expect(await snapshotCount(one.story.id)).toBe(2);
  });

  it('empties a story this host holds files of when the database has no snapshot of it (a failed publish, an earlier story of that name)', async () => {
    const one = await host('budget');
    await one.storage.catalog.add(SERVER, 'budget', 5);
    await writeFile(join(one.story.corpusDir, 'stray.txt'), 'never published');
    expect(await one.replica.catchUp(one.story)).toBe(true);
    expect(await files(one.story.corpusDir)).toEqual({});
    expect(await one.replica.catchUp(one.story)).toBe(false);
  });
});
