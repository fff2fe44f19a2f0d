/** Stories on disk: names, limits, layout. (Which story each channel reads: storage/storage.test.ts.) */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withTempDir } from '../../tests/support/temp-dir.js';
import { loadConfig } from '../config.js';
import { OPERATOR_STORY_ID, parseStoryId, readableFrom, storyName } from './story.js';
import { FolderStoryCatalog } from './folder-story-catalog.js';
import { StoryStore } from './story-store.js';

const SERVER = '100000000000000001';
const OTHER = '100000000000000002';

function storeIn(dir: string, env: Record<string, string> = {}): StoryStore {
  const config = loadConfig({ CORPUS_DIR: join(dir, 'corpus'), INDEX_DIR: join(dir, 'index'), DATA_DIR: join(dir, 'data'), ...env });
  return new StoryStore(config, new FolderStoryCatalog(config.dataDir));
}

describe('story names and ids', () => {
  it('turns a typed name into a story name, refusing what cannot be one', () => {
    expect(storyName('  Election Night ')).toBe('election-night');
    expect(storyName('syria_2013')).toBe('syria-2013');
    for (const bad of ['', '-x', 'x-', 'a/b', '../up', 'ü', 'x'.repeat(33)]) expect(() => storyName(bad), bad).toThrow(expect.objectContaining({ code: 'STORY_NAME_INVALID' }));
    expect(() => storyName('Shared')).toThrow(/operator's story/);
  });

  it('parses story ids, and lets a server read its own stories and the operator’s only', () => {
    expect(parseStoryId(`${SERVER}/election-night`)).toEqual({ owner: SERVER, name: 'election-night' });
    expect(parseStoryId(OPERATOR_STORY_ID)).toEqual({ owner: 'operator', name: 'shared' });
    for (const bad of ['election', `${SERVER}/`, `x/${'a'}`, `${SERVER}/../../etc`]) expect(() => parseStoryId(bad), bad).toThrow(expect.objectContaining({ code: 'STORY_NOT_FOUND' }));
    expect(readableFrom({ owner: SERVER }, SERVER)).toBe(true);
    expect(readableFrom({ owner: SERVER }, OTHER)).toBe(false);
    expect(readableFrom({ owner: SERVER }, undefined)).toBe(false);
    expect(readableFrom({ owner: 'operator' }, OTHER)).toBe(true);
  });
});

describe('StoryStore', () => {
  it('creates a server story as DATA_DIR/stories/<server>/<name>/corpus, refuses a second of that name, and finds it only under its owner', () =>
    withTempDir('stories', async (dir) => {
      const store = storeIn(dir);
      const story = await store.create(SERVER, 'Election Night');
      expect(story).toEqual({
        id: `${SERVER}/election-night`,
        owner: SERVER,
        name: 'election-night',
        corpusDir: join(dir, 'data', 'stories', SERVER, 'election-night', 'corpus'),
        indexDir: join(dir, 'data', 'stories', SERVER, 'election-night', 'index'),
      });
      expect(existsSync(story.corpusDir)).toBe(true);
      await expect(store.create(SERVER, 'election-night')).rejects.toMatchObject({ code: 'STORY_EXISTS' });
      expect(store.find(story.id)).toEqual(story);
      expect(store.named(SERVER, 'Election Night')).toEqual(story);
      expect(() => store.named(OTHER, 'election-night')).toThrow(expect.objectContaining({ code: 'STORY_NOT_FOUND' }));
      expect(store.named(OTHER, 'shared')).toBe(store.operator);
      expect(store.list(SERVER).map((each) => each.name)).toEqual(['election-night']);
      expect(store.list(OTHER)).toEqual([]);
      expect(store.owners()).toEqual([SERVER]);
    }));

  it('keeps to the limits: stories per server, articles and bytes per story', () =>
    withTempDir('stories', async (dir) => {
      const store = storeIn(dir, { MAX_STORIES_PER_SERVER: '2', MAX_ARTICLES_PER_STORY: '2', MAX_STORY_MB: '1' });
      const story = await store.create(SERVER, 'one');
      await store.create(SERVER, 'two');
      await expect(store.create(SERVER, 'three')).rejects.toMatchObject({ code: 'STORY_LIMIT', message: expect.stringContaining('MAX_STORIES_PER_SERVER') });
      await store.create(OTHER, 'three'); // another server's count is its own
      await writeFile(join(story.corpusDir, 'a.md'), 'x'.repeat(600_000));
      await expect(store.checkRoom(story, { articles: 1, bytes: 600_000 })).rejects.toMatchObject({ code: 'STORY_LIMIT', message: expect.stringContaining('MAX_STORY_MB') });
      await store.checkRoom(story, { articles: 1, bytes: 1000 });
      await writeFile(join(story.corpusDir, 'b.md'), 'y');
      await expect(store.checkRoom(story, { articles: 1, bytes: 0 })).rejects.toMatchObject({ code: 'STORY_LIMIT', message: expect.stringContaining('MAX_ARTICLES_PER_STORY') });
      // The operator sizes their own story.
      await store.checkRoom(store.operator, { articles: 10_000, bytes: 10 ** 12 });
    }));

  it('deletes a story out of sight at once, and never the operator’s', () =>
    withTempDir('stories', async (dir) => {
      const store = storeIn(dir);
      const story = await store.create(SERVER, 'gone');
      await writeFile(join(story.corpusDir, 'a.md'), 'text');
      await store.delete(story);
      expect(existsSync(join(dir, 'data', 'stories', SERVER, 'gone'))).toBe(false);
      expect(store.find(story.id)).toBeUndefined();
      expect(store.list(SERVER)).toEqual([]);
      await expect(store.delete(story)).rejects.toMatchObject({ code: 'STORY_NOT_FOUND' });
      await expect(store.delete(store.operator)).rejects.toMatchObject({ code: 'STORY_FORBIDDEN' });
      // What a deletion can leave behind (a question in flight making the index folder again) does not block the name.
      await mkdir(join(dir, 'data', 'stories', SERVER, 'gone', 'index'), { recursive: true });
      expect(store.find(story.id)).toBeUndefined();
      expect((await store.create(SERVER, 'gone')).id).toBe(story.id);
    }));
});
