/** The shared use cases, with the real model and index: self-healing on open, safe rebuilds. */
import { cp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../tests/support/temp-dir.js';
import type { StoryApp } from './app.js';
import { openOperatorStory } from '../tests/support/open-story.js';
import { type Config, loadConfig } from './config.js';
import { tryLockReindex } from './index/reindex-lock.js';
import { isAppError } from './errors.js';
import { type Logger, createLogger } from './logger.js';
import { captureLogs } from '../tests/support/log-capture.js';

const logger = createLogger('silent');

describe('app', () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await makeTempDir('app');
  });
  afterAll(() => rm(scratch, { recursive: true, force: true }));

  async function setUp(name: string): Promise<{ corpusDir: string; indexDir: string; config: Config; open: (log?: Logger) => Promise<StoryApp> }> {
    const corpusDir = join(scratch, name, 'corpus');
    const indexDir = join(scratch, name, 'index');
    await cp('corpus', corpusDir, { recursive: true });
    const config = loadConfig({ CORPUS_DIR: corpusDir, INDEX_DIR: indexDir, MODEL_CACHE_DIR: '.cache/models' });
    return { corpusDir, indexDir, config, open: (log = logger) => openOperatorStory(config, { logger: log }) };
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

  /** Damages the live build in place. */
  type Damage = (buildDir: string) => Promise<void>;
  const rewrite = (name: string, change: (bytes: Buffer) => Buffer | string): Damage => async (buildDir) => {
    const path = join(buildDir, name);
    await writeFile(path, change(await readFile(path)));
  };

  it.each<[string, Damage, string, RegExp]>([
    ['a truncated vector file', rewrite('vectors.hnsw', (bytes) => bytes.subarray(0, bytes.byteLength >> 1)), 'the saved index is damaged; rebuilding', /vectors\.hnsw has \d+ bytes, expected \d+/],
    ['a corrupted vector file', rewrite('vectors.hnsw', (bytes) => Buffer.concat([bytes.subarray(0, 64), Buffer.alloc(16, 0xff), bytes.subarray(80)])), 'the saved index is damaged; rebuilding', /vectors\.hnsw does not match its checksum/],
    ['corrupted sentence vectors', rewrite('sentence-vectors.i8', (bytes) => Buffer.from(bytes).fill(7, 0, 32)), 'the saved index is damaged; rebuilding', /sentence-vectors\.i8 does not match its checksum/],
    ['corrupted passage vectors', rewrite('passage-vectors.i8', (bytes) => Buffer.from(bytes).fill(7, 0, 32)), 'the saved index is damaged; rebuilding', /passage-vectors\.i8 does not match its checksum/],
    ['a missing manifest', (buildDir) => rm(join(buildDir, 'manifest.json')), 'the saved index is damaged; rebuilding', /its manifest cannot be read/],
    ['missing passage metadata', (buildDir) => rm(join(buildDir, 'passages.bin')), 'the saved index is damaged; rebuilding', /passages\.bin cannot be read/],
    ['a manifest from another model', rewrite('manifest.json', (bytes) => bytes.toString().replace('"modelId": "use-lite"', '"modelId": "Xenova/all-MiniLM-L6-v2"')), 'the index is out of date; rebuilding', /built with model "Xenova\/all-MiniLM-L6-v2", the configured model is "use-lite"/],
  ])('detects %s on open, says so in the log, and rebuilds', async (what, damage, logged, detail) => {
    const { indexDir, open } = await setUp(`fault-${what.replaceAll(' ', '-')}`);
    await (await open()).close();
    const before = await builtAt(indexDir);
    await damage(join(indexDir, 'builds', (await readFile(join(indexDir, 'CURRENT'), 'utf8')).trim()));
    const logs = captureLogs('info');
    const healed = await open(logs.logger);
    try {
      const [line] = logs.find(logged);
      // A damaged index is logged with the error, an out-of-date one with the reason.
      expect(String(line?.reason ?? (line?.err as { message?: string } | undefined)?.message)).toMatch(detail);
      expect(logs.find('index built')).toHaveLength(1);
      expect(await builtAt(indexDir)).not.toBe(before);
      expect((await healed.ask('Who is the Senate Majority Leader?')).passages[0]?.passage.text).toContain('Harry Reid');
    } finally {
      await healed.close();
    }
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

  it('shares one index folder between processes: one rebuild at a time, and the others switch to it', async () => {
    const { corpusDir, config, open } = await setUp('shared');
    const builder = await open();
    // A second app on the same folder stands in for another shard: it only serves.
    const server = await openOperatorStory(config, { logger, trustIndex: true });
    try {
      const before = server.sources().buildId;
      expect(await server.reloadIndex()).toEqual({ switched: false, buildId: before });
      await writeFile(join(corpusDir, 'new.md'), '---\ntitle: Paris talks\n---\n\nKerry flew to Paris on Sunday to brief European allies.');
      const running = builder.reindex();
      // The lock file in INDEX_DIR refuses the other process while the first one builds.
      await expect(server.reindex()).rejects.toMatchObject({ code: 'REINDEX_IN_PROGRESS', message: expect.stringContaining(`process ${process.pid}`) });
      await running;
      expect(server.sources().articles.map((a) => a.title)).not.toContain('Paris talks');
      const reload = await server.reloadIndex();
      expect(reload).toEqual({ switched: true, buildId: builder.sources().buildId });
      expect(reload.buildId).not.toBe(before);
      expect((await server.ask('Where did Kerry fly on Sunday?')).passages[0]?.article.title).toBe('Paris talks');
      // The lock is gone once the rebuild finished, so the other process may rebuild now.
      expect((await server.reindex()).upToDate).toBe(true);
    } finally {
      await server.close();
      await builder.close();
    }
  });

  it('starts during another process\'s rebuild: a serving process takes the last complete index at once, one that must build waits', async () => {
    const { corpusDir, indexDir, config, open } = await setUp('mid-rebuild');
    await (await open()).close();
    const live = (await readFile(join(indexDir, 'CURRENT'), 'utf8')).trim();
    await writeFile(join(corpusDir, 'new.md'), '---\ntitle: Paris talks\n---\n\nKerry flew to Paris on Sunday to brief European allies.');
    const otherRebuild = tryLockReindex(indexDir); // held as another process's rebuild would hold it
    try {
      const serving = await openOperatorStory(config, { logger, trustIndex: true });
      expect(serving.sources().buildId).toBe(live);
      await serving.close();

      let opened = false;
      const building = open().then((app) => ((opened = true), app));
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(opened).toBe(false); // it needs a build (the corpus changed), so it waits rather than racing
      otherRebuild.release();
      const app = await building;
      expect(app.sources().articles.map((a) => a.title)).toContain('Paris talks');
      await app.close();
    } finally {
      otherRebuild.release();
    }
  });

  it('reindexes while files are being deleted: each is indexed, reported as gone, or was gone before it was listed', async () => {
    const { corpusDir, open } = await setUp('deleting');
    const app = await open();
    try {
      const notes = Array.from({ length: 150 }, (_, k) => `note-${String(k).padStart(3, '0')}.txt`);
      // One text for all: the build embeds it once, so the test is about reading files, not the model.
      for (const note of notes) await writeFile(join(corpusDir, note), 'Kerry flew to Paris on Sunday to brief European allies.');
      const running = app.reindex();
      let finished = false;
      void running.finally(() => (finished = true)).catch(() => undefined);
      const deleted: string[] = [];
      // From the end of the list, a little at a time, so deletions overlap the listing and the reading.
      for (const note of [...notes].reverse()) {
        if (finished) break;
        await new Promise((resolve) => setTimeout(resolve, 1));
        await rm(join(corpusDir, note));
        deleted.push(note);
      }
      const summary = await running;
      const gone = summary.skipped.filter((s) => s.reason === 'disappeared while it was being read').map((s) => s.file);
      const indexed = new Set(app.sources().articles.map((a) => a.file));
      expect(summary.skipped.filter((s) => !gone.includes(s.file))).toEqual([]);
      for (const file of gone) expect(deleted).toContain(file);
      for (const note of notes.filter((n) => !deleted.includes(n))) expect(indexed.has(note), note).toBe(true);
      expect(indexed.has('000_224c5ab2ccd913b3.txt')).toBe(true);
      console.info(`deleted during the reindex: ${deleted.length}; reported as gone: ${gone.length}; indexed before deletion: ${deleted.filter((n) => indexed.has(n)).length}`);
      // The folder changed after it was fingerprinted, so the next reindex brings the index in line with it.
      expect((await app.reindex()).upToDate).toBe(false);
      expect(app.sources().articles.map((a) => a.file).sort()).toEqual((await readdir(corpusDir)).sort());
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

  it('refuses a question with no words in it', async () => {
    const { open } = await setUp('empty-question');
    const app = await open();
    try {
      for (const blank of ['   ', '...', '?!', '😀🔥💣']) await expect(app.ask(blank)).rejects.toMatchObject({ code: 'QUESTION_INVALID' });
      expect((await app.ask('Путин?')).answered).toBe(false); // words, just not the story's
    } finally {
      await app.close();
    }
  });
});
