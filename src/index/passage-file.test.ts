import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../tests/support/temp-dir.js';
import type { Passage } from '../corpus/article.js';
import { ENTITY } from '../corpus/entities.js';
import { PassageFile, allPassages, encodePassages } from './passage-file.js';
import type { IndexedArticle } from './story-index.js';

const articles: IndexedArticle[] = [
  { id: 'a', file: 'a.md', title: 'A', passageCount: 1 },
  { id: 'b', file: 'b.txt', title: 'B “quoted”', url: 'https://example.com/b', passageCount: 2 },
];
const passages: Passage[] = [
  { id: 'a#1', articleId: 'a', paragraph: 1, part: 1, text: 'Kerry’s reply. It came fast. Then.', sentences: [[0, 14], [15, 28], [29, 34]] },
  { id: 'b#3.1', articleId: 'b', paragraph: 3, part: 1, text: 'Emoji 🚀 count twice in UTF-16.', sentences: [[0, 31]] },
  { id: 'b#3.2', articleId: 'b', paragraph: 3, part: 2, text: 'The second part.', sentences: [[0, 16]] },
];
/** One set per sentence; odd in number, so the texts start after padding. */
const entities = Uint16Array.from([ENTITY.person, 0, 0, ENTITY.date | ENTITY.place, 0]);

describe('passage file', () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await makeTempDir('passages');
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('gives back every passage as written, ids of split paragraphs included, reading texts on demand', async () => {
    const path = join(scratch, 'passages.bin');
    await writeFile(path, encodePassages(articles, passages, entities));
    const file = PassageFile.open(path);
    expect(file.articles).toEqual(articles);
    expect(allPassages(file)).toEqual(passages);
    expect([0, 1, 2].map((label) => file.sentenceCount(label))).toEqual([3, 1, 1]);
    expect([0, 1, 2].map((label) => [...file.entities(label)])).toEqual([[ENTITY.person, 0, 0], [ENTITY.date | ENTITY.place], [0]]);
    expect(() => file.get(3)).toThrow(RangeError);
    file.close();
    expect(() => file.get(0)).toThrow('closed');
  });

  it('refuses a file whose texts are cut short', async () => {
    const path = join(scratch, 'truncated.bin');
    const bytes = encodePassages(articles, passages, entities);
    await writeFile(path, bytes.subarray(0, bytes.byteLength - 1));
    expect(() => PassageFile.open(path)).toThrow('adds up to');
  });
});
