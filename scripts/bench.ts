/**
 * `npm run bench [-- --json] [-- --smoke] [-- --write]`: index-build and answer speed, HNSW
 * quality, cold start, memory, many stories at once, and a peer (Orama), measured on this machine.
 * `--smoke` runs a seconds-long version for CI; `--write` saves the report to bench/results.md and
 * the figures to bench/results.json; `--history` and `--stories` run only that part.
 */
import { cpus, totalmem } from 'node:os';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pipeline } from '@huggingface/transformers';
import { answerMessage, declinedMessage } from '../src/discord/answer-view.js';
import type { Embedder } from '../src/embeddings/embedder.js';
import { resolveModelSpec } from '../src/embeddings/models.js';
import { createTransformersEmbedder } from '../src/embeddings/transformers-embedder.js';
import { ensureUseLiteModel } from '../src/embeddings/use-lite/build-model.js';
import { OPERATOR_STORY_ID } from '../src/stories/story.js';
import type { HistoryStore } from '../src/history/history-store.js';
import { SqliteHistory } from '../src/history/sqlite-history.js';
import { buildIndex } from '../src/index/build-index.js';
import { closeIndex, loadIndex } from '../src/index/index-store.js';
import type { StoryIndex } from '../src/index/story-index.js';
import { VectorIndex } from '../src/index/vector-index.js';
import { createLogger } from '../src/logger.js';
import { firstHit, parseQuestions } from '../src/search/evaluate.js';
import { loadEnglishWords } from '../src/search/dictionary.js';
import { loadRelatedTerms } from '../src/search/related-terms.js';
import { embedOffTopic } from '../src/search/off-topic.js';
import { loadRankingModel } from '../src/search/ranker.js';
import { type SearchTools, searchStory } from '../src/search/search.js';
import { buildForStart, measureColdStart } from './bench/cold-start.js';
import { buildOramaPeer } from './bench/orama-peer.js';
import { manyStoriesFigures, manyStoriesReport, measureManyStories } from './bench/many-stories.js';
import { benchQuestions } from './bench/questions.js';
import { label, median, percentile, round, timed, withPeakResidentMb } from './bench/stats.js';
import { sentencePool, syntheticPassages, writeSyntheticCorpus } from './bench/synthetic-corpus.js';

const { values: flags } = parseArgs({
  options: { json: { type: 'boolean' }, smoke: { type: 'boolean' }, write: { type: 'boolean' }, history: { type: 'boolean' }, stories: { type: 'boolean' } },
});
const smoke = flags.smoke === true;
const SIZES = smoke ? [300] : [1_000, 10_000, 100_000];
const PEER_SIZE = smoke ? 300 : 10_000;
const BATCH_SIZES = smoke ? [16, 32] : [8, 16, 32, 64];
const BENCH_DIR = smoke ? 'data/bench-smoke' : 'data/bench';
const MODEL_CACHE = '.cache/models';
const PREFIXES = { queryPrefix: '', passagePrefix: '' };
/** Server stories beside the operator's PEER_SIZE story, of 50 passages each, and the memory budget for them. */
const MANY_STORIES = smoke ? 20 : 1_000;
const STORY_BUDGET_MB = 256;

const figures: Record<string, number> = {};
const report: string[] = [];
const progress = (message: string): void => {
  process.stderr.write(`${message}\n`);
};

async function embedder(batchSize = 32): Promise<Embedder> {
  return createTransformersEmbedder({ model: resolveModelSpec('use-lite'), cacheDir: MODEL_CACHE, batchSize });
}

/** Everything the bot answers with: the model, the outside knowledge and the shipped ranking model. */
async function searchTools(model: Embedder): Promise<SearchTools> {
  return { embedder: model, outside: { offTopic: await embedOffTopic(model), englishWords: await loadEnglishWords(), relatedTerms: await loadRelatedTerms() }, model: loadRankingModel() };
}

