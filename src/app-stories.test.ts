/**
 * Stories in the app, with the real model and index: each server's story answers only from its own
 * articles, one story's reindex never locks another, indexes load on first use and are evicted
 * least recently used beyond the memory budget (never the operator's), and a deleted story leaves
 * nothing behind.
 */
import { existsSync } from 'node:fs';
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../tests/support/temp-dir.js';
import { snapshotFolder } from '../tests/support/folder-snapshot.js';
import { type App, createApp } from './app.js';
import { type Config, loadConfig } from './config.js';
import { createLogger } from './logger.js';

const SERVER_A = '100000000000000001';
const SERVER_B = '100000000000000002';
const CONTRIBUTOR = { memberId: undefined, name: 'test' };

let scratch: string;
let config: Config;
let app: App;

/** An article file to add, with `paragraphs` of its own. */
async function articleFile(name: string, title: string, paragraphs: readonly string[]): Promise<{ kind: 'file'; path: string }> {
  const path = join(scratch, 'incoming', `${name}.md`);
  await writeFile(path, `---\ntitle: ${title}\n---\n\n${paragraphs.join('\n\n')}\n`);
  return { kind: 'file', path };
}

// An article to add needs at least 40 words.
const ZEBRAS = [
  'Minister Thandiwe Mokoena opened the Okavango zebra sanctuary in Maun on Friday, the first reserve in Botswana set aside for the migrating herds.',
  'Rangers counted 1,240 zebras at the waterholes inside the sanctuary during its first week, more than twice the number the planners expected.',
];
const HARBOUR = [
  'The harbour master of Valparaíso closed the port on Monday after a winter storm broke the old breakwater and flooded the fish market.',
  'Engineers said repairs to the breakwater would cost 40 million dollars and take a year, while ferries would dock at San Antonio instead.',
];

beforeAll(async () => {
  scratch = await makeTempDir('app-stories');
  await cp('corpus', join(scratch, 'corpus'), { recursive: true });
  await mkdir(join(scratch, 'incoming'));
  config = loadConfig({ CORPUS_DIR: join(scratch, 'corpus'), INDEX_DIR: join(scratch, 'index'), DATA_DIR: join(scratch, 'data'), MODEL_CACHE_DIR: '.cache/models' });
  app = await createApp(config, { logger: createLogger('silent'), history: true });
});

afterAll(async () => {
  await app?.close();
  await rm(scratch, { recursive: true, force: true });
});

