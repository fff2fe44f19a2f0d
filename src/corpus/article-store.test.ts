import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withTempDir } from '../../tests/support/temp-dir.js';
import { findArticleByUrl, resolveArticle, retireArticle, saveNewArticle, sameArticleUrl, slugOf } from './article-store.js';
import { loadCorpus } from './load-corpus.js';

describe('slugOf', () => {
  it('makes a short ASCII file name from a title, cut at a word', () => {
    expect(slugOf('Syria’s deal: Kerry & Lavrov agree — “framework” in Genève')).toBe('syrias-deal-kerry-lavrov-agree-framework-in-geneve');
    expect(slugOf('A'.repeat(10) + ' ' + 'word '.repeat(30)).length).toBeLessThanOrEqual(60);
    expect(slugOf('!!!')).toBe('article');
  });
});

describe('sameArticleUrl', () => {
  it('ignores fragments, tracking parameters, www and a trailing slash, but not the path or other parameters', () => {
    expect(sameArticleUrl('https://www.example.org/a/b/?utm_source=x&id=3#comments')).toBe(sameArticleUrl('https://example.org/a/b?id=3'));
    expect(sameArticleUrl('https://example.org/a/b')).not.toBe(sameArticleUrl('https://example.org/a/c'));
    expect(sameArticleUrl('https://example.org/a?id=3')).not.toBe(sameArticleUrl('https://example.org/a?id=4'));
  });
});

describe('saveNewArticle', () => {
  it('writes front matter and paragraphs the loader reads back, never replacing a file with the same name, leaving no temporary file', () =>
    withTempDir('store', async (dir) => {
      await writeFile(join(dir, 'inspectors-arrive.md'), 'An older article with the same name.\n');
      const metadata = { title: 'Inspectors arrive', url: 'https://example.org/inspectors', source: 'Example: News', published: '2013-10-01' };
      const file = await saveNewArticle(dir, metadata, ['First paragraph of the story, long enough to be one.', '- A list item']);
      expect(file).toBe('inspectors-arrive-2.md');
      expect(await readFile(join(dir, 'inspectors-arrive.md'), 'utf8')).toBe('An older article with the same name.\n');
      expect((await readdir(dir)).sort()).toEqual(['inspectors-arrive-2.md', 'inspectors-arrive.md']);
      const { articles } = await loadCorpus(dir);
      expect(articles.find((a) => a.file === file)).toMatchObject({ ...metadata, paragraphs: ['First paragraph of the story, long enough to be one.', '- A list item'] });
      expect((await findArticleByUrl(dir, ['https://www.example.org/inspectors/']))?.file).toBe(file);
    }));
});

describe('retireArticle and resolveArticle', () => {
  it('finds an article by file, name or title, moves it to .removed/ under a free name, and can put it back', () =>
    withTempDir('store', async (dir) => {
      await writeFile(join(dir, 'a.md'), '---\ntitle: The First One\n---\n\nText.\n');
      expect((await resolveArticle(dir, 'a.md')).file).toBe('a.md');
      expect((await resolveArticle(dir, 'A')).file).toBe('a.md');
      expect((await resolveArticle(dir, 'the first one')).file).toBe('a.md');
      await expect(resolveArticle(dir, 'b')).rejects.toThrow('No article in the corpus is called "b". See the articles with /sources');
      const first = await retireArticle(dir, 'a.md');
      expect(first.movedTo).toBe(join('.removed', 'a.md'));
      await first.restore();
      expect(await readdir(dir)).toContain('a.md');
      await retireArticle(dir, 'a.md');
      await writeFile(join(dir, 'a.md'), 'A new a.\n');
      const second = await retireArticle(dir, 'a.md');
      expect(second.movedTo).toMatch(/^\.removed\/a\.\d{4}-\d\d-\d\dT[\d-]+Z\.md$/);
      expect((await readdir(join(dir, '.removed'))).length).toBe(2);
    }));
});
