/**
 * @module sqlite-history: the history in an embedded SQLite file (`DATA_DIR/history.db`), the
 * default on one host. A damaged file is moved aside and a new one made; a lock held elsewhere is
 * waited for briefly, then reported, never stalling the answers.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Logger } from '../logger.js';
import type { AskedQuestion, AskedRow, GapsRows, GapsScope, HistoryStatus, HistoryStore, RecordedAnswer, VoteCounts, VoteReason, VoteRow } from './history-store.js';
import { OPERATOR_STORY_ID } from '../stories/story.js';
import { describeFailure as describe, isDamaged, moveAside, openSqlite } from '../storage/sqlite.js';

export const HISTORY_FILE = 'history.db';
/** A lock held elsewhere is waited for this long; longer would stall the event loop that answers. */
const BUSY_TIMEOUT_MS = 200;
const DAY_MS = 86_400_000;

/**
 * Schema versions, applied in order inside one transaction each; `PRAGMA user_version` records
 * how far a file has come. Add a step; never edit one that shipped.
 */
export const HISTORY_MIGRATIONS: readonly string[] = [
  `CREATE TABLE questions (
     answer_id TEXT PRIMARY KEY,
     asked_at INTEGER NOT NULL,
     guild_id TEXT,
     question TEXT NOT NULL,
     answered INTEGER NOT NULL,
     build_id TEXT NOT NULL,
     top_score REAL,
     passages TEXT NOT NULL
   );
   CREATE INDEX questions_asked_at ON questions (asked_at);
   CREATE TABLE votes (
     answer_id TEXT NOT NULL,
     member TEXT NOT NULL,
     vote INTEGER NOT NULL CHECK (vote IN (-1, 1)),
     reason TEXT,
     note TEXT,
     voted_at INTEGER NOT NULL,
     PRIMARY KEY (answer_id, member)
   );
   CREATE INDEX votes_voted_at ON votes (voted_at);`,
  // Stories: rows from before them were all asked of the operator's story.
  `ALTER TABLE questions ADD COLUMN story_id TEXT NOT NULL DEFAULT '${OPERATOR_STORY_ID}';
   CREATE INDEX questions_story ON questions (story_id, asked_at);`,
];

interface Statements {
  insertQuestion: Database.Statement<[string, number, string | null, string, string, number, string, number | null, string]>;
  upsertVote: Database.Statement<[string, string, number, number]>;
  setReason: Database.Statement<[string, string | null, string, string]>;
  counts: Database.Statement<[string], VoteCounts>;
  answerOf: Database.Statement<[string], { question: string; guildId: string | null; storyId: string }>;
  forgetVotes: Database.Statement<[string]>;
  forgetQuestions: Database.Statement<[string]>;
  purgeQuestions: Database.Statement<[number]>;
  purgeVotes: Database.Statement<[number]>;
}

export class SqliteHistory implements HistoryStore {
  private db: Database.Database | undefined;
  private statements: Statements | undefined;
  private failure: string | undefined;
  /** The last write or read that failed on an open database (a lock held elsewhere, a full disk). */
  private lastError: { at: number; reason: string } | undefined;
  private movedAside: string | undefined;
  private readonly pending: AskedQuestion[] = [];
  private flushScheduled = false;

  private constructor(
    readonly path: string,
    private readonly logger: Logger,
  ) {}

  /** Opens (or creates, or replaces a damaged) `DATA_DIR/history.db`; never throws. */
  static open(dataDir: string, logger: Logger): SqliteHistory {
    const store = new SqliteHistory(join(dataDir, HISTORY_FILE), logger);
    store.connect(dataDir);
    return store;
  }

  private connect(dataDir: string): void {
    try {
      mkdirSync(dataDir, { recursive: true });
      try {
        this.db = openSqlite(this.path, HISTORY_MIGRATIONS, BUSY_TIMEOUT_MS);
      } catch (error) {
        if (!isDamaged(error)) throw error;
        this.movedAside = moveAside(this.path);
        this.logger.error({ err: error, movedTo: this.movedAside }, 'the history database was damaged; moved it aside and started a new one');
        this.db = openSqlite(this.path, HISTORY_MIGRATIONS, BUSY_TIMEOUT_MS);
      }
      this.statements = this.prepare(this.db);
    } catch (error) {
      this.fail(error, 'could not open the history database; answering goes on without it');
    }
  }

  private prepare(db: Database.Database): Statements {
    return {
      insertQuestion: db.prepare(
        'INSERT OR REPLACE INTO questions (answer_id, asked_at, guild_id, story_id, question, answered, build_id, top_score, passages) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      upsertVote: db.prepare(
        'INSERT INTO votes (answer_id, member, vote, voted_at) VALUES (?, ?, ?, ?) ON CONFLICT (answer_id, member) DO UPDATE SET vote = excluded.vote, voted_at = excluded.voted_at, reason = CASE WHEN excluded.vote = 1 THEN NULL ELSE reason END, note = CASE WHEN excluded.vote = 1 THEN NULL ELSE note END',
      ),
      setReason: db.prepare('UPDATE votes SET reason = ?, note = ? WHERE answer_id = ? AND member = ? AND vote = -1'),
      counts: db.prepare('SELECT COALESCE(SUM(vote = 1), 0) AS up, COALESCE(SUM(vote = -1), 0) AS down FROM votes WHERE answer_id = ?'),
      answerOf: db.prepare('SELECT question, guild_id AS guildId, story_id AS storyId FROM questions WHERE answer_id = ?'),
      forgetVotes: db.prepare('DELETE FROM votes WHERE answer_id IN (SELECT answer_id FROM questions WHERE story_id = ?)'),
      forgetQuestions: db.prepare('DELETE FROM questions WHERE story_id = ?'),
      purgeQuestions: db.prepare('DELETE FROM questions WHERE asked_at < ?'),
      purgeVotes: db.prepare('DELETE FROM votes WHERE voted_at < ?'),
    };
  }

