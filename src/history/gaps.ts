/**
 * @module gaps: what the story does not cover yet, read from the history database: the questions
 * it declined, grouped by meaning (the same embedding model as the answers), the answers members
 * voted down and why, and questions answered only by weak passages. Each with counts and when it
 * was last seen, so an admin knows which article to add next.
 */
import type { Embedder } from '../embeddings/embedder.js';
import type { AskedRow, HistoryStore } from './history-store.js';

/**
 * Two questions this similar (cosine of their vectors) may ask for the same thing. With the default
 * model, rewordings of one question score 0.57-0.80 and unrelated questions under 0.40; but
 * questions built alike about different subjects score high too ("How did Iran react to the
 * proposal?" and "What did Israel say about the proposal?" 0.83), so subjects are compared as well.
 */
const SAME_QUESTION_SIMILARITY = 0.55;
/** An answer whose best passage scored below this (the ranker's probability) barely answered. */
export const WEAK_ANSWER_SCORE = 0.3;
/** Questions read per report: the most recent. */
const MAX_QUESTIONS = 2000;
const EXAMPLES = 3;

export interface QuestionGroup {
  /** The most frequent wording (the latest on a tie). */
  question: string;
  count: number;
  lastSeen: number;
  /** Other wordings, most recent first. */
  alsoAsked: string[];
}

export interface VotedDown {
  question: string;
  answerId: string;
  down: number;
  up: number;
  reasons: Record<string, number>;
  notes: string[];
  lastVoted: number;
}

export interface GapsReport {
  since: number;
  questions: number;
  declined: QuestionGroup[];
  votedDown: VotedDown[];
  weak: QuestionGroup[];
}

export interface GapsOptions {
  /** The story asked of: a report never mixes stories. */
  storyId: string;
  /** Only this server's questions; all servers when undefined. */
  guildId: string | undefined;
  since: number;
  limit: number;
  /** Whether the story mentions a word (any case); tells a question's missing subject apart. */
  storyKnows: (word: string) => boolean;
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let aa = 0;
  let bb = 0;
  for (let k = 0; k < a.length; k += 1) {
    const x = a[k] ?? 0;
    const y = b[k] ?? 0;
    dot += x * y;
    aa += x * x;
    bb += y * y;
  }
  return aa === 0 || bb === 0 ? 0 : dot / Math.sqrt(aa * bb);
}

/**
 * What a question asks about that the story lacks: the names in it (capitalised words after the
 * first) the story never mentions. "How did Iran react?" asks about Iran, which is the gap.
 */
