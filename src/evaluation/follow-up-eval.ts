/**
 * @module follow-up-eval: whether carrying a chain's earlier questions helps a follow-up find its
 * passage. Each chain (`{"corpus", "chain": [...questions], "expect": [...]}`) is scored on its last
 * question, asked with the chain as context and asked alone, on the same index.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Engine } from '../app.js';
import { buildIndex } from '../index/build-index.js';
import { closeIndex } from '../index/index-store.js';
import { EVAL_DEPTH, type EvalOutcome, type EvalReport, report, runQuestions } from '../search/evaluate.js';
import { chainedQuestion } from '../search/follow-up.js';
import { loadRankingModel } from '../search/ranker.js';
import { searchStory } from '../search/search.js';

const chainSchema = z.object({ corpus: z.string(), chain: z.array(z.string()).min(2), expect: z.array(z.string()).min(1) });
export type FollowUpChain = z.infer<typeof chainSchema>;

export interface FollowUpReport {
  chains: number;
  chained: EvalReport;
  alone: EvalReport;
}

export async function loadChains(file: string): Promise<FollowUpChain[]> {
  return (await readFile(file, 'utf8'))
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, k) => {
      const parsed = chainSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${file} line ${k + 1}: ${parsed.error.message}`);
      return parsed.data;
    });
}

/** Scores every chain both ways; corpora are indexed under `workDir` (vectors reused between runs). */
export async function evaluateFollowUps(chains: readonly FollowUpChain[], engine: Engine, workDir: string): Promise<FollowUpReport> {
  const tools = { ...engine, model: loadRankingModel() };
  const chained: EvalOutcome[] = [];
  const alone: EvalOutcome[] = [];
  const corpora = [...new Set(chains.map((chain) => chain.corpus))];
  for (const [k, corpus] of corpora.entries()) {
    const { index } = await buildIndex({ corpusDir: corpus, indexDir: join(workDir, `follow-ups-${k}`), embedder: engine.embedder, prefixes: engine.prefixes });
    try {
      for (const { chain, expect } of chains.filter((c) => c.corpus === corpus)) {
        const last = chain.at(-1) ?? '';
        const question = { q: last, expect };
        const search = (text: string) => searchStory(index, tools, text, { limit: EVAL_DEPTH });
        chained.push(...(await runQuestions([question], () => search(chainedQuestion(last, chain.slice(0, -1))))));
        alone.push(...(await runQuestions([question], () => search(last))));
      }
    } finally {
      closeIndex(index);
    }
  }
  return { chains: chains.length, chained: report(chained), alone: report(alone) };
}