/** Our Embedder at each batch size, against the bare transformers.js pipeline at its best, on the same texts. */
async function embeddingThroughput(texts: string[]): Promise<void> {
  progress(`embedding throughput on ${texts.length} passages…`);
  const ours: Record<number, number> = {};
  for (const batchSize of BATCH_SIZES) {
    const model = await embedder(batchSize);
    await model.embedPassages(texts.slice(0, batchSize));
    const { ms } = await timed(() => model.embedPassages(texts));
    ours[batchSize] = texts.length / (ms / 1000);
    await model.dispose();
  }
  const { modelDir } = await ensureUseLiteModel(MODEL_CACHE);
  const extractor = await pipeline('feature-extraction', modelDir, { dtype: 'fp32' });
  const ceiling: Record<number, number> = {};
  for (const batchSize of BATCH_SIZES) {
    await extractor(texts.slice(0, batchSize), { pooling: 'mean', normalize: true });
    const { ms } = await timed(async () => {
      for (let start = 0; start < texts.length; start += batchSize) await extractor(texts.slice(start, start + batchSize), { pooling: 'mean', normalize: true });
    });
    ceiling[batchSize] = texts.length / (ms / 1000);
  }
  await extractor.dispose();
  const best = (rates: Record<number, number>): [number, number] => Object.entries(rates).map(([b, r]) => [Number(b), r] as [number, number]).reduce((a, b) => (b[1] > a[1] ? b : a));
  const [ourBatch, ourRate] = best(ours);
  const [ceilingBatch, ceilingRate] = best(ceiling);
  figures.embed_passages_per_s = round(ourRate, 1);
  figures.embed_best_batch = ourBatch;
  figures.embed_ceiling_passages_per_s = round(ceilingRate, 1);
  figures.embed_ceiling_batch = ceilingBatch;
  figures.embed_vs_ceiling = round(ourRate / ceilingRate, 3);
  report.push(
    '## Embedding throughput',
    '',
    `${texts.length} synthetic passages (2-3 sentences, 25-80 words), use-lite, fp32, passages per second:`,
    '',
    `| batch size | ${BATCH_SIZES.join(' | ')} |`,
    `|---|${BATCH_SIZES.map(() => '---').join('|')}|`,
    `| our Embedder (length-sorted batches) | ${BATCH_SIZES.map((b) => round(ours[b] ?? 0, 1)).join(' | ')} |`,
    `| ceiling: bare transformers.js pipeline | ${BATCH_SIZES.map((b) => round(ceiling[b] ?? 0, 1)).join(' | ')} |`,
    '',
    `Best: ours ${round(ourRate, 1)}/s at batch ${ourBatch}, ceiling ${round(ceilingRate, 1)}/s at batch ${ceilingBatch}: **${round((100 * ourRate) / ceilingRate, 1)}% of the ceiling**.`,
    '',
  );
}

/** Loads the saved index for a synthetic corpus, building it first if needed (timed). */
async function benchIndex(size: number, pool: string[], model: Embedder): Promise<{ corpusDir: string; indexDir: string; index: StoryIndex }> {
  const corpusDir = join(BENCH_DIR, `corpus-${size}`);
  const indexDir = join(BENCH_DIR, `index-${size}`);
  await writeSyntheticCorpus(corpusDir, syntheticPassages(pool, size, size));
  let previous: StoryIndex | undefined;
  try {
    previous = await loadIndex(indexDir);
  } catch {
    previous = undefined;
  }
  progress(`index for ${size} passages${previous ? ' (saved)' : ': building…'}`);
  const { value: built, peakMb } = await withPeakResidentMb(() => buildIndex({ corpusDir, indexDir, embedder: model, prefixes: PREFIXES, previous }));
  // Only a build that embedded most passages says anything about build speed and memory.
  if (built.summary.embedded > built.summary.passages / 2) {
    figures[`build_s_${label(size)}`] = round(built.summary.seconds);
    figures[`build_passages_per_s_${label(size)}`] = round(built.summary.embedded / built.summary.seconds, 1);
    figures[`build_peak_rss_mb_${label(size)}`] = round(peakMb, 1);
  }
  const unchanged = await buildIndex({ corpusDir, indexDir, embedder: model, prefixes: PREFIXES, previous: built.index });
  figures[`reindex_unchanged_s_${label(size)}`] = round(unchanged.summary.seconds, 3);
  if (previous && previous !== built.index) closeIndex(previous);
  return { corpusDir, indexDir, index: built.index };
}

interface LatencySample {
  total: number;
  embed: number;
  lexical: number;
  vector: number;
  ranking: number;
  render: number;
}

