/**
 * @module postgres-history: the history in PostgreSQL, shared by every replica. A database that
 * cannot be reached fails the write or read at hand (logged, shown by /status); answering goes on.
 */
import type pg from 'pg';
import type { Logger } from '../logger.js';
import type { AskedQuestion, AskedRow, GapsRows, GapsScope, HistoryStatus, HistoryStore, RecordedAnswer, VoteCounts, VoteReason, VoteRow } from './history-store.js';

const DAY_MS = 86_400_000;
const COUNTS = "SELECT COUNT(*) FILTER (WHERE vote = 1) AS up, COUNT(*) FILTER (WHERE vote = -1) AS down FROM votes WHERE answer_id = $1";

export class PostgresHistory implements HistoryStore {
  private readonly pending: AskedQuestion[] = [];
  private flushScheduled = false;
  private lastError: { at: number; reason: string } | undefined;
  private closed = false;
  private writing: Promise<void> = Promise.resolve();

  /** `where` names the database for /status (no password). */
  constructor(
    private readonly pool: pg.Pool,
    private readonly where: string,
    private readonly logger: Logger,
  ) {}

  status(): HistoryStatus {
    if (this.closed) return { ok: false, reason: 'closed' };
    return { ok: true, path: this.where, ...(this.lastError === undefined ? {} : { lastError: this.lastError }) };
  }

  /** Runs a query, remembering a failure for status() before passing it on. */
  private async query<Row extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<pg.QueryResult<Row>> {
    if (this.closed) throw new Error('the history database is closed');
    try {
      return await this.pool.query<Row>(text, values);
    } catch (error) {
      this.lastError = { at: Date.now(), reason: error instanceof Error ? error.message : String(error) };
      throw error;
    }
  }

