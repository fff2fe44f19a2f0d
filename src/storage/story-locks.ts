/**
 * @module story-locks: one change of a story at a time (a reindex, an article added or removed, a
 * deletion), across every process that could make one. On one host the lock is a file in the
 * story's index folder (index/reindex-lock.ts); across replicas it is a PostgreSQL advisory lock,
 * held by one connection: if its process dies, the server ends the session and the lock with it.
 */
import type pg from 'pg';
import { AppError, ErrorCodes } from '../errors.js';
import { lockReindex, tryLockReindex } from '../index/reindex-lock.js';
import type { Story } from '../stories/story.js';

export interface StoryLock {
  release(): Promise<void>;
}

export interface StoryLocks {
  /** The story's lock, or REINDEX_IN_PROGRESS when another process (or task) holds it. */
  tryLock(story: Story): Promise<StoryLock>;
  /** Waits for the story's lock, calling `onWait` once if another process holds it. */
  lock(story: Story, onWait?: () => void): Promise<StoryLock>;
}

/** Locks in the story's index folder: every process on this host sharing it. */
export const fileLocks: StoryLocks = {
  async tryLock(story) {
    const lock = tryLockReindex(story.indexDir);
    return { release: async () => lock.release() };
  },
  async lock(story, onWait) {
    const lock = await lockReindex(story.indexDir, onWait === undefined ? {} : { onWait });
    return { release: async () => lock.release() };
  },
};

/** The advisory lock key of a story: a 64-bit hash of its id, computed by the server. */
const KEY = "hashtextextended('story-change:' || $1, 0)";

/** Advisory locks in the shared database: every replica. */
export function advisoryLocks(pool: pg.Pool): StoryLocks {
  const hold = (client: pg.PoolClient, story: Story): StoryLock => {
    let released = false;
    return {
      async release() {
        if (released) return;
        released = true;
        try {
          await client.query(`SELECT pg_advisory_unlock(${KEY})`, [story.id]);
          client.release();
        } catch (error) {
          // A connection that failed is closed, which ends the lock too.
          client.release(error instanceof Error ? error : true);
        }
      },
    };
  };
  return {
    async tryLock(story) {
      const client = await pool.connect();
      try {
        const { rows } = await client.query<{ taken: boolean }>(`SELECT pg_try_advisory_lock(${KEY}) AS taken`, [story.id]);
        if (rows[0]?.taken === true) return hold(client, story);
      } catch (error) {
        client.release(error instanceof Error ? error : true);
        throw error;
      }
      client.release();
      throw new AppError(ErrorCodes.REINDEX_IN_PROGRESS, 'A reindex of this story is already running on another replica.');
    },
    async lock(story, onWait) {
      try {
        return await this.tryLock(story);
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== ErrorCodes.REINDEX_IN_PROGRESS) throw error;
      }
      onWait?.();
      const client = await pool.connect();
      try {
        await client.query(`SELECT pg_advisory_lock(${KEY})`, [story.id]);
        return hold(client, story);
      } catch (error) {
        client.release(error instanceof Error ? error : true);
        throw error;
      }
    },
  };
}
