import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, unlink, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeTempDir } from '../../tests/support/temp-dir.js';
import { REINDEX_LOCK_FILE, lockReindex, tryLockReindex, type ReindexLock } from './reindex-lock.js';

/** Runs `after` right after every fs call that can create or fill a file, to catch the lock in between states. */
const fsProbe = vi.hoisted(() => ({ after: undefined as (() => void) | undefined }));
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const probed = <A extends unknown[], R>(fn: (...args: A) => R) => (...args: A): R => {
    const result = fn(...args);
    fsProbe.after?.();
    return result;
  };
  const calls = { openSync: probed(real.openSync), writeSync: probed(real.writeSync), writeFileSync: probed(real.writeFileSync), linkSync: probed(real.linkSync), renameSync: probed(real.renameSync) };
  return { ...real, ...calls, default: { ...real, ...calls } };
});

/** A process that exists for as long as the test needs (its pid is live until it is killed). */
function liveProcess() {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    pid: child.pid ?? 0,
    async stop(): Promise<void> {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** The pid of a process that has exited (and been reaped), as a crashed rebuild leaves behind. */
function deadPid(): number {
  const pid = spawnSync(process.execPath, ['-e', '']).pid;
  if (!pid) throw new Error('could not start a process');
  return pid;
}

/** `fn`, run on the first call only (a hook runs again on every retry). */
function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}

const ownerOf = (pid: number): string => JSON.stringify({ pid, host: hostname(), startedAt: new Date().toISOString() });
const inProgress = expect.objectContaining({ code: 'REINDEX_IN_PROGRESS', message: expect.stringContaining('A reindex is already running') });

describe('reindex lock', () => {
  let dir: string;
  let count = 0;
  const indexDir = (): string => join(dir, `index-${(count += 1)}`);
  beforeAll(async () => {
    dir = await makeTempDir('reindex-lock');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  afterEach(() => {
    fsProbe.after = undefined;
  });

  it('lets one holder in at a time, naming it, and frees the folder on release', async () => {
    const folder = indexDir();
    const lock = tryLockReindex(folder);
    expect(JSON.parse(await readFile(join(folder, REINDEX_LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    expect(await readdir(folder)).toEqual([REINDEX_LOCK_FILE]); // no temp file left beside it
    expect(() => tryLockReindex(folder)).toThrow(expect.objectContaining({ code: 'REINDEX_IN_PROGRESS', message: expect.stringContaining(`process ${process.pid} on ${hostname()}`) }));
    lock.release();
    lock.release();
    expect(await readdir(folder)).toEqual([]);
    tryLockReindex(folder).release();
  });

  it('is held by a live process of another pid, and taken over once that process died', async () => {
    const folder = indexDir();
    const other = liveProcess();
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, REINDEX_LOCK_FILE), ownerOf(other.pid));
    expect(() => tryLockReindex(folder)).toThrow(expect.objectContaining({ code: 'REINDEX_IN_PROGRESS' }));
    await other.stop();
    const lock = tryLockReindex(folder);
    expect(JSON.parse(await readFile(join(folder, REINDEX_LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
  });

  it('respects a lock file without an owner while it is fresh (being written), and takes it over when old', async () => {
    const folder = indexDir();
    await mkdir(folder, { recursive: true });
    const path = join(folder, REINDEX_LOCK_FILE);
    await writeFile(path, '');
    expect(() => tryLockReindex(folder)).toThrow(expect.objectContaining({ code: 'REINDEX_IN_PROGRESS' }));
    const minuteAgo = new Date(Date.now() - 60_000);
    await utimes(path, minuteAgo, minuteAgo);
    tryLockReindex(folder).release();
  });

  it('waits for the holder to finish when asked to', async () => {
    const folder = indexDir();
    const first = tryLockReindex(folder);
    let waited = false;
    const second = lockReindex(folder, { pollMs: 20, onWait: () => (waited = true) });
    setTimeout(() => first.release(), 100);
    (await second).release();
    expect(waited).toBe(true);
  });

  // The races below are forced through the hooks, at the exact point between a verdict and the act on it.

  it('refuses a stale-lock takeover when another taker took the lock after the verdict', async () => {
    const folder = indexDir();
    const path = join(folder, REINDEX_LOCK_FILE);
    await mkdir(folder, { recursive: true });
    await writeFile(path, ownerOf(deadPid()));
    let c: ReindexLock | undefined;
    let cFile = '';
    const afterStaleCheck = once(() => {
      c = tryLockReindex(folder); // C judges the same lock stale and takes it over completely
      cFile = readFileSync(path, 'utf8');
    });
    expect(() => tryLockReindex(folder, { afterStaleCheck })).toThrow(inProgress);
    expect(c).toBeDefined();
    expect(readFileSync(path, 'utf8')).toBe(cFile); // B did not remove C's fresh lock
    c?.release();
    expect(existsSync(path)).toBe(false);
  });

  it('never removes a lock for having found the previous one gone: it tries again, and is refused if another took it', async () => {
    const folder = indexDir();
    const path = join(folder, REINDEX_LOCK_FILE);
    const a = tryLockReindex(folder);
    let c: ReindexLock | undefined;
    let cFile = '';
    const hooks = {
      onHeld: once(() => a.release()), // A's lock vanishes between B's attempt and B's look at it
      afterStaleCheck: once(() => {
        c = tryLockReindex(folder); // and C takes the lock before B acts on finding it gone
        cFile = readFileSync(path, 'utf8');
      }),
    };
    expect(() => tryLockReindex(folder, hooks)).toThrow(inProgress);
    expect(readFileSync(path, 'utf8')).toBe(cFile);
    c?.release();
    expect(existsSync(path)).toBe(false);

    // Found gone with nobody else taking it: the retry takes it.
    const d = tryLockReindex(folder);
    const e = tryLockReindex(folder, { onHeld: once(() => d.release()) });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid });
    e.release();
    expect(existsSync(path)).toBe(false);
  });

  it('keeps two holders in one process apart: only the lock\'s own holder removes it', async () => {
    const folder = indexDir();
    const path = join(folder, REINDEX_LOCK_FILE);
    const first = tryLockReindex(folder);
    expect(() => tryLockReindex(folder)).toThrow(inProgress); // same pid, still refused
    expect(existsSync(path)).toBe(true);
    first.release();

    const second = tryLockReindex(folder);
    const secondFile = readFileSync(path, 'utf8');
    first.release(); // a late release by an earlier holder
    expect(readFileSync(path, 'utf8')).toBe(secondFile);

    await unlink(path); // the lock removed behind its holder's back (by hand, say) and taken by another
    const third = tryLockReindex(folder);
    const thirdFile = readFileSync(path, 'utf8');
    second.release(); // same pid as the third holder, but not its lock
    expect(readFileSync(path, 'utf8')).toBe(thirdFile);
    third.release();
    expect(existsSync(path)).toBe(false);
  });

  it('never shows the lock file without a readable owner, taking a free lock or a stale one', async () => {
    const folder = indexDir();
    const path = join(folder, REINDEX_LOCK_FILE);
    const seen: string[] = [];
    fsProbe.after = () => {
      if (existsSync(path)) seen.push(readFileSync(path, 'utf8'));
    };
    tryLockReindex(folder).release();
    await writeFile(path, ownerOf(deadPid()));
    seen.length = 0;
    tryLockReindex(folder).release();
    fsProbe.after = undefined;
    expect(seen.length).toBeGreaterThan(0);
    for (const text of seen) expect(JSON.parse(text)).toMatchObject({ pid: expect.any(Number), host: hostname() });
  });

  it('does not break a stale lock while another taker is breaking it, unless that one crashed long ago', async () => {
    const folder = indexDir();
    const path = join(folder, REINDEX_LOCK_FILE);
    const breaker = `${path}.break`;
    await mkdir(folder, { recursive: true });
    await writeFile(path, ownerOf(deadPid()));
    await writeFile(breaker, 'someone else');
    expect(() => tryLockReindex(folder)).toThrow(inProgress);
    expect(existsSync(path)).toBe(true);
    const minuteAgo = new Date(Date.now() - 60_000);
    await utimes(breaker, minuteAgo, minuteAgo);
    tryLockReindex(folder).release();
    expect(await readdir(folder)).toEqual([]);
  });
});
