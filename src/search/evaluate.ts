/**
 * @module evaluate: retrieval quality on a question set. A question lists substrings of the
 * passages that answer it, or null when the story does not answer it and it must be declined.
 */

/** Passages retrieved per question: enough for MRR to see answers well below the top 3. */
export const EVAL_DEPTH = 10;

export interface EvalQuestion {
  q: string;
  /** Substrings of answering passages; null = out of scope. */
  expect: string[] | null;
}

export interface EvalOutcome {
  question: EvalQuestion;
  answered: boolean;
  /** Passage texts, best first. */
  ranking: string[];
  /** The first passage's bold sentence (the one shown as the answer), if there is a first passage. */
  bold: string | undefined;
}

export interface EvalReport {
  n: number;
  hit1: number;
  hit3: number;
  mrr: number;
  /** Share of out-of-scope questions declined. */
  declined_oos: number;
  /** Share of answerable questions declined. */
  false_declines: number;
  /** Of the questions whose first passage holds the answer, the share whose bold sentence holds it too. */
  bold: number;
}

/** Case, spacing and quote style do not matter: ’ = ' and “ ” = ". */
export function normalizeForMatch(text: string): string {
  return text
    .replace(/[’‘‛′]/g, "'")
    .replace(/[“”„″]/g, '"')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** 1-based rank of the first passage containing an expected substring, or undefined. */
export function firstHit(ranking: readonly string[], expected: readonly string[]): number | undefined {
  const needles = expected.map(normalizeForMatch);
  const position = ranking.findIndex((text) => {
    const haystack = normalizeForMatch(text);
    return needles.some((needle) => haystack.includes(needle));
  });
  return position < 0 ? undefined : position + 1;
}

export function parseQuestions(jsonl: string): EvalQuestion[] {
  return jsonl
    .split('\n')
    .map((line, k) => ({ line: line.trim(), number: k + 1 }))
    .filter(({ line }) => line !== '')
    .map(({ line, number }) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        throw new Error(`line ${number} is not JSON`);
      }
      const { q, expect } = (parsed ?? {}) as Partial<EvalQuestion>;
      const validExpect = expect === null || (Array.isArray(expect) && expect.every((e) => typeof e === 'string'));
      if (typeof q !== 'string' || !validExpect) throw new Error(`line ${number} needs {"q": string, "expect": string[] | null}`);
      return { q, expect: expect ?? null };
    });
}

/**
 * Whether the bold sentence holds an expected string: contains it, or, for an expected string longer
 * than one sentence (news sets quote whole passages), lies within it.
 */
export function boldHoldsAnswer(bold: string, expected: readonly string[]): boolean {
  const sentence = normalizeForMatch(bold);
  return expected.map(normalizeForMatch).some((needle) => sentence.includes(needle) || (sentence.length > 0 && needle.includes(sentence)));
}

export function report(outcomes: readonly EvalOutcome[]): EvalReport {
  const answerable = outcomes.filter((o) => o.question.expect !== null);
  const outOfScope = outcomes.filter((o) => o.question.expect === null);
  const ranks = answerable.map((o) => firstHit(o.ranking, o.question.expect ?? []));
  const share = (count: number, total: number): number => (total === 0 ? 0 : count / total);
  return {
    n: outcomes.length,
    hit1: share(ranks.filter((r) => r === 1).length, answerable.length),
    hit3: share(ranks.filter((r) => r !== undefined && r <= 3).length, answerable.length),
    mrr: share(ranks.reduce((sum: number, r) => sum + (r === undefined ? 0 : 1 / r), 0), answerable.length),
    declined_oos: share(outOfScope.filter((o) => !o.answered).length, outOfScope.length),
    false_declines: share(answerable.filter((o) => !o.answered).length, answerable.length),
    bold: share(answerable.filter((o, k) => ranks[k] === 1 && o.bold !== undefined && boldHoldsAnswer(o.bold, o.question.expect ?? [])).length, ranks.filter((r) => r === 1).length),
  };
}

/**
 * Share of answerable questions that at least one of several runs (one per method, same questions
 * in the same order) ranks correctly first: what a clairvoyant choice of method per question would
 * reach, so a ceiling for fusing those methods' signals.
 */
export function anyRunHit1(runs: readonly (readonly EvalOutcome[])[]): number {
  const first = runs[0] ?? [];
  const answerable = first.flatMap((outcome, k) => (outcome.question.expect === null ? [] : [k]));
  const hits = answerable.filter((k) => runs.some((run) => {
    const outcome = run[k];
    return outcome !== undefined && firstHit(outcome.ranking, outcome.question.expect ?? []) === 1;
  }));
  return answerable.length === 0 ? 0 : hits.length / answerable.length;
}

/** Asks every question and collects what came back, best passage first. */
export async function runQuestions(
  questions: readonly EvalQuestion[],
  ask: (question: string) => Promise<{ answered: boolean; passages: readonly { passage: { text: string }; highlight: readonly [number, number] }[] }>,
  onEach?: (outcome: EvalOutcome) => void,
): Promise<EvalOutcome[]> {
  const outcomes: EvalOutcome[] = [];
  for (const question of questions) {
    const result = await ask(question.q);
    const [first] = result.passages;
    const outcome = { question, answered: result.answered, ranking: result.passages.map((p) => p.passage.text), bold: first?.passage.text.slice(...first.highlight) };
    onEach?.(outcome);
    outcomes.push(outcome);
  }
  return outcomes;
}
