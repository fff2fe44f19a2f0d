/**
 * @module story-snapshots: a story's files (its corpus and its live index build) as immutable,
 * numbered snapshots in PostgreSQL, so a replica needs nothing but DATABASE_URL to serve any story.
 * A snapshot is written in one transaction that also moves the story's head to it and notifies the
 * other replicas, so none ever sees half of one; the head before it is kept for replicas still
 * downloading it, older ones are dropped.
 */
import type pg from 'pg';
import { notifyStoryEvent } from './story-events.js';

/** Rows of this size keep any one value far below PostgreSQL's 1 GB limit and the memory of a query modest. */
const CHUNK_BYTES = 1024 * 1024;

export interface SnapshotHead {
  /** Grows with every snapshot of every story: a story deleted and made again never repeats one. */
  id: number;
  buildId: string;
  articles: number;
  passages: number;
}

/** One file of a snapshot: `corpus/<file>` or `index/<file of the build>`. */
export interface SnapshotFile {
  path: string;
  data: Buffer;
}

export class StorySnapshots {
  constructor(private readonly pool: pg.Pool) {}

  /** The snapshot the story is served from, or undefined while it has none (no article yet). */
  async head(storyId: string): Promise<SnapshotHead | undefined> {
    return (await this.heads([storyId])).get(storyId);
  }

  async heads(storyIds: readonly string[]): Promise<Map<string, SnapshotHead>> {
    const { rows } = await this.pool.query<SnapshotHead & { storyId: string }>(
      `SELECT h.story_id AS "storyId", s.id, s.build_id AS "buildId", s.articles, s.passages
         FROM story_heads h JOIN story_snapshots s ON s.id = h.snapshot_id WHERE h.story_id = ANY($1::text[])`,
      [storyIds],
    );
    return new Map(rows.map(({ storyId, ...head }) => [storyId, head]));
  }

  /**
   * Stores the files as the story's new snapshot and makes it the head, in one transaction that
   * notifies every replica when it commits; fails (a foreign key) if the story was deleted meanwhile.
   */
  async publish(storyId: string, head: Omit<SnapshotHead, 'id'>, files: readonly SnapshotFile[]): Promise<SnapshotHead> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const bytes = files.reduce((sum, file) => sum + file.data.byteLength, 0);
      const { rows } = await client.query<{ id: number }>(
        'INSERT INTO story_snapshots (story_id, build_id, articles, passages, bytes, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
        [storyId, head.buildId, head.articles, head.passages, bytes, Date.now()],
      );
      const id = Number(rows[0]?.id);
      for (const file of files) {
        for (let seq = 0, offset = 0; seq === 0 || offset < file.data.byteLength; seq += 1, offset += CHUNK_BYTES) {
          await client.query('INSERT INTO story_snapshot_chunks (snapshot_id, path, seq, data) VALUES ($1, $2, $3, $4)', [id, file.path, seq, file.data.subarray(offset, offset + CHUNK_BYTES)]);
        }
      }
      const previous = await client.query<{ snapshot_id: number }>('SELECT snapshot_id FROM story_heads WHERE story_id = $1 FOR UPDATE', [storyId]);
      await client.query('INSERT INTO story_heads (story_id, snapshot_id) VALUES ($1, $2) ON CONFLICT (story_id) DO UPDATE SET snapshot_id = excluded.snapshot_id', [storyId, id]);
      const kept = previous.rows[0]?.snapshot_id ?? id;
      await client.query('DELETE FROM story_snapshots WHERE story_id = $1 AND id < $2', [storyId, kept]);
      await client.query(`SELECT ${notifyStoryEvent("json_build_object('event', 'published', 'story', $1::text, 'snapshot', $2::bigint)")}`, [storyId, id]);
      await client.query('COMMIT');
      return { id, ...head };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** A snapshot's files, read in one statement (so all from one moment); undefined if it has been dropped. */
  async files(snapshotId: number): Promise<SnapshotFile[] | undefined> {
    const { rows } = await this.pool.query<{ path: string; data: Buffer | null }>(
      `SELECT c.path, c.data FROM story_snapshots s LEFT JOIN story_snapshot_chunks c ON c.snapshot_id = s.id WHERE s.id = $1 ORDER BY c.path, c.seq`,
      [snapshotId],
    );
    if (rows.length === 0) return undefined;
    const parts = new Map<string, Buffer[]>();
    for (const { path, data } of rows) {
      if (data === null) continue;
      const chunks = parts.get(path) ?? [];
      chunks.push(data);
      parts.set(path, chunks);
    }
    return [...parts].map(([path, chunks]) => ({ path, data: Buffer.concat(chunks) }));
  }
}
