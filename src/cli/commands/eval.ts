/** `eval FILE.jsonl`: retrieval quality (hit@1, hit@3, MRR, declines) on a question set. */
import { readFile } from 'node:fs/promises';
import { anyRunHit1, EVAL_DEPTH, type EvalOutcome, parseQuestions, report, runQuestions } from '../../search/evaluate.js';
import { SEARCH_METHODS, type SearchMethod } from '../../search/search.js';
import type { CliCommand } from '../command.js';
import { resolve } from 'node:path';
import { corporaEvalOptions, evaluateDataCorpora, evaluateStoryFolders } from './eval-corpora.js';
import { evaluateExtraction } from '../../evaluation/extraction-eval.js';
import { evaluateFollowUps, loadChains } from '../../evaluation/follow-up-eval.js';
import { openEngine } from '../../app.js';

const METHODS: readonly SearchMethod[] = SEARCH_METHODS;

function isSearchMethod(value: unknown): value is SearchMethod {
  return METHODS.includes(value as SearchMethod);
}

export const evaluate: CliCommand = {
  name: 'eval',
  summary: 'measure retrieval quality on a JSONL question set',
  usage: 'eval [--json] [--method ranker|bm25|dense|rrf | --ceiling] FILE.jsonl | eval --stories DIR | eval --pages DIR | eval --follow-ups FILE.jsonl | eval --data DIR [--split validation|training] [--sample N] [--seed S] [--shapes one-article,few-articles,many-articles]',
  options: {
    json: { type: 'boolean' },
    verbose: { type: 'boolean' },
    method: { type: 'string' },
    ceiling: { type: 'boolean' },
    data: { type: 'string' },
    stories: { type: 'string' },
    pages: { type: 'string' },
    'follow-ups': { type: 'string' },
    split: { type: 'string' },
    sample: { type: 'string' },
    seed: { type: 'string' },
    shapes: { type: 'string' },
    work: { type: 'string' },
  },
  async run(context, values, positionals) {
    if (typeof values.pages === 'string') {
      const measured = await evaluateExtraction(values.pages);
      if (values.json === true) context.stdout.write(`${JSON.stringify(measured)}\n`);
      else {
        for (const page of measured.pages) {
          context.stdout.write(`${page.page}: ${page.recovered}/${page.expected} body paragraphs, ${page.debris.length} debris of ${page.extracted} extracted${page.refusal === undefined ? '' : ` (refused: ${page.refusal})`}\n`);
          if (values.verbose === true) for (const text of [...page.missing.map((m) => `  missing: ${m}`), ...page.debris.map((d) => `  debris: ${d}`)]) context.stdout.write(`${text.slice(0, 160)}\n`);
        }
        const { totals } = measured;
        context.stdout.write(`body paragraphs recovered: ${totals.recovered}/${totals.expected} (${(100 * measured.recovered).toFixed(1)}%)\ndebris kept: ${totals.debris} of ${totals.extracted} paragraphs extracted (${(100 * measured.debrisKept).toFixed(1)}%)\n`);
      }
      return 0;
    }
    if (typeof values['follow-ups'] === 'string') {
      const chains = await loadChains(values['follow-ups']);
      const engine = await openEngine(context.config, context.logger);
      try {
        const measured = await evaluateFollowUps(chains, engine, resolve(typeof values.work === 'string' ? values.work : '.cache/story-corpora'));
        const line = (name: string, r: typeof measured.chained): string => `${name.padEnd(22)} hit@1 ${r.hit1.toFixed(3)}  hit@3 ${r.hit3.toFixed(3)}  MRR ${r.mrr.toFixed(3)}\n`;
        context.stdout.write(values.json === true ? `${JSON.stringify(measured)}\n` : `${measured.chains} follow-up chains, scored on their last question\n${line('with the chain', measured.chained)}${line('the same text alone', measured.alone)}`);
      } finally {
        await engine.embedder.dispose();
      }
      return 0;
    }
    if (typeof values.stories === 'string') {
      return evaluateStoryFolders(context, values.stories, METHODS, resolve(typeof values.work === 'string' ? values.work : '.cache/story-corpora'), values.json === true);
    }
    if (values.data !== undefined) {
      const options = corporaEvalOptions(values, METHODS);
      if (typeof options === 'string') {
        context.stderr.write(`${options}\nusage: npm run ${this.usage}\n`);
        return 2;
      }
      return evaluateDataCorpora(context, options, values.json === true);
    }
    const [file] = positionals;
    const method = values.method ?? 'ranker';
    if (file === undefined || !isSearchMethod(method)) {
      context.stderr.write(`usage: npm run ${this.usage}\n`);
      return 2;
    }
    const questions = parseQuestions(await readFile(file, 'utf8'));
    return context.withStory({}, async (app) => {
      if (values.ceiling) {
        // Every method on the same questions, and the hit@1 a per-question choice among them would reach.
        const runs: EvalOutcome[][] = [];
        for (const each of METHODS) runs.push(await runQuestions(questions, (question) => app.ask(question, { limit: EVAL_DEPTH, method: each })));
        const hit1 = Object.fromEntries(METHODS.map((each, k) => [each, report(runs[k] ?? []).hit1]));
        const ceiling = { ...hit1, any_method: anyRunHit1(runs) };
        context.stdout.write(values.json ? `${JSON.stringify(ceiling)}\n` : `${Object.entries(ceiling).map(([name, value]) => `${name} hit@1: ${value.toFixed(3)}`).join('\n')}\n`);
        return 0;
      }
      const outcomes = await runQuestions(
        questions,
        (question) => app.ask(question, { limit: EVAL_DEPTH, method }),
        values.verbose ? (o) => context.stderr.write(`${o.answered ? 'answered' : 'declined'}\t${o.question.q}\t→ ${o.ranking[0]?.slice(0, 60) ?? '-'}\n`) : undefined,
      );
      const metrics = report(outcomes);
      if (values.json) {
        context.stdout.write(`${JSON.stringify(metrics)}\n`);
      } else {
        const percent = (value: number): string => `${(value * 100).toFixed(1)}%`;
        context.stdout.write(
          [
            `questions: ${metrics.n}`,
            `hit@1: ${percent(metrics.hit1)}   hit@3: ${percent(metrics.hit3)}   MRR: ${metrics.mrr.toFixed(3)}   bold sentence holds the answer: ${percent(metrics.bold)} (of right first passages)`,
            `out-of-scope declined: ${percent(metrics.declined_oos)}   answerable wrongly declined: ${percent(metrics.false_declines)}`,
            '',
          ].join('\n'),
        );
      }
      return 0;
    });
  },
};
