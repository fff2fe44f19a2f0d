/** What only the SQLite engine of the history has: a file in WAL mode, a damaged file replaced, a lock held elsewhere. (What both engines do: storage/storage.test.ts.) */
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { captureLogs } from '../../tests/support/log-capture.js';
import { withTempDir } from '../../tests/support/temp-dir.js';
import { HISTORY_FILE, SqliteHistory } from './sqlite-history.js';

describe('SqliteHistory', () => {
  it('keeps DATA_DIR/history.db in WAL mode at schema 2, written only after the current work', () =>
    withTempDir('history', async (dir) => {
      const store = SqliteHistory.open(dir, captureLogs().logger);
      expect(store.status()).toEqual({ ok: true, path: join(dir, HISTORY_FILE) });
      store.recordQuestion({ answerId: '1', askedAt: Date.now(), guildId: undefined, storyId: 'operator/shared', question: 'q', answered: true, buildId: 'b', passages: [{ id: 'a#3', score: 0.54 }] });
      expect(store.database?.prepare('SELECT COUNT(*) AS n FROM questions').get()).toEqual({ n: 0 }); // not on the answer's path
      await new Promise((resolve) => setImmediate(resolve));
      expect(store.database?.prepare('SELECT answered, top_score, passages FROM questions').get()).toEqual({ answered: 1, top_score: 0.54, passages: '[{"id":"a#3","score":0.54}]' });
      expect(store.database?.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(store.database?.pragma('user_version', { simple: true })).toBe(2);
      await store.close();
    }));

  it('moves a file that is not a database aside and starts a new one', () =>
    withTempDir('history', async (dir) => {
      await writeFile(join(dir, HISTORY_FILE), 'this is not a database, it is garbage '.repeat(200));
      const logs = captureLogs();
      const store = SqliteHistory.open(dir, logs.logger);
      const status = store.status();
      expect(status).toMatchObject({ ok: true, movedAside: expect.stringContaining('history.db.damaged-') });
      expect(await store.vote('1', 'm', 1)).toEqual({ up: 1, down: 0 });
      expect((await readdir(dir)).filter((name) => name.includes('damaged'))).toHaveLength(1);
      expect(logs.find('the history database was damaged; moved it aside and started a new one')).toHaveLength(1);
      await store.close();
    }));

  it('reports a database locked by another process instead of stalling, and keeps working afterwards', () =>
    withTempDir('history', async (dir) => {
      const store = SqliteHistory.open(dir, captureLogs().logger);
      const other = new Database(join(dir, HISTORY_FILE));
      other.exec('BEGIN EXCLUSIVE');
      const started = Date.now();
      await expect(store.vote('1', 'm', 1)).rejects.toThrow(/locked|busy/i);
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(store.status()).toMatchObject({ ok: true, lastError: { reason: expect.stringMatching(/^SQLITE_BUSY/) } });
      other.exec('ROLLBACK');
      other.close();
      expect(await store.vote('1', 'm', 1)).toEqual({ up: 1, down: 0 });
      await store.close();
    }));
});