/**
 * Question → finished reply object, everything but Discord's network. With `history`, each
 * question is also recorded as the bot records it (queued after the reply, written in a later turn,
 * where it can only delay the next question's measurement).
 */
async function answerLatency(index: StoryIndex, tools: SearchTools, questions: string[], history?: HistoryStore): Promise<LatencySample[]> {
  const samples: LatencySample[] = [];
  for (const [k, question] of questions.entries()) {
    const started = performance.now();
    const result = await searchStory(index, tools, question);
    const searched = performance.now();
    if (result.answered) answerMessage(result, 0, 'id');
    else declinedMessage(result, { articles: index.articles });
    const done = performance.now();
    history?.recordQuestion({
      answerId: `bench-${k}`,
      askedAt: Date.now(),
      guildId: undefined,
      storyId: OPERATOR_STORY_ID,
      question,
      answered: result.answered,
      buildId: index.buildId,
      passages: result.passages.slice(0, 3).map((ranked) => ({ id: ranked.passage.id, score: ranked.score })),
    });
    const { embedMs, lexicalMs, vectorMs, evidenceMs, rankingMs } = result.timings;
    samples.push({ total: done - started, embed: embedMs, lexical: lexicalMs, vector: vectorMs, ranking: evidenceMs + rankingMs, render: done - searched });
  }
  return samples;
}

/**
 * What recording questions in the history database costs the answers: passes without and with it,
 * alternated (without, with, without, with) so a machine's changing load falls on both alike, and
 * the database write itself, per question, timed apart.
 */
async function historyCost(index: StoryIndex, tools: SearchTools, questions: string[]): Promise<void> {
  progress(`answer latency at ${index.passages.length} passages with and without the history database (4 alternating passes)…`);
  const history = SqliteHistory.open(join(BENCH_DIR, 'history'), createLogger('warn'));
  const without: number[] = [];
  const recording: number[] = [];
  for (const pass of [0, 1, 2, 3]) {
    const samples = await answerLatency(index, tools, questions, pass % 2 === 1 ? history : undefined);
    (pass % 2 === 1 ? recording : without).push(...samples.map((s) => s.total));
  }
  for (const [k, question] of questions.entries()) {
    history.recordQuestion({ answerId: `write-${k}`, askedAt: Date.now(), guildId: undefined, storyId: OPERATOR_STORY_ID, question, answered: true, buildId: index.buildId, passages: [{ id: 'p#1', score: 0.5 }] });
  }
  const write = await timed(() => history.flush());
  await history.close();
  const size = label(PEER_SIZE);
  figures[`query_p50_ms_${size}_without_history`] = round(percentile(without, 50));
  figures[`query_p99_ms_${size}_without_history`] = round(percentile(without, 99));
  figures[`query_p50_ms_${size}_history`] = round(percentile(recording, 50));
  figures[`query_p99_ms_${size}_history`] = round(percentile(recording, 99));
  figures.history_write_us_per_question = round((write.ms * 1000) / questions.length, 1);
}

/**
 * Recall@10 of the vector search (the HNSW graph's candidates, rescored on the stored vectors)
 * against exact search over the same stored vectors, plus build time, size and load time. A corpus can hold
 * the same text twice (here: a split paragraph's sentence that is also a passage), and equal
 * vectors tie; so a result counts as found when it scores at least the exact tenth best, as well
 * as (strictly) when it is the very passage exact search ranked.
 */