export function missingSubjects(question: string, storyKnows: (word: string) => boolean): Set<string> {
  const words = question.match(/\p{L}[\p{L}\p{M}'’-]*/gu) ?? [];
  return new Set(
    words
      .slice(1)
      .filter((word) => /^\p{Lu}/u.test(word))
      .map((word) => word.replace(/['’]s$/u, ''))
      .filter((name) => !storyKnows(name)),
  );
}

interface Member {
  vector: Float32Array;
  subjects: ReadonlySet<string>;
}

/** Same gap: alike in meaning, and not about different things the story lacks. */
function sameGap(a: Member, b: Member): boolean {
  if (cosine(a.vector, b.vector) < SAME_QUESTION_SIMILARITY) return false;
  if (a.subjects.size === 0 || b.subjects.size === 0) return a.subjects.size === b.subjects.size;
  return [...a.subjects].some((subject) => b.subjects.has(subject));
}

/** Groups questions by meaning: each joins the first group holding a question that asks for the same thing. */
export async function groupQuestions(
  rows: readonly AskedRow[],
  embedder: Pick<Embedder, 'embedQuery'>,
  storyKnows: (word: string) => boolean,
  limit: number,
): Promise<QuestionGroup[]> {
  const groups: { members: Member[]; wordings: Map<string, { count: number; lastSeen: number }> }[] = [];
  for (const row of rows) {
    const member = { vector: await embedder.embedQuery(row.question), subjects: missingSubjects(row.question, storyKnows) };
    let group = groups.find((candidate) => candidate.members.some((other) => sameGap(other, member)));
    if (group === undefined) {
      group = { members: [], wordings: new Map() };
      groups.push(group);
    }
    group.members.push(member);
    const key = row.question.trim();
    const seen = group.wordings.get(key) ?? { count: 0, lastSeen: 0 };
    group.wordings.set(key, { count: seen.count + 1, lastSeen: Math.max(seen.lastSeen, row.askedAt) });
  }
  return groups
    .map(({ wordings }) => {
      const ranked = [...wordings].sort(([, a], [, b]) => b.count - a.count || b.lastSeen - a.lastSeen);
      return {
        question: ranked[0]?.[0] ?? '',
        count: ranked.reduce((sum, [, seen]) => sum + seen.count, 0),
        lastSeen: Math.max(...ranked.map(([, seen]) => seen.lastSeen)),
        alsoAsked: ranked.slice(1).sort(([, a], [, b]) => b.lastSeen - a.lastSeen).slice(0, EXAMPLES).map(([wording]) => wording),
      };
    })
    .sort((a, b) => b.count - a.count || b.lastSeen - a.lastSeen)
    .slice(0, limit);
}

export async function gapsReport(history: HistoryStore, embedder: Pick<Embedder, 'embedQuery'>, options: GapsOptions): Promise<GapsReport> {
  const rows = await history.gapsRows({ storyId: options.storyId, guildId: options.guildId, since: options.since, limit: MAX_QUESTIONS, weakScore: WEAK_ANSWER_SCORE });
  const votes = rows.votes;
  const byAnswer = new Map<string, VotedDown>();
  for (const row of votes) {
    const entry = byAnswer.get(row.answerId) ?? { question: row.question, answerId: row.answerId, down: 0, up: 0, reasons: {}, notes: [], lastVoted: 0 };
    if (row.vote < 0) {
      entry.down += 1;
      if (row.reason !== null) entry.reasons[row.reason] = (entry.reasons[row.reason] ?? 0) + 1;
      if (row.note !== null && entry.notes.length < EXAMPLES) entry.notes.push(row.note);
      entry.lastVoted = Math.max(entry.lastVoted, row.votedAt);
    } else entry.up += 1;
    byAnswer.set(row.answerId, entry);
  }
  const votedDown = [...byAnswer.values()]
    .filter((entry) => entry.down > 0)
    .sort((a, b) => b.down - a.down || b.lastVoted - a.lastVoted)
    .slice(0, options.limit);
  return {
    since: options.since,
    questions: rows.questions,
    declined: await groupQuestions(rows.declined, embedder, options.storyKnows, options.limit),
    votedDown,
    weak: await groupQuestions(rows.weak, embedder, options.storyKnows, options.limit),
  };
}

const REASON_NAMES: Readonly<Record<string, string>> = {
  'wrong-passage': 'wrong passage',
  'not-in-story': 'not in the story',
  outdated: 'outdated',
  other: 'other',
};

function day(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

function groupLines(groups: readonly QuestionGroup[]): string[] {
  if (groups.length === 0) return ['  none'];
  return groups.map((group, k) => {
    const also = group.alsoAsked.length === 0 ? '' : `; also asked as ${group.alsoAsked.map((q) => `"${q}"`).join(', ')}`;
    return `  ${k + 1}. "${group.question}" ×${group.count}, last ${day(group.lastSeen)}${also}`;
  });
}

/** The report as text: what `npm run gaps` prints and `/gaps` shows. */
export function formatGaps(report: GapsReport, days: number): string {
  const votedDown =
    report.votedDown.length === 0
      ? ['  none']
      : report.votedDown.map((entry, k) => {
          const reasons = Object.entries(entry.reasons).map(([reason, n]) => `${REASON_NAMES[reason] ?? reason} ×${n}`);
          const notes = entry.notes.map((note) => `"${note}"`);
          const why = [...reasons, ...notes].join('; ');
          return `  ${k + 1}. "${entry.question}" 👎 ${entry.down} 👍 ${entry.up}${why === '' ? '' : ` (${why})`}, last ${day(entry.lastVoted)}`;
        });
  return [
    `What the story does not cover yet: ${report.questions} questions in the last ${days} days (since ${day(report.since)}).`,
    '',
    'Declined, grouped by meaning (add an article that answers these):',
    ...groupLines(report.declined),
    '',
    'Answers voted down:',
    ...votedDown,
    '',
    `Answered only weakly (best passage scored under ${WEAK_ANSWER_SCORE.toFixed(2)}):`,
    ...groupLines(report.weak),
  ].join('\n');
}