  recordQuestion(question: AskedQuestion): void {
    this.pending.push(question);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => void this.flush());
  }

  /** Resolves once every question queued so far is written, including a batch already on its way. */
  flush(): Promise<void> {
    this.flushScheduled = false;
    const batch = this.pending.splice(0);
    // Writes go one after another, so a flush waits for the one before it too.
    if (batch.length > 0) this.writing = this.writing.then(() => this.write(batch));
    return this.writing;
  }

  private async write(batch: AskedQuestion[]): Promise<void> {
    // One statement for the batch: columns as arrays, unnested into rows.
    const column = <T>(pick: (q: AskedQuestion) => T): T[] => batch.map(pick);
    try {
      await this.query(
        `INSERT INTO questions (answer_id, asked_at, guild_id, story_id, question, answered, build_id, top_score, passages)
         SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::boolean[], $7::text[], $8::float8[], $9::jsonb[])
         ON CONFLICT (answer_id) DO UPDATE SET asked_at = excluded.asked_at, guild_id = excluded.guild_id, story_id = excluded.story_id,
           question = excluded.question, answered = excluded.answered, build_id = excluded.build_id, top_score = excluded.top_score, passages = excluded.passages`,
        [
          column((q) => q.answerId),
          column((q) => q.askedAt),
          column((q) => q.guildId ?? null),
          column((q) => q.storyId),
          column((q) => q.question),
          column((q) => q.answered),
          column((q) => q.buildId),
          column((q) => q.passages[0]?.score ?? null),
          column((q) => JSON.stringify(q.passages)),
        ],
      );
    } catch (error) {
      this.logger.error({ err: error, questions: batch.length }, 'could not record questions in the history database');
    }
  }

  async vote(answerId: string, member: string, vote: 1 | -1, now = Date.now()): Promise<VoteCounts> {
    await this.query(
      `INSERT INTO votes (answer_id, member, vote, voted_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (answer_id, member) DO UPDATE SET vote = excluded.vote, voted_at = excluded.voted_at,
         reason = CASE WHEN excluded.vote = 1 THEN NULL ELSE votes.reason END, note = CASE WHEN excluded.vote = 1 THEN NULL ELSE votes.note END`,
      [answerId, member, vote, now],
    );
    return this.counts(answerId);
  }

  async explainDownVote(answerId: string, member: string, reason: VoteReason, note: string | undefined): Promise<boolean> {
    const result = await this.query('UPDATE votes SET reason = $1, note = $2 WHERE answer_id = $3 AND member = $4 AND vote = -1', [reason, note ?? null, answerId, member]);
    return (result.rowCount ?? 0) > 0;
  }

  async answerOf(answerId: string): Promise<RecordedAnswer | undefined> {
    try {
      await this.flush();
      const { rows } = await this.query<{ question: string; guild_id: string | null; story_id: string }>('SELECT question, guild_id, story_id FROM questions WHERE answer_id = $1', [answerId]);
      const row = rows[0];
      return row === undefined ? undefined : { question: row.question, guildId: row.guild_id ?? undefined, storyId: row.story_id };
    } catch (error) {
      this.logger.error({ err: error }, 'could not read the history database');
      return undefined;
    }
  }

  async counts(answerId: string): Promise<VoteCounts> {
    const { rows } = await this.query<VoteCounts>(COUNTS, [answerId]);
    return rows[0] ?? { up: 0, down: 0 };
  }

  async forgetStory(storyId: string): Promise<number> {
    await this.flush();
    const { rows } = await this.query<{ removed: number }>(
      `WITH gone_votes AS (DELETE FROM votes WHERE answer_id IN (SELECT answer_id FROM questions WHERE story_id = $1) RETURNING 1),
            gone_questions AS (DELETE FROM questions WHERE story_id = $1 RETURNING 1)
       SELECT (SELECT COUNT(*) FROM gone_votes) + (SELECT COUNT(*) FROM gone_questions) AS removed`,
      [storyId],
    );
    return rows[0]?.removed ?? 0;
  }

  async purge(days: number, now = Date.now()): Promise<number> {
    try {
      const before = now - days * DAY_MS;
      const questions = await this.query('DELETE FROM questions WHERE asked_at < $1', [before]);
      const votes = await this.query('DELETE FROM votes WHERE voted_at < $1', [before]);
      return (questions.rowCount ?? 0) + (votes.rowCount ?? 0);
    } catch (error) {
      this.logger.error({ err: error }, 'could not purge old history');
      return 0;
    }
  }

  async gapsRows({ storyId, guildId, since, limit, weakScore }: GapsScope): Promise<GapsRows> {
    await this.flush();
    // $1 story, $2 server (null: every server), $3 since, $4 limit, $5 weak score.
    const scope = 'q.story_id = $1 AND ($2::text IS NULL OR q.guild_id = $2)';
    const values = [storyId, guildId ?? null, since, limit];
    const asked = async (condition: string, extra: unknown[] = []): Promise<AskedRow[]> =>
      (await this.query<AskedRow>(`SELECT question, asked_at AS "askedAt" FROM questions q WHERE ${condition} AND asked_at >= $3 AND ${scope} ORDER BY asked_at DESC LIMIT $4`, [...values, ...extra])).rows;
    const [count, declined, weak, votes] = await Promise.all([
      this.query<{ n: number }>(`SELECT COUNT(*) AS n FROM questions q WHERE asked_at >= $3 AND ${scope}`, values.slice(0, 3)),
      asked('NOT answered'),
      asked('answered AND top_score < $5', [weakScore]),
      this.query<VoteRow>(
        `SELECT q.answer_id AS "answerId", q.question, v.vote, v.reason, v.note, v.voted_at AS "votedAt"
         FROM votes v JOIN questions q ON q.answer_id = v.answer_id
         WHERE v.voted_at >= $3 AND ${scope} ORDER BY v.voted_at DESC`,
        values.slice(0, 3),
      ),
    ]);
    return { questions: count.rows[0]?.n ?? 0, declined, weak, votes: votes.rows };
  }

  /** Writes what is queued; the pool is the storage's to close. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }
}
