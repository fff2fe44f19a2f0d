/**
 * @module postgres: the shared database every replica uses when DATABASE_URL is set (node-postgres
 * pool). The schema is brought up to date at start by numbered migrations, under an advisory lock so
 * replicas starting together apply each step once; `schema_migrations` records the steps applied.
 */
import pg from 'pg';

/**
 * Schema versions, applied in order, each in its own transaction. Add a step; never edit one that
 * shipped. Times are milliseconds since 1970 (BIGINT), as in the SQLite engine.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  `CREATE TABLE questions (
     answer_id TEXT PRIMARY KEY,
     asked_at BIGINT NOT NULL,
     guild_id TEXT,
     story_id TEXT NOT NULL,
     question TEXT NOT NULL,
     answered BOOLEAN NOT NULL,
     build_id TEXT NOT NULL,
     top_score DOUBLE PRECISION,
     passages JSONB NOT NULL
   );
   CREATE INDEX questions_asked_at ON questions (asked_at);
   CREATE INDEX questions_story ON questions (story_id, asked_at);
   CREATE TABLE votes (
     answer_id TEXT NOT NULL,
     member TEXT NOT NULL,
     vote SMALLINT NOT NULL CHECK (vote IN (-1, 1)),
     reason TEXT,
     note TEXT,
     voted_at BIGINT NOT NULL,
     PRIMARY KEY (answer_id, member)
   );
   CREATE INDEX votes_voted_at ON votes (voted_at);
   CREATE TABLE channel_stories (
     guild_id TEXT NOT NULL,
     channel_id TEXT NOT NULL,
     story_id TEXT NOT NULL,
     PRIMARY KEY (guild_id, channel_id)
   );
   CREATE INDEX channel_stories_story ON channel_stories (story_id);
   CREATE TABLE guild_defaults (
     guild_id TEXT PRIMARY KEY,
     story_id TEXT NOT NULL
   );
   CREATE TABLE member_key (
     id SMALLINT PRIMARY KEY CHECK (id = 1),
     key BYTEA NOT NULL
   );`,
  // Servers' stories, and their files as immutable snapshots (corpus and index, in 1 MB chunks);
  // story_heads names the snapshot every replica serves.
  `CREATE TABLE stories (
     id TEXT PRIMARY KEY,
     owner TEXT NOT NULL,
     name TEXT NOT NULL,
     created_at BIGINT NOT NULL
   );
   CREATE INDEX stories_owner ON stories (owner);
   CREATE TABLE story_snapshots (
     id BIGSERIAL PRIMARY KEY,
     story_id TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
     build_id TEXT NOT NULL,
     articles INTEGER NOT NULL,
     passages INTEGER NOT NULL,
     bytes BIGINT NOT NULL,
     created_at BIGINT NOT NULL
   );
   CREATE INDEX story_snapshots_story ON story_snapshots (story_id, id);
   CREATE TABLE story_snapshot_chunks (
     snapshot_id BIGINT NOT NULL REFERENCES story_snapshots (id) ON DELETE CASCADE,
     path TEXT NOT NULL,
     seq INTEGER NOT NULL,
     data BYTEA NOT NULL,
     PRIMARY KEY (snapshot_id, path, seq)
   );
   CREATE TABLE story_heads (
     story_id TEXT PRIMARY KEY REFERENCES stories (id) ON DELETE CASCADE,
     snapshot_id BIGINT NOT NULL REFERENCES story_snapshots (id) ON DELETE CASCADE
   );`,
];

/** Any constant both the bot and its tools agree on: the key of the advisory lock migrations run under. */
const MIGRATION_LOCK = 0x5354_4f52; // "STOR"

/** BIGINT (times, counts) as a JavaScript number: every value here is far below 2^53. */
const BIGINT_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === BIGINT_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

/** The URL without its password, to show in logs and /status. */
export function describeDatabase(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.href;
  } catch {
    return 'postgres (DATABASE_URL)';
  }
}

/** Applies the migrations the database lacks; returns the steps applied now. */
export async function migrate(pool: pg.Pool, migrations: readonly string[] = POSTGRES_MIGRATIONS): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
    const { rows } = await client.query<{ version: number | null }>('SELECT MAX(version) AS version FROM schema_migrations');
    const current = rows[0]?.version ?? 0;
    for (const [k, step] of migrations.slice(current).entries()) {
      await client.query(step);
      await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [current + k + 1]);
    }
    await client.query('COMMIT');
    return Math.max(0, migrations.length - current);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** A pool on DATABASE_URL with the schema up to date; throws (naming the database, never its password) when it cannot be reached. */
export async function openPostgres(url: string, options: { maxConnections?: number } = {}): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString: url, types, max: options.maxConnections ?? 10, connectionTimeoutMillis: 5_000 });
  try {
    await migrate(pool);
    return pool;
  } catch (error) {
    await pool.end();
    throw new Error(`Could not open the database at ${describeDatabase(url)}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
