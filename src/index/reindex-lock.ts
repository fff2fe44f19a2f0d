/**
 * @module reindex-lock: one rebuild of an index folder at a time, across processes (shards, the
 * CLI, a single bot). The lock is a file created exclusively in INDEX_DIR holding the owner's pid;
 * a lock left by a process that died is taken over rather than blocking rebuilds forever.
 */
import { closeSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { AppError, ErrorCodes } from '../errors.js';

export const REINDEX_LOCK_FILE = 'reindex.lock';

/** A lock file with no readable owner this old was left by a crash between creating and writing it. */
const UNREADABLE_LOCK_STALE_MS = 10_000;

interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
}

export interface ReindexLock {
  /** Removes the lock; safe to call twice. */
  release(): void;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(path: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockOwner>;
    return typeof owner.pid === 'number' && typeof owner.host === 'string' ? (owner as LockOwner) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the lock at `path` was left by a process that is gone (only knowable for this host's processes). */
function isStale(path: string): boolean {
  const owner = readOwner(path);
  if (owner === undefined) {
    try {
      return Date.now() - statSync(path).mtimeMs > UNREADABLE_LOCK_STALE_MS;
    } catch {
      return true; // removed meanwhile
    }
  }
  return owner.host === hostname() && !isAlive(owner.pid);
}

function removeIfPresent(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/**
 * Takes the lock at once or throws REINDEX_IN_PROGRESS. Synchronous on purpose: a caller can refuse
 * a second rebuild before it awaits anything, so two requests cannot both slip through.
 */
export function tryLockReindex(indexDir: string): ReindexLock {
  mkdirSync(indexDir, { recursive: true });
  const path = join(indexDir, REINDEX_LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (attempt === 0 && isStale(path)) {
        removeIfPresent(path);
        continue;
      }
      const owner = readOwner(path);
      const where = owner ? ` (process ${owner.pid} on ${owner.host}, since ${owner.startedAt})` : '';
      throw new AppError(ErrorCodes.REINDEX_IN_PROGRESS, `A reindex is already running${where}.`);
    }
    const owner: LockOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
    try {
      writeSync(fd, JSON.stringify(owner));
    } finally {
      closeSync(fd);
    }
    let released = false;
    return {
      release() {
        if (released) return;
        released = true;
        // Only our own lock: a stale-lock takeover by another process must not be undone by us.
        if (readOwner(path)?.pid === process.pid) removeIfPresent(path);
      },
    };
  }
  throw new AppError(ErrorCodes.REINDEX_IN_PROGRESS, 'A reindex is already running.');
}

/** Waits until the lock can be taken (another process is rebuilding), calling `onWait` once if it must wait. */
export async function lockReindex(indexDir: string, { pollMs = 200, onWait }: { pollMs?: number; onWait?: () => void } = {}): Promise<ReindexLock> {
  let waited = false;
  for (;;) {
    try {
      return tryLockReindex(indexDir);
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== ErrorCodes.REINDEX_IN_PROGRESS) throw error;
      if (!waited) onWait?.();
      waited = true;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }
}
