import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../tests/support/temp-dir.js';
import { REINDEX_LOCK_FILE, lockReindex, tryLockReindex } from './reindex-lock.js';

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

describe('reindex lock', () => {
  let dir: string;
  let count = 0;
  const indexDir = (): string => join(dir, `index-${(count += 1)}`);
  beforeAll(async () => {
    dir = await makeTempDir('reindex-lock');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('lets one holder in at a time, naming it, and frees the folder on release', async () => {
    const folder = indexDir();
    const lock = tryLockReindex(folder);
    expect(JSON.parse(await readFile(join(folder, REINDEX_LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    expect(() => tryLockReindex(folder)).toThrow(expect.objectContaining({ code: 'REINDEX_IN_PROGRESS', message: expect.stringContaining(`process ${process.pid} on ${hostname()}`) }));
    lock.release();
    lock.release();
    tryLockReindex(folder).release();
  });

  it('is held by a live process of another pid, and taken over once that process died', async () => {
    const folder = indexDir();
    const other = liveProcess();
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, REINDEX_LOCK_FILE), JSON.stringify({ pid: other.pid, host: hostname(), startedAt: new Date().toISOString() }));
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
});
