import { describe, expect, it } from 'vitest';
import { formatUptime, statusText } from './status.js';

describe('formatUptime', () => {
  it('shows the two largest units', () => {
    expect(formatUptime(0.4)).toBe('0 s');
    expect(formatUptime(42)).toBe('42 s');
    expect(formatUptime(250)).toBe('4 min 10 s');
    expect(formatUptime(7_500)).toBe('2 h 5 min');
    expect(formatUptime(3 * 86_400 + 4 * 3_600 + 59)).toBe('3 d 4 h');
    expect(formatUptime(86_400 + 30)).toBe('1 d 0 h');
  });
});

describe('statusText', () => {
  it('names the shard, its servers, the story and its index, the stories loaded, uptime, answers and memory', () => {
    const text = statusText({
      reached: { transport: 'gateway', shard: { id: 1, count: 4 }, guildsOnShard: 1 },
      story: { owner: '100000000000000001', name: 'election-night' },
      index: { articles: [], builtAt: '2026-11-25T19:00:00.000Z', passageCount: 12, model: 'use-lite', buildId: '20261125T190000000Z-abc123' },
      reindexing: true,
      resident: { count: 3, bytes: 20 * 1024 * 1024, budgetBytes: 256 * 1024 * 1024 },
      history: { ok: false, reason: 'SQLITE_BUSY: database is locked' },
      stats: { answersServed: 7 },
      process: { uptimeSeconds: 3_700, rssBytes: 250 * 1024 * 1024, heapUsedBytes: 40 * 1024 * 1024 },
    });
    expect(text.split('\n')).toEqual([
      '**Shard 1** of 4 · 1 server on this shard',
      "Story: `election-night` (this channel's)",
      'Index: 0 articles, 12 passages · model `use-lite` · built <t:1795633200:R> (build `20261125T190000000Z-abc123`) · a reindex is running here',
      "Stories loaded here: 3 · servers' story indexes 20 MB of the 256 MB budget (INDEX_MEMORY_MB)",
      'Uptime: 1 h 1 min · answers served: 7',
      'Memory: 250 MB resident, 40 MB JavaScript heap',
      'History: **unavailable** (SQLITE_BUSY: database is locked); answering goes on, questions and votes are not recorded',
    ]);
  });

  it('names the replica, not a shard, when the interaction came by HTTP', () => {
    const text = statusText({
      reached: { transport: 'http', replica: 'web-2:4242', storage: 'postgres' },
      story: { owner: 'operator', name: 'shared' },
      index: { articles: [], builtAt: undefined, passageCount: 0, model: 'use-lite', buildId: undefined },
      reindexing: false,
      resident: undefined,
      history: undefined,
      stats: { answersServed: 0 },
      process: { uptimeSeconds: 5, rssBytes: 0, heapUsedBytes: 0 },
    });
    expect(text.split('\n')[0]).toBe('**Replica** `web-2:4242` · HTTP interactions · shared state in PostgreSQL');
  });
});
