import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { captureLogs } from '../../tests/support/log-capture.js';
import { withTempDir } from '../../tests/support/temp-dir.js';
import { HISTORY_FILE, HistoryStore } from './history-store.js';

const question = (answerId: string, askedAt: number, answered = true) => ({
  answerId,
  askedAt,
  guildId: '100000000000000001',
  storyId: '100000000000000001/election',
  question: `question ${answerId}`,
  answered,
  buildId: 'build-1',
  passages: answered ? [{ id: 'a#3', score: 0.54 }] : [],
});

describe('HistoryStore', () => {
  it('creates the schema in WAL mode, records questions after the current work, and keeps one changeable vote per member', () =>
    withTempDir('history', async (dir) => {
      const store = HistoryStore.open(dir, captureLogs().logger);
      expect(store.status()).toEqual({ ok: true, path: join(dir, HISTORY_FILE) });
      store.recordQuestion(question('1', Date.now()));
      expect(store.database?.prepare('SELECT COUNT(*) AS n FROM questions').get()).toEqual({ n: 0 }); // not on the answer's path
      await new Promise((resolve) => setImmediate(resolve));
      expect(store.database?.prepare('SELECT question, answered, top_score, passages FROM questions').get()).toEqual({ question: 'question 1', answered: 1, top_score: 0.54, passages: '[{"id":"a#3","score":0.54}]' });
      expect(store.vote('1', 'hmac-sha256:aa', 1)).toEqual({ up: 1, down: 0 });
      expect(store.vote('1', 'hmac-sha256:bb', -1)).toEqual({ up: 1, down: 1 });
      expect(store.explainDownVote('1', 'hmac-sha256:bb', 'wrong-passage', 'it quoted the lead')).toBe(true);
      expect(store.explainDownVote('1', 'hmac-sha256:aa', 'outdated', undefined)).toBe(false); // aa voted up
      expect(store.vote('1', 'hmac-sha256:aa', -1)).toEqual({ up: 0, down: 2 });
      expect(store.vote('1', 'hmac-sha256:bb', 1)).toEqual({ up: 1, down: 1 }); // the reason goes with the 👎
      expect(store.database?.prepare("SELECT reason FROM votes WHERE member = 'hmac-sha256:bb'").get()).toEqual({ reason: null });
      expect(store.database?.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(store.database?.pragma('user_version', { simple: true })).toBe(2);
      store.close();
    }));

  it('purges rows older than the retention', () =>
    withTempDir('history', async (dir) => {
      const store = HistoryStore.open(dir, captureLogs().logger);
      const now = Date.now();
      store.recordQuestion(question('old', now - 91 * 86_400_000));
      store.recordQuestion(question('new', now));
      store.flush();
      store.vote('old', 'm', 1, now - 91 * 86_400_000);
      expect(store.purge(90, now)).toBe(2);
      expect(store.database?.prepare('SELECT answer_id FROM questions').all()).toEqual([{ answer_id: 'new' }]);
      store.close();
    }));

  it('moves a file that is not a database aside and starts a new one', () =>
    withTempDir('history', async (dir) => {
      await writeFile(join(dir, HISTORY_FILE), 'this is not a database, it is garbage '.repeat(200));
      const logs = captureLogs();
      const store = HistoryStore.open(dir, logs.logger);
      const status = store.status();
      expect(status).toMatchObject({ ok: true, movedAside: expect.stringContaining('history.db.damaged-') });
      expect(store.vote('1', 'm', 1)).toEqual({ up: 1, down: 0 });
      expect((await readdir(dir)).filter((name) => name.includes('damaged'))).toHaveLength(1);
      expect(logs.find('the history database was damaged; moved it aside and started a new one')).toHaveLength(1);
      store.close();
    }));

  it('reports a database locked by another process instead of stalling, and keeps working afterwards', () =>
    withTempDir('history', async (dir) => {
      const store = HistoryStore.open(dir, captureLogs().logger);
      const other = new Database(join(dir, HISTORY_FILE));
      other.exec('BEGIN EXCLUSIVE');
      const started = Date.now();
      expect(() => store.vote('1', 'm', 1)).toThrow(/locked|busy/i);
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(store.status()).toMatchObject({ ok: true, lastError: { reason: expect.stringMatching(/^SQLITE_BUSY/) } });
      other.exec('ROLLBACK');
      other.close();
      expect(store.vote('1', 'm', 1)).toEqual({ up: 1, down: 0 });
      store.close();
    }));
});
