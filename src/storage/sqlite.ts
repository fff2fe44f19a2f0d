/**
 * @module sqlite: the embedded database files the bot keeps in DATA_DIR (better-sqlite3): opened in
 * WAL mode, checked, and brought to the newest schema by numbered migrations.
 */
import { existsSync, renameSync } from 'node:fs';
import Database from 'better-sqlite3';

/** SQLite's codes for a file that is not a database, or a damaged one. */
const DAMAGED = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT', 'SQLITE_CORRUPT_VTAB', 'SQLITE_CORRUPT_INDEX']);

export function sqliteCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

export function isDamaged(error: unknown): boolean {
  return DAMAGED.has(sqliteCode(error) ?? '');
}

export function describeFailure(error: unknown): string {
  return `${sqliteCode(error) ?? 'error'}: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * Opens (or creates) the database at `path` and applies the `migrations` it lacks, in order, in one
 * transaction; `PRAGMA user_version` records how far a file has come. A migration that shipped is
 * never edited: a change is a new step.
 */
export function openSqlite(path: string, migrations: readonly string[], busyTimeoutMs: number): Database.Database {
  const db = new Database(path, { timeout: busyTimeoutMs });
  try {
    db.pragma('journal_mode = WAL');
    // With WAL, NORMAL loses no committed transaction when the process dies; only a power cut can.
    db.pragma('synchronous = NORMAL');
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw Object.assign(new Error(`quick_check: ${String(check)}`), { code: 'SQLITE_CORRUPT' });
    // Write-locked before the version is read: two processes starting at once (shards) cannot both apply a step.
    db.transaction(() => {
      const version = Number(db.pragma('user_version', { simple: true }));
      for (const [k, step] of migrations.slice(version).entries()) {
        db.exec(step);
        db.pragma(`user_version = ${version + k + 1}`);
      }
    }).immediate();
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Moves a damaged database (and its WAL files) aside, keeping it for inspection; returns the new name. */
export function moveAside(path: string): string {
  const aside = `${path}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  for (const suffix of ['', '-wal', '-shm']) if (existsSync(path + suffix)) renameSync(path + suffix, aside + suffix);
  return aside;
}
