/**
 * @module reindex-lock: one rebuild of an index folder at a time, across processes (shards, the
 * CLI, a single bot) and across holders within one process. The lock is a file in INDEX_DIR naming
 * its owner; a lock left by a process that died is taken over rather than blocking rebuilds forever.
 *
 * No step checks then acts unguarded: the lock appears complete or not at all (written to a temp
 * file, then hard-linked into place, which fails if a lock exists); a stale lock is broken only
 * under a short-lived "breaker" file, re-checked there, so two takers cannot act on one verdict;
 * and a holder releases only the file carrying its own random token (pids are shared by threads).
 */
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { AppError, ErrorCodes } from '../errors.js';

export const REINDEX_LOCK_FILE = 'reindex.lock';

/** Held while breaking a stale lock; named after the lock so it stays out of the index's way. */
const BREAKER_SUFFIX = '.break';

/** A lock file with no readable owner this old is broken (locks are never published unreadable; this covers damage). */
const UNREADABLE_LOCK_STALE_MS = 10_000;

/** The breaker is held for a few file operations, so one this old was left by a crash. */
const ABANDONED_BREAKER_MS = 5_000;

/** Attempts before refusing when the lock keeps changing hands under us. */
const MAX_ATTEMPTS = 3;

interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
  /** Tells this holder's lock from any other, including others in the same process. */
  token?: string; // absent in locks written by earlier versions
}

export interface ReindexLock {
  /** Removes the lock if it is still this holder's; safe to call twice. */
  release(): void;
}

/**
 * Test seams for forcing interleavings with other takers; production code passes none.
 * Each runs synchronously at the named point of a tryLockReindex call.
 */
export interface ReindexLockHooks {
  /** The lock was found taken, before its holder is looked at. */
  onHeld?: () => void;
  /** The holder was judged stale (or the lock found gone), before acting on that verdict. */
  afterStaleCheck?: () => void;
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

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(text) as Partial<LockOwner>;
    return typeof owner.pid === 'number' && typeof owner.host === 'string' ? (owner as LockOwner) : undefined;
  } catch {
    return undefined;
  }
}

function readOwner(path: string): LockOwner | undefined {
  try {
    return parseOwner(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Milliseconds since `path` was written; Infinity when it is gone. */
function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch (error) {
    if (isMissing(error)) return Number.POSITIVE_INFINITY;
    throw error;
  }
}

type LockState = { state: 'gone' } | { state: 'stale' } | { state: 'held'; owner?: LockOwner };

/** Who holds the lock at `path`; staleness is only knowable for this host's processes. */
function inspect(path: string): LockState {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (isMissing(error)) return { state: 'gone' };
    throw error;
  }
  const owner = parseOwner(text);
  if (owner === undefined) {
    const age = ageMs(path);
    if (age === Number.POSITIVE_INFINITY) return { state: 'gone' };
    return age > UNREADABLE_LOCK_STALE_MS ? { state: 'stale' } : { state: 'held' };
  }
  return owner.host === hostname() && !isAlive(owner.pid) ? { state: 'stale' } : { state: 'held', owner };
}

function removeIfPresent(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
}

/**
 * Creates `path` holding `content`, or returns false if it exists. Written aside and hard-linked
 * into place, so no reader ever sees it empty or half-written.
 */
function publish(path: string, content: string): boolean {
  const temp = `${path}.${randomUUID()}.tmp`;
  const fd = openSync(temp, 'wx');
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    removeIfPresent(temp);
  }
}

/** Removes `path` only if it still holds `token` (another holder's file must survive us). */
function removeIfOwn(path: string, token: string): void {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (isMissing(error)) return;
    throw error;
  }
  if (text === token || parseOwner(text)?.token === token) removeIfPresent(path);
}

/**
 * Removes the lock at `path` if, under the breaker, it is still stale: a verdict reached before
 * taking the breaker may be out of date (another taker may have replaced the lock since).
 * Returns false when the lock is held after all or someone else is breaking it now.
 */
function breakStaleLock(path: string): boolean {
  const breaker = `${path}${BREAKER_SUFFIX}`;
  const token = randomUUID();
  if (!publish(breaker, token)) {
    if (ageMs(breaker) <= ABANDONED_BREAKER_MS) return false;
    // Left by a crash mid-break. (Two takers clearing it at the very same moment could both end up
    // holding it; that needs a crash inside those few file operations first.)
    removeIfPresent(breaker);
    if (!publish(breaker, token)) return false;
  }
  try {
    const now = inspect(path);
    if (now.state === 'held') return false;
    if (now.state === 'stale') removeIfPresent(path);
    return true;
  } finally {
    removeIfOwn(breaker, token);
  }
}

function inProgress(owner: LockOwner | undefined): AppError {
  const where = owner ? ` (process ${owner.pid} on ${owner.host}, since ${owner.startedAt})` : '';
  return new AppError(ErrorCodes.REINDEX_IN_PROGRESS, `A reindex is already running${where}.`);
}

/**
 * Takes the lock at once or throws REINDEX_IN_PROGRESS. Synchronous on purpose: a caller can refuse
 * a second rebuild before it awaits anything, so two requests cannot both slip through.
 * `hooks` are test seams only (see ReindexLockHooks).
 */
export function tryLockReindex(indexDir: string, hooks: ReindexLockHooks = {}): ReindexLock {
  mkdirSync(indexDir, { recursive: true });
  const path = join(indexDir, REINDEX_LOCK_FILE);
  const token = randomUUID();
  const owner: LockOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), token };
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    if (publish(path, JSON.stringify(owner))) {
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          removeIfOwn(path, token);
        },
      };
    }
    hooks.onHeld?.();
    const found = inspect(path);
    if (found.state === 'held') throw inProgress(found.owner);
    hooks.afterStaleCheck?.();
    // A lock found gone is simply retried, never unlinked: whatever is there now is someone else's.
    if (found.state === 'stale' && !breakStaleLock(path)) throw inProgress(readOwner(path));
  }
  throw inProgress(readOwner(path));
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
