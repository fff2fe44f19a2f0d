/** The benchmark must keep running: a seconds-long smoke of every measurement, with no timing assertions. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

const REQUIRED_KEYS = [
  'embed_passages_per_s',
  'embed_ceiling_passages_per_s',
  'reindex_unchanged_s_300',
  'query_p50_ms_300',
  'query_p99_ms_300',
  'query_p50_ms_300_history',
  'query_p50_ms_300_without_history',
  'history_write_us_per_question',
  'query_p99_ms_300_history',
  'hnsw_recall10_300',
  'cold_start_s',
  'rss_mb_300',
  'orama_query_p50_ms_300',
  'orama_hit1',
  'hit1',
];

describe('npm run bench -- --smoke', () => {
  it('measures everything and prints one JSON object', { timeout: 180_000 }, async () => {
    // The cold-start measurement asks three questions in a row as one member: no /ask cooldown for it.
    const env = { ...process.env, ASK_COOLDOWN_SECONDS: '0' };
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/bench.ts', '--smoke', '--json'], { maxBuffer: 1 << 22, env });
    const figures = JSON.parse(stdout) as Record<string, number>;
    for (const key of REQUIRED_KEYS) expect(Number.isFinite(figures[key]), key).toBe(true);
    expect(figures.hnsw_recall10_300).toBeGreaterThan(0.9);
    expect(figures.hit1).toBeGreaterThan(0.7);
  });
});
