/** The shared use cases, with the real model and index: self-healing on open, safe rebuilds. */
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../tests/support/temp-dir.js';
import { type App, createApp } from './app.js';
import { loadConfig } from './config.js';
import { isAppError } from './errors.js';
import { createLogger } from './logger.js';

const logger = createLogger('silent');

describe('app', () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await makeTempDir('app');
  });
  afterAll(() => rm(scratch, { recursive: true, force: true }));

  async function setUp(name: string): Promise<{ corpusDir: string; indexDir: string; open: () => Promise<App> }> {
    const corpusDir = join(scratch, name, 'corpus');
    const indexDir = join(scratch, name, 'index');
    await cp('corpus', corpusDir, { recursive: true });
    const config = loadConfig({ CORPUS_DIR: corpusDir, INDEX_DIR: indexDir, MODEL_CACHE_DIR: '.cache/models' });
    return { corpusDir, indexDir, open: () => createApp(config, { logger }) };
  }

  const builtAt = async (indexDir: string): Promise<string> => {
    const build = (await readFile(join(indexDir, 'CURRENT'), 'utf8')).trim();
    return (JSON.parse(await readFile(join(indexDir, 'builds', build, 'manifest.json'), 'utf8')) as { builtAt: string }).builtAt;
  };

  it("answers 'what did Putin demand' with Putin's condition first, citing its paragraph", async () => {
    const { open } = await setUp('putin');
    const app = await open();
    try {
      const result = await app.ask('what did Putin demand');
      expect(result.answered).toBe(true);
      const [first] = result.passages;
      expect(first?.passage.text).toContain('military strikes completely off the table');
      expect(first?.passage.paragraph).toBe(3);
      expect(first?.article.file).toBe('000_224c5ab2ccd913b3.txt');
      const [start, end] = first?.highlight ?? [0, 0];
      expect(first?.passage.text.slice(start, end)).toMatch(/^But Russian President Vladimir Putin said/);
    } finally {
      await app.close();
    }
  });

  it('rebuilds a damaged index on open, and one built with another model', async () => {
    const { indexDir, open } = await setUp('heal');
    await (await open()).close();
    const build = (await readFile(join(indexDir, 'CURRENT'), 'utf8')).trim();
    await writeFile(join(indexDir, 'builds', build, 'vectors.hnsw'), 'garbage');
    const healed = await open();
    expect((await healed.ask('Who is the Senate Majority Leader?')).passages[0]?.passage.text).toContain('Harry Reid');
    await healed.close();

    const manifestPath = join(indexDir, 'builds', (await readFile(join(indexDir, 'CURRENT'), 'utf8')).trim(), 'manifest.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { embedding: { modelId: string } };
    manifest.embedding.modelId = 'Xenova/all-MiniLM-L6-v2';
    await writeFile(manifestPath, JSON.stringify(manifest));
    const before = await builtAt(indexDir);
    await (await open()).close();
    expect(await builtAt(indexDir)).not.toBe(before);
  });

  it('refreshes a stale index on open, and reuses an up-to-date one', async () => {
    const { corpusDir, indexDir, open } = await setUp('stale');
    await (await open()).close();
    const first = await builtAt(indexDir);
    await (await open()).close();
    expect(await builtAt(indexDir)).toBe(first);
    await writeFile(join(corpusDir, 'new.md'), '---\ntitle: Paris talks\n---\n\nKerry flew to Paris on Sunday to brief European allies.');
    const app = await open();
    expect(await builtAt(indexDir)).not.toBe(first);
    expect(app.sources().articles.map((a) => a.title)).toContain('Paris talks');
    await app.close();
  });

  it('runs one reindex at a time, and keeps serving the old index when a rebuild fails', async () => {
    const { corpusDir, open } = await setUp('reindex');
    const app = await open();
    try {
      await writeFile(join(corpusDir, 'new.md'), 'Kerry flew to Paris on Sunday to brief European allies.');
      const running = app.reindex();
      expect(app.reindexing).toBe(true);
      expect(() => app.reindex()).toThrow(expect.objectContaining({ code: 'REINDEX_IN_PROGRESS' }));
      expect((await running).passages).toBe(14);
      expect(app.reindexing).toBe(false);

      await rm(corpusDir, { recursive: true });
      const failure = await app.reindex().catch((error: unknown) => error);
      expect(isAppError(failure, 'CORPUS_EMPTY')).toBe(true);
      expect((await app.ask('Where did Kerry fly on Sunday?')).passages[0]?.passage.text).toContain('Paris');
    } finally {
      await app.close();
    }
  });

  it('serves the previous index when the corpus it should refresh from is broken', async () => {
    const { corpusDir, open } = await setUp('broken-corpus');
    await (await open()).close();
    await writeFile(join(corpusDir, '000_224c5ab2ccd913b3.txt'), 'Advertisement');
    const app = await open();
    try {
      expect((await app.ask('Who is the Senate Majority Leader?')).passages[0]?.passage.text).toContain('Harry Reid');
    } finally {
      await app.close();
    }
  });

  it('refuses an empty question', async () => {
    const { open } = await setUp('empty-question');
    const app = await open();
    try {
      await expect(app.ask('   ')).rejects.toMatchObject({ code: 'QUESTION_INVALID' });
    } finally {
      await app.close();
    }
  });
});