describe('stories in the app', () => {
  it('answers each server’s story from its own articles only, and leaves the operator’s corpus as it was', async () => {
    const operatorCorpus = await snapshotFolder(config.corpusDir);
    const zebras = await app.createStory(SERVER_A, 'zebras');
    const harbour = await app.createStory(SERVER_B, 'harbour');
    expect(await app.isEmpty(zebras)).toBe(true);
    await app.using(zebras, async (story) => {
      await expect(story.ask('Who opened the sanctuary?')).rejects.toMatchObject({ code: 'STORY_EMPTY' });
      await story.addArticle(await articleFile('zebras', 'Zebra sanctuary opens', ZEBRAS), CONTRIBUTOR);
    });
    await app.using(harbour, async (story) => story.addArticle(await articleFile('harbour', 'Storm closes Valparaíso port', HARBOUR), CONTRIBUTOR));
    expect(await app.isEmpty(zebras)).toBe(false);

    expect((await app.using(zebras, (story) => story.ask('Who opened the zebra sanctuary?'))).passages[0]?.passage.text).toContain('Mokoena');
    const elsewhere = await app.using(harbour, (story) => story.ask('Who opened the zebra sanctuary?'));
    expect(elsewhere.passages.map((ranked) => ranked.passage.text).join(' ')).not.toMatch(/Mokoena|zebra/);
    expect((await app.operatorStory()).sources().articles.map((article) => article.title)).not.toContain('Zebra sanctuary opens');
    expect(await snapshotFolder(config.corpusDir)).toEqual(operatorCorpus);

    await app.useStory(SERVER_A, 'channel-1', zebras);
    expect((await app.storyOfChannel(SERVER_A, 'channel-1')).id).toBe(zebras.id);
    expect((await app.storyOfChannel(SERVER_A, 'thread-1', 'channel-1')).id).toBe(zebras.id); // a thread in it
    expect((await app.storyOfChannel(SERVER_A, 'channel-2')).id).toBe(app.operator.id);
    expect((await app.storyOfChannel(SERVER_B, 'channel-1')).id).toBe(app.operator.id);
    await expect(app.useStory(SERVER_B, 'channel-9', zebras)).rejects.toMatchObject({ code: 'STORY_NOT_FOUND' });
    expect(app.readableStory(zebras.id, SERVER_B)).toBeUndefined();
    expect(app.changeRefusal(zebras, SERVER_B)).toBe('That story belongs to another server.');
    expect(app.changeRefusal(app.operator, SERVER_A)).toContain('only the operator changes');
    expect(app.changeRefusal(app.operator, undefined)).toBeUndefined(); // the host's command line
  });

  it('locks each story on its own: a second reindex of one is refused while another story rebuilds and answers meanwhile', async () => {
    const zebras = await app.storyNamed(SERVER_A, 'zebras');
    const harbour = await app.storyNamed(SERVER_B, 'harbour');
    await writeFile(join(zebras.corpusDir, 'counts.md'), Array.from({ length: 80 }, (_, k) => `Rangers counted ${k * 3 + 7} zebras at waterhole ${k + 1} on day ${k + 2}.`).join('\n\n'));
    await writeFile(join(harbour.corpusDir, 'tides.md'), 'The port reopened on Thursday once the tide had fallen.');
    await app.using(zebras, async (rebuilt) => {
      const rebuilding = rebuilt.reindex();
      expect(() => rebuilt.reindex()).toThrow(expect.objectContaining({ code: 'REINDEX_IN_PROGRESS' }));
      expect(rebuilt.reindexing).toBe(true);
      await app.using(harbour, async (other) => {
        expect((await other.reindex()).upToDate).toBe(false);
        expect((await other.ask('When did the port reopen?')).passages[0]?.passage.text).toContain('Thursday');
      });
      expect((await rebuilding).passages).toBeGreaterThan(80);
    });
  });

  it('releases stories nobody holds beyond the memory budget, least recently used first, never one in use nor the operator’s', async () => {
    const tight = await createApp({ ...config, stories: { ...config.stories, memoryBudgetBytes: 1 } }, { logger: createLogger('silent') });
    try {
      const operator = await tight.operatorStory();
      const zebras = await tight.storyNamed(SERVER_A, 'zebras');
      const harbour = await tight.storyNamed(SERVER_B, 'harbour');
      await tight.using(zebras, async (held) => {
        // Over budget, but held: both stay loaded while in use, however long that takes.
        await tight.using(harbour, async (other) => expect((await other.ask('When did the port reopen?')).answered).toBe(true));
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect((await held.ask('Who opened the zebra sanctuary?')).passages[0]?.passage.text).toContain('Mokoena');
      });
      // Once returned, each was released: only the operator's is left.
      expect(tight.residentStories().count).toBe(1);
      await new Promise((resolve) => setImmediate(resolve));
      expect(operator.sources().buildId).toBeDefined();
      // Asked again, a released story loads afresh.
      expect((await tight.using(zebras, (again) => again.ask('Who opened the zebra sanctuary?'))).passages[0]?.passage.text).toContain('Mokoena');
    } finally {
      await tight.close();
    }
  });

  it('deletes a story: files, channel bindings and history rows gone, the operator’s story refused', async () => {
    const zebras = await app.storyNamed(SERVER_A, 'zebras');
    const buildId = await app.using(zebras, async (story) => story.sources().buildId ?? '');
    app.history?.store.recordQuestion({ answerId: '1', askedAt: Date.now(), guildId: SERVER_A, storyId: zebras.id, question: 'Who opened it?', answered: true, buildId, passages: [] });
    await app.history?.store.vote('1', 'hmac-sha256:aa', 1);
    await app.deleteStory(zebras);
    expect(existsSync(join(config.dataDir, 'stories', SERVER_A, 'zebras'))).toBe(false);
    expect((await app.storyOfChannel(SERVER_A, 'channel-1')).id).toBe(app.operator.id);
    expect(await app.history?.store.answerOf('1')).toBeUndefined();
    expect(await app.history?.store.counts('1')).toEqual({ up: 0, down: 0 });
    await expect(app.storyNamed(SERVER_A, 'zebras')).rejects.toMatchObject({ code: 'STORY_NOT_FOUND' });
    // A question still on its way to the deleted story finds it gone, and makes no folder again.
    await expect(app.using(zebras, async () => undefined)).rejects.toMatchObject({ code: 'STORY_NOT_FOUND' });
    expect(existsSync(join(config.dataDir, 'stories', SERVER_A, 'zebras'))).toBe(false);
    await expect(app.deleteStory(app.operator)).rejects.toMatchObject({ code: 'STORY_FORBIDDEN' });
    expect((await app.listStories(SERVER_A)).map((listing) => listing.story.id)).toEqual([app.operator.id]);
  });
});
