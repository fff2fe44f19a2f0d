/**
 * @module history-store: what the bot learns from its use: the questions asked and how they were
 * answered, and members' votes on the answers. Member ids arrive already hashed (member-id.ts); no
 * message content but the question is kept. Two engines keep it: an embedded SQLite file (one host,
 * no setup) and PostgreSQL (every replica shares it). A failing database never stops the bot: writes
 * are refused or logged, `status()` says why, and answering goes on.
 */

export interface ShownPassage {
  id: string;
  score: number;
}

export interface AskedQuestion {
  /** The answer's id (the interaction that asked); votes refer to it. */
  answerId: string;
  askedAt: number;
  guildId: string | undefined;
  /** The story it was asked of. */
  storyId: string;
  question: string;
  answered: boolean;
  buildId: string;
  passages: readonly ShownPassage[];
}

export const VOTE_REASONS = ['wrong-passage', 'not-in-story', 'outdated', 'other'] as const;
export type VoteReason = (typeof VOTE_REASONS)[number];

/** Where an answer was given and to what question. */
export interface RecordedAnswer {
  question: string;
  guildId: string | undefined;
  storyId: string;
}

export interface VoteCounts {
  up: number;
  down: number;
}

export type HistoryStatus =
  | { ok: true; path: string; movedAside?: string; lastError?: { at: number; reason: string } }
  | { ok: false; reason: string };

/** One answer's question rows and votes, for the gaps report (newest first, at most `limit` each). */
export interface GapsScope {
  storyId: string;
  /** Only this server's questions; all servers when undefined. */
  guildId: string | undefined;
  since: number;
  limit: number;
  /** Answered questions whose best passage scored below this count as weak. */
  weakScore: number;
}

export interface AskedRow {
  question: string;
  askedAt: number;
}

export interface VoteRow {
  answerId: string;
  question: string;
  vote: number;
  reason: string | null;
  note: string | null;
  votedAt: number;
}

export interface GapsRows {
  /** Questions asked in the scope. */
  questions: number;
  declined: AskedRow[];
  weak: AskedRow[];
  votes: VoteRow[];
}

export interface HistoryStore {
  /** Whether the database works, and where it is (for /status); known without asking it. */
  status(): HistoryStatus;
  /**
   * Queues a question to be written after the current work (the answer) is done, in one write with
   * any others queued meanwhile. Never throws: a failure is logged.
   */
  recordQuestion(question: AskedQuestion): void;
  /** Writes the queued questions now (also done on close). Never throws. */
  flush(): Promise<void>;
  /** Stores a member's vote (replacing an earlier one) and returns the answer's counts; throws when the database is unavailable. */
  vote(answerId: string, member: string, vote: 1 | -1, now?: number): Promise<VoteCounts>;
  /** Adds the reason for a member's 👎; false when they have no 👎 on that answer (any more). */
  explainDownVote(answerId: string, member: string, reason: VoteReason, note: string | undefined): Promise<boolean>;
  /** The question an answer was given to, where and of which story, if recorded (what a follow-up continues after a restart); never throws. */
  answerOf(answerId: string): Promise<RecordedAnswer | undefined>;
  counts(answerId: string): Promise<VoteCounts>;
  /** Deletes a story's questions and the votes on its answers (the story was deleted); throws when the database is unavailable. */
  forgetStory(storyId: string): Promise<number>;
  /** Deletes questions and votes older than `days`; returns how many rows went. Never throws. */
  purge(days: number, now?: number): Promise<number>;
  /** What the gaps report is made from; throws when the database is unavailable. */
  gapsRows(scope: GapsScope): Promise<GapsRows>;
  close(): Promise<void>;
}