  private fail(error: unknown, message: string): void {
    this.failure = describe(error);
    this.logger.error({ err: error, path: this.path }, message);
  }

  /** Runs a database operation, remembering a failure for status() before passing it on. */
  private attempt<T>(operation: () => T): T {
    try {
      return operation();
    } catch (error) {
      this.lastError = { at: Date.now(), reason: describe(error) };
      throw error;
    }
  }

  /** The database to use, or a thrown explanation when it is unavailable. */
  private use(): Statements {
    if (this.statements === undefined) throw new Error(`the history database is unavailable (${this.failure ?? 'closed'})`);
    return this.statements;
  }

  status(): HistoryStatus {
    if (this.statements === undefined) return { ok: false, reason: this.failure ?? 'closed' };
    return {
      ok: true,
      path: this.path,
      ...(this.movedAside === undefined ? {} : { movedAside: this.movedAside }),
      ...(this.lastError === undefined ? {} : { lastError: this.lastError }),
    };
  }

  recordQuestion(question: AskedQuestion): void {
    this.pending.push(question);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flushNow());
  }

  flush(): Promise<void> {
    this.flushNow();
    return Promise.resolve();
  }

  private flushNow(): void {
    this.flushScheduled = false;
    const batch = this.pending.splice(0);
    if (batch.length === 0 || this.db === undefined) return;
    try {
      const { insertQuestion } = this.use();
      const db = this.db;
      this.attempt(() => db.transaction(() => {
        for (const q of batch) {
          insertQuestion.run(q.answerId, q.askedAt, q.guildId ?? null, q.storyId, q.question, q.answered ? 1 : 0, q.buildId, q.passages[0]?.score ?? null, JSON.stringify(q.passages));
        }
      })());
    } catch (error) {
      this.logger.error({ err: error, questions: batch.length }, 'could not record questions in the history database');
    }
  }

  async vote(answerId: string, member: string, vote: 1 | -1, now = Date.now()): Promise<VoteCounts> {
    const { upsertVote, counts } = this.use();
    return this.attempt(() => {
      upsertVote.run(answerId, member, vote, now);
      return counts.get(answerId) ?? { up: 0, down: 0 };
    });
  }

  async explainDownVote(answerId: string, member: string, reason: VoteReason, note: string | undefined): Promise<boolean> {
    const { setReason } = this.use();
    return this.attempt(() => setReason.run(reason, note ?? null, answerId, member).changes > 0);
  }

  async answerOf(answerId: string): Promise<RecordedAnswer | undefined> {
    try {
      this.flushNow();
      const row = this.use().answerOf.get(answerId);
      return row === undefined ? undefined : { question: row.question, guildId: row.guildId ?? undefined, storyId: row.storyId };
    } catch (error) {
      this.logger.error({ err: error }, 'could not read the history database');
      return undefined;
    }
  }

  async forgetStory(storyId: string): Promise<number> {
    this.flushNow();
    const { forgetVotes, forgetQuestions } = this.use();
    const db = this.db;
    if (db === undefined) return 0;
    return this.attempt(() => db.transaction(() => forgetVotes.run(storyId).changes + forgetQuestions.run(storyId).changes)());
  }

  async counts(answerId: string): Promise<VoteCounts> {
    return this.use().counts.get(answerId) ?? { up: 0, down: 0 };
  }

  async purge(days: number, now = Date.now()): Promise<number> {
    try {
      const { purgeQuestions, purgeVotes } = this.use();
      const before = now - days * DAY_MS;
      return purgeQuestions.run(before).changes + purgeVotes.run(before).changes;
    } catch (error) {
      this.logger.error({ err: error }, 'could not purge old history');
      return 0;
    }
  }

  async gapsRows({ storyId, guildId, since, limit, weakScore }: GapsScope): Promise<GapsRows> {
    this.flushNow();
    const db = this.db;
    this.use();
    if (db === undefined) throw new Error('the history database is closed');
    const scope = ` AND q.story_id = @story${guildId === undefined ? '' : ' AND q.guild_id = @guild'}`;
    const parameters = { since, story: storyId, guild: guildId ?? null, limit, weak: weakScore };
    const asked = (condition: string): AskedRow[] =>
      db.prepare(`SELECT question, asked_at AS askedAt FROM questions q WHERE ${condition} AND asked_at >= @since${scope} ORDER BY asked_at DESC LIMIT @limit`).all(parameters) as AskedRow[];
    const count = db.prepare(`SELECT COUNT(*) AS n FROM questions q WHERE asked_at >= @since${scope}`).get(parameters) as { n: number };
    const votes = db
      .prepare(
        `SELECT q.answer_id AS answerId, q.question AS question, v.vote AS vote, v.reason AS reason, v.note AS note, v.voted_at AS votedAt
         FROM votes v JOIN questions q ON q.answer_id = v.answer_id
         WHERE v.voted_at >= @since${scope}
         ORDER BY v.voted_at DESC`,
      )
      .all(parameters) as VoteRow[];
    return { questions: count.n, declined: asked('answered = 0'), weak: asked('answered = 1 AND top_score < @weak'), votes };
  }

  /** For tests and tools that look at the file itself; undefined when the database is unavailable. */
  get database(): Database.Database | undefined {
    return this.statements === undefined ? undefined : this.db;
  }

  async close(): Promise<void> {
    this.flushNow();
    this.db?.close();
    this.db = undefined;
    this.statements = undefined;
    this.failure ??= 'closed';
  }
}