async function hnswQuality(size: number, index: StoryIndex, indexDir: string, queryVectors: Float32Array[]): Promise<void> {
  const vectors = Array.from({ length: index.passages.length }, (_, label) => index.passageVectors.of(label)[0] ?? new Float32Array());
  let found = 0;
  let foundStrict = 0;
  for (const query of queryVectors) {
    const exact = vectors
      .map((vector, label) => {
        let dot = 0;
        for (let d = 0; d < query.length; d += 1) dot += (query[d] ?? 0) * (vector[d] ?? 0);
        return { label, dot };
      })
      .sort((a, b) => b.dot - a.dot)
      .slice(0, 10);
    const tenth = exact.at(-1)?.dot ?? -Infinity;
    const approximate = index.vectors.search(query, 10, index.passageVectors);
    const labels = new Set(approximate.map((hit) => hit.passage));
    found += approximate.filter((hit) => hit.similarity >= tenth - 1e-5).length;
    foundStrict += exact.filter((hit) => labels.has(hit.label)).length;
  }
  const { ms: buildMs } = await timed(async () => VectorIndex.build(vectors, index.manifest.embedding.dimensions));
  const build = (await readFile(join(indexDir, 'CURRENT'), 'utf8')).trim();
  const { ms: loadMs } = await timed(() => VectorIndex.read(join(indexDir, 'builds', build, 'vectors.hnsw'), index.manifest.embedding.dimensions, index.vectors.projection, index.passages.length));
  figures[`hnsw_recall10_${label(size)}`] = round(found / (queryVectors.length * 10), 4);
  figures[`hnsw_recall10_strict_${label(size)}`] = round(foundStrict / (queryVectors.length * 10), 4);
  figures[`hnsw_build_s_${label(size)}`] = round(buildMs / 1000);
  figures[`hnsw_mb_${label(size)}`] = round((index.manifest.files['vectors.hnsw']?.bytes ?? 0) / 2 ** 20, 1);
  figures[`hnsw_load_s_${label(size)}`] = round(loadMs / 1000, 3);
}

/** Orama and our engine on the dev set (seed article), with the same vectors. */
async function peerQuality(tools: SearchTools & { embedder: Embedder }): Promise<void> {
  const model = tools.embedder;
  const indexDir = join(BENCH_DIR, 'index-seed');
  const { index } = await buildIndex({ corpusDir: 'corpus', indexDir, embedder: model, prefixes: PREFIXES });
  const peer = await buildOramaPeer(index);
  const questions = parseQuestions(await readFile('tests/fixtures/questions.jsonl', 'utf8')).filter((q) => q.expect !== null);
  const ranks = { ours: [] as (number | undefined)[], orama: [] as (number | undefined)[] };
  for (const question of questions) {
    const result = await searchStory(index, tools, question.q);
    ranks.ours.push(firstHit(result.passages.map((p) => p.passage.text), question.expect ?? []));
    const labels = await peer.search(question.q, await model.embedQuery(question.q), 10);
    ranks.orama.push(firstHit(labels.map((label) => index.passages.get(label).text), question.expect ?? []));
  }
  const share = (list: (number | undefined)[], k: number): number => round(list.filter((r) => r !== undefined && r <= k).length / list.length, 3);
  figures.hit1 = share(ranks.ours, 1);
  figures.hit3 = share(ranks.ours, 3);
  figures.orama_hit1 = share(ranks.orama, 1);
  figures.orama_hit3 = share(ranks.orama, 3);
  closeIndex(index);
}

