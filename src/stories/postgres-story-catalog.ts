/**
 * @module postgres-story-catalog: the servers' stories in PostgreSQL, shared by every replica. Each
 * replica keeps the list in memory (asked on every question) and keeps it current from the story
 * events other replicas send (storage/story-events.ts), rereading the table after a lost connection.
 * A story's files on this host are only a copy of its latest snapshot (story-replica.ts).
 */
import { mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type pg from 'pg';
import { notifyStoryEvent } from '../storage/story-events.js';
import { type StoryCatalog, storyExists, storyGone, storyLimit } from './story-catalog.js';
import { parseStoryId, serverStory } from './story.js';

/** Serialises story creation per server, so two replicas cannot both make the server's last allowed story. */
const OWNER_LOCK = "hashtextextended('story-owner:' || $1, 0)";

export class PostgresStoryCatalog implements StoryCatalog {
  private byOwner = new Map<string, Set<string>>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly dataDir: string,
  ) {}

  async refresh(owner: string): Promise<void> {
    const { rows } = await this.pool.query<{ name: string }>('SELECT name FROM stories WHERE owner = $1', [owner]);
    this.byOwner.set(owner, new Set(rows.map((row) => row.name)));
  }

  /** Rereads every story (at start, and after missing events). */
  async refreshAll(): Promise<void> {
    const { rows } = await this.pool.query<{ owner: string; name: string }>('SELECT owner, name FROM stories');
    const byOwner = new Map<string, Set<string>>();
    for (const { owner, name } of rows) byOwner.set(owner, (byOwner.get(owner) ?? new Set()).add(name));
    this.byOwner = byOwner;
  }

  /** Another replica made or deleted a story: the list follows, and a deleted story's files here go. */
  async noted(event: 'created' | 'deleted', storyId: string): Promise<void> {
    const { owner, name } = parseStoryId(storyId);
    if (event === 'created') this.remember(owner, name);
    else {
      this.byOwner.get(owner)?.delete(name);
      await this.removeFiles(owner, name);
    }
  }

  has(owner: string, name: string): boolean {
    return this.byOwner.get(owner)?.has(name) ?? false;
  }

  names(owner: string): string[] {
    return [...(this.byOwner.get(owner) ?? [])].sort();
  }

  owners(): string[] {
    return [...this.byOwner].filter(([, names]) => names.size > 0).map(([owner]) => owner).sort();
  }

  async add(owner: string, name: string, maxPerServer: number): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT pg_advisory_xact_lock(${OWNER_LOCK})`, [owner]);
      const { rows } = await client.query<{ count: number }>('SELECT count(*)::int AS count FROM stories WHERE owner = $1', [owner]);
      if ((rows[0]?.count ?? 0) >= maxPerServer) throw storyLimit(maxPerServer);
      const id = `${owner}/${name}`;
      const inserted = await client.query('INSERT INTO stories (id, owner, name, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING', [id, owner, name, Date.now()]);
      if (inserted.rowCount !== 1) throw storyExists(name);
      await client.query(`SELECT ${notifyStoryEvent("json_build_object('event', 'created', 'story', $1::text)")}`, [id]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    // Whatever an earlier story of that name left on this host is not this one's.
    await this.removeFiles(owner, name);
    await mkdir(serverStory(this.dataDir, owner, name).corpusDir, { recursive: true });
    this.remember(owner, name);
  }

  async remove(owner: string, name: string): Promise<void> {
    const id = `${owner}/${name}`;
    // Its snapshots go with it (ON DELETE CASCADE); the notification goes out when the row is gone.
    const { rowCount } = await this.pool.query(
      `WITH gone AS (DELETE FROM stories WHERE id = $1 RETURNING id) SELECT ${notifyStoryEvent("json_build_object('event', 'deleted', 'story', id)")} FROM gone`,
      [id],
    );
    if (rowCount !== 1) throw storyGone(id);
    this.byOwner.get(owner)?.delete(name);
    await this.removeFiles(owner, name);
  }

  private remember(owner: string, name: string): void {
    this.byOwner.set(owner, (this.byOwner.get(owner) ?? new Set()).add(name));
  }

  private async removeFiles(owner: string, name: string): Promise<void> {
    await rm(dirname(serverStory(this.dataDir, owner, name).corpusDir), { recursive: true, force: true });
  }
}