async function main(): Promise<void> {
  const started = performance.now();
  const pool = await sentencePool();
  await embeddingThroughput(syntheticPassages(pool, smoke ? 64 : 768, 99));
  const model = await embedder(figures.embed_best_batch);
  const tools = { ...(await searchTools(model)), embedder: model };
  const questions = await benchQuestions(pool, smoke ? 60 : 500);
  const queryVectors = await Promise.all(questions.slice(0, smoke ? 20 : 200).map((q) => model.embedQuery(q)));

  const stories: string[] = [];
  report.push('## Indexes and answers', '', '| passages | build s | build passages/s | build peak MB | unchanged reindex s | answer p50 ms | p95 | p99 | embed p50 | lexical p50 | vector p50 | evidence + ranking p50 | render p50 | HNSW recall@10 (strict) | HNSW build s | HNSW MB | HNSW load s |', '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  let largest: { corpusDir: string; indexDir: string } | undefined;
  for (const size of SIZES) {
    const { corpusDir, indexDir, index } = await benchIndex(size, pool, model);
    progress(`answer latency at ${size} passages (${questions.length} questions)…`);
    const samples = await answerLatency(index, tools, questions);
    const part = (key: keyof LatencySample): number => round(median(samples.map((s) => s[key])), 2);
    figures[`passages_${label(size)}`] = index.passages.length;
    figures[`query_p50_ms_${label(size)}`] = round(percentile(samples.map((s) => s.total), 50));
    figures[`query_p95_ms_${label(size)}`] = round(percentile(samples.map((s) => s.total), 95));
    figures[`query_p99_ms_${label(size)}`] = round(percentile(samples.map((s) => s.total), 99));
    if (size === PEER_SIZE) await historyCost(index, tools, questions);
    progress(`HNSW recall at ${size}…`);
    await hnswQuality(size, index, indexDir, queryVectors);
    if (size === PEER_SIZE) {
      progress(`Orama at ${size}…`);
      const peer = await buildOramaPeer(index);
      const oramaMs: number[] = [];
      for (const [k, question] of questions.entries()) {
        const vector = queryVectors[k % queryVectors.length] ?? (await model.embedQuery(question));
        oramaMs.push((await timed(() => peer.search(question, vector, 10))).ms);
      }
      const retrievalMs = samples.map((s) => s.lexical + s.vector + s.ranking);
      figures[`orama_query_p50_ms_${label(size)}`] = round(median(oramaMs));
      figures[`orama_query_p99_ms_${label(size)}`] = round(percentile(oramaMs, 99));
      figures[`retrieval_p50_ms_${label(size)}`] = round(median(retrievalMs));
      stories.push(...(await manyStories({ corpusDir, indexDir, index }, pool, model, questions)));
    }
    report.push(
      `| ${index.passages.length} | ${figures[`build_s_${label(size)}`] ?? '(saved)'} | ${figures[`build_passages_per_s_${label(size)}`] ?? '(saved)'} | ${figures[`build_peak_rss_mb_${label(size)}`] ?? '(saved)'} | ${figures[`reindex_unchanged_s_${label(size)}`]} | ${figures[`query_p50_ms_${label(size)}`]} | ${figures[`query_p95_ms_${label(size)}`]} | ${figures[`query_p99_ms_${label(size)}`]} | ${part('embed')} | ${part('lexical')} | ${part('vector')} | ${part('ranking')} | ${part('render')} | ${figures[`hnsw_recall10_${label(size)}`]} (${figures[`hnsw_recall10_strict_${label(size)}`]}) | ${figures[`hnsw_build_s_${label(size)}`]} | ${figures[`hnsw_mb_${label(size)}`]} | ${figures[`hnsw_load_s_${label(size)}`]} |`,
    );
    closeIndex(index);
    largest = { corpusDir, indexDir };
  }
  report.push('', '"(saved)": the index came from an earlier run and was reused (then only the unchanged reindex is timed); delete `data/bench/index-N` to time a build.', '', ...stories);

  progress('peer quality on the dev set…');
  await peerQuality(tools);
  progress('cold start and memory of the bot (compiled, as npm start runs it)…');
  await buildForStart();
  const cold = await measureColdStart({ CORPUS_DIR: 'corpus', INDEX_DIR: join(BENCH_DIR, 'index-seed'), DATA_DIR: join(BENCH_DIR, 'data-seed'), MODEL_CACHE_DIR: MODEL_CACHE });
  figures.cold_start_s = round(cold.readySeconds);
  figures.cold_start_first_answer_s = round(cold.firstAnswerSeconds);
  figures.rss_mb_seed = round(cold.rssMb, 1);
  if (largest) {
    const size = SIZES.at(-1) ?? 0;
    const big = await measureColdStart({ CORPUS_DIR: largest.corpusDir, INDEX_DIR: largest.indexDir, DATA_DIR: join(BENCH_DIR, 'data-large'), MODEL_CACHE_DIR: MODEL_CACHE });
    figures[`rss_mb_${label(size)}`] = round(big.rssMb, 1);
    figures[`cold_start_s_${label(size)}`] = round(big.readySeconds);
  }
  await model.dispose();
  figures.bench_peak_rss_mb = round(process.resourceUsage().maxRSS / 1024, 1);
  figures.bench_seconds = round((performance.now() - started) / 1000, 1);

  const size = SIZES.at(-1) ?? 0;
  report.push(
    '## Other figures',
    '',
    `- Orama (${PEER_SIZE} passages, hybrid, same vectors): query p50 ${figures[`orama_query_p50_ms_${label(PEER_SIZE)}`]} ms, p99 ${figures[`orama_query_p99_ms_${label(PEER_SIZE)}`]} ms; ours, same scope (lexical + vector + evidence and ranking, the query embedding excluded on both sides): p50 ${figures[`retrieval_p50_ms_${label(PEER_SIZE)}`]} ms.`,
    historyLine(),
    `- Dev set (seed article, ${'answerable questions'}): ours hit@1 ${figures.hit1}, hit@3 ${figures.hit3}; Orama hit@1 ${figures.orama_hit1}, hit@3 ${figures.orama_hit3}.`,
    `- Resident memory of the bot (\`npm start\`'s compiled code, after three answers): ${figures[`rss_mb_${label(size)}`]} MB serving ${figures[`passages_${label(size)}`]} passages, ${figures.rss_mb_seed} MB serving the seed article.`,
    `- Peak resident memory of this whole bench run (builds, the Orama peer, the exact-search recall check): ${figures.bench_peak_rss_mb} MB.`,
    `- Cold start (process start → bot ready, fake Discord): ${figures.cold_start_s} s with the seed index (first answer at ${figures.cold_start_first_answer_s} s), ${figures[`cold_start_s_${label(size)}`]} s with ${figures[`passages_${label(size)}`]} passages.`,
    '',
  );
}

function historyLine(): string {
  const at = label(PEER_SIZE);
  return `- Answers at ${figures[`passages_${at}`]} passages while recording every question in the history database (SQLite, WAL), as the bot does: p50 ${figures[`query_p50_ms_${at}_history`]} ms, p99 ${figures[`query_p99_ms_${at}_history`]} ms; without it: p50 ${figures[`query_p50_ms_${at}_without_history`]} ms, p99 ${figures[`query_p99_ms_${at}_without_history`]} ms (two passes each, alternated). The write itself: ${figures.history_write_us_per_question} µs per question, after the answer.`;
}

/** The many-stories measurement beside the operator's story `operator` (the PEER_SIZE index); returns its report lines. */
async function manyStories(operator: { corpusDir: string; indexDir: string; index: StoryIndex }, pool: string[], model: Embedder, questions: string[]): Promise<string[]> {
  const measured = await measureManyStories({
    benchDir: BENCH_DIR,
    modelCacheDir: MODEL_CACHE,
    operator: { ...operator, passages: syntheticPassages(pool, PEER_SIZE, PEER_SIZE) },
    embedder: model,
    stories: MANY_STORIES,
    passagesPerStory: 50,
    budgetMb: STORY_BUDGET_MB,
    questions,
    render: (result, story) => (result.answered ? answerMessage(result, 0, 'id') : declinedMessage(result, story.sources())),
    progress,
  });
  Object.assign(figures, manyStoriesFigures(measured, label(PEER_SIZE)));
  return manyStoriesReport(measured);
}

/** `npm run bench -- --stories`: only the many-stories measurement. */
async function storiesOnly(): Promise<void> {
  const started = performance.now();
  const pool = await sentencePool();
  const model = await embedder();
  const questions = await benchQuestions(pool, smoke ? 60 : 500);
  const operator = await benchIndex(PEER_SIZE, pool, model);
  report.push(...(await manyStories(operator, pool, model, questions)));
  closeIndex(operator.index);
  await model.dispose();
  figures.bench_seconds = round((performance.now() - started) / 1000, 1);
}

/** `npm run bench -- --history`: only the history database's cost, on the 10k index. */
async function historyOnly(): Promise<void> {
  const started = performance.now();
  const pool = await sentencePool();
  const model = await embedder();
  const tools = { ...(await searchTools(model)), embedder: model };
  const questions = await benchQuestions(pool, smoke ? 60 : 500);
  const { index } = await benchIndex(PEER_SIZE, pool, model);
  figures[`passages_${label(PEER_SIZE)}`] = index.passages.length;
  await historyCost(index, tools, questions);
  closeIndex(index);
  await model.dispose();
  figures.bench_seconds = round((performance.now() - started) / 1000, 1);
  report.push('## The history database', '', historyLine(), '');
}

await (flags.history ? historyOnly() : flags.stories ? storiesOnly() : main());
const header = [
  '# Benchmark results',
  '',
  `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${round(totalmem() / 2 ** 30, 1)} GiB, Node ${process.version}. Date: ${new Date().toISOString().slice(0, 10)}.`,
  `Command: \`npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\` (${figures.bench_seconds} s).`,
  '',
];
const markdown = [...header, ...report].join('\n');
if (flags.write) {
  await writeFile('bench/results.md', `${markdown}\n`);
  await writeFile('bench/results.json', `${JSON.stringify(figures, null, 1)}\n`);
}
process.stdout.write(flags.json ? `${JSON.stringify(figures)}\n` : `${markdown}\n`);
