import { execFile } from 'node:child_process';
import { chmod, mkdir, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { withTempDir } from '../../tests/support/temp-dir.js';
import { MAX_ARTICLE_BYTES, listCorpus, loadCorpus } from './load-corpus.js';

/** The conventional unprivileged user and group id. */
const NOBODY = 65534;

const SEED = new URL('../../corpus/', import.meta.url).pathname;

describe('loadCorpus', () => {
  it('cleans the seed article into its real paragraphs, numbered as a reader counts them', async () => {
    const { articles, skipped } = await loadCorpus(SEED);
    expect(skipped).toEqual([]);
    const [seed] = articles;
    expect(seed?.title).toBe('A deal on Syria’s chemical weapons is far from done.');
    const text = seed?.paragraphs.join('\n') ?? '';
    expect(text).not.toContain('IE 11 is not supported');
    expect(text).not.toContain('Russian Syria deal: This would');
    expect(text).not.toContain('following repeated airstrikes by...');
    expect(text.split('A deal on Syria’s chemical weapons is far from done.').length - 1).toBe(1);
    expect(seed?.paragraphs).toHaveLength(13);
    expect(seed?.paragraphs[2]).toMatch(/^Syria has agreed to the Russian plan\./);
    expect(seed?.paragraphs[12]).toMatch(/^Senate Majority Leader Harry Reid/);
  });

  it('reads front matter, and keeps only http(s) links', async () => {
    await withTempDir('corpus', async (dir) => {
      await writeFile(join(dir, 'a.md'), '---\ntitle: Geneva deal\nurl: https://example.org/a\npublished: 2013-09-14\nsource: Wire\n---\n\nThe deal was struck on Saturday.\n');
      await writeFile(join(dir, 'b.md'), '---\ntitle: Sneaky\nurl: javascript:alert(1)\n---\n\nKerry flew to Paris on Sunday.\n');
      const { articles } = await loadCorpus(dir);
      expect(articles[0]).toEqual({
        id: 'a',
        file: 'a.md',
        title: 'Geneva deal',
        url: 'https://example.org/a',
        published: '2013-09-14',
        source: 'Wire',
        paragraphs: ['The deal was struck on Saturday.'],
      });
      expect(articles[1]?.url).toBeUndefined();
    });
  });

  it('reports each unusable file by name with its reason, and loads the rest', async () => {
    await withTempDir('corpus', async (dir) => {
      await writeFile(join(dir, 'good.txt'), 'Lavrov is sending the details today.');
      await writeFile(join(dir, 'binary.txt'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x10]));
      await writeFile(join(dir, 'latin1.txt'), Buffer.from('Caf\xe9 au lait.', 'latin1'));
      await writeFile(join(dir, 'empty.md'), '  \n');
      await writeFile(join(dir, 'huge.txt'), Buffer.alloc(MAX_ARTICLE_BYTES + 1, 'a'));
      await writeFile(join(dir, 'debris.txt'), 'Advertisement\n\nShare this article');
      await writeFile(join(dir, 'bad-yaml.md'), '---\ntitle: [unclosed\n---\nText.');
      await writeFile(join(dir, 'notes.docx'), 'x');
      await mkdir(join(dir, 'folder.md'));
      await symlink('loop.txt', join(dir, 'loop.txt'));
      const reasons = Object.fromEntries((await loadCorpus(dir)).skipped.map((s) => [s.file, s.reason]));
      expect(reasons).toEqual({
        'bad-yaml.md': expect.stringContaining('front matter is not valid YAML'),
        'binary.txt': 'a binary file, not text',
        'debris.txt': 'no article text left after removing page debris',
        'empty.md': 'empty',
        'folder.md': 'not a regular file',
        'huge.txt': expect.stringMatching(/^too large/),
        'latin1.txt': 'not valid UTF-8 text (save it as UTF-8)',
        'loop.txt': 'a symbolic link that loops',
        'notes.docx': 'not a .md or .txt file',
      });
      expect((await loadCorpus(dir)).articles.map((a) => a.file)).toEqual(['good.txt']);
    });
  });

  it('reports a 50 MB file without reading it', async () => {
    await withTempDir('corpus', async (dir) => {
      await writeFile(join(dir, 'good.txt'), 'Lavrov is sending the details today.');
      await writeFile(join(dir, 'dump.txt'), '');
      await truncate(join(dir, 'dump.txt'), 50 * 1024 * 1024); // sparse: 50 MB long, nothing on disk
      const { articles, skipped } = await loadCorpus(dir);
      expect(skipped).toEqual([{ file: 'dump.txt', reason: 'too large (50.0 MB; an article is at most 5.0 MB)' }]);
      expect(articles.map((a) => a.file)).toEqual(['good.txt']);
    });
  });

  it('reports a file removed after the folder was listed (a reindex meeting a deletion), and loads the rest', async () => {
    await withTempDir('corpus', async (dir) => {
      await writeFile(join(dir, 'a.txt'), 'Kerry flew to Paris on Sunday.');
      await writeFile(join(dir, 'b.txt'), 'Lavrov is sending the details today.');
      const listing = await listCorpus(dir);
      await rm(join(dir, 'a.txt'));
      const { articles, skipped } = await loadCorpus(dir, listing);
      expect(skipped).toEqual([{ file: 'a.txt', reason: 'disappeared while it was being read' }]);
      expect(articles.map((a) => a.file)).toEqual(['b.txt']);
    });
  });

  it('reports a file it may not read', async () => {
    await withTempDir('corpus', async (dir) => {
      await writeFile(join(dir, 'good.txt'), 'Lavrov is sending the details today.');
      await writeFile(join(dir, 'secret.txt'), 'Hidden text.');
      await chmod(join(dir, 'secret.txt'), 0o000);
      const expected = { articles: ['good.txt'], skipped: [{ file: 'secret.txt', reason: 'not readable (permission denied)' }] };
      if (process.getuid?.() !== 0) {
        const { articles, skipped } = await loadCorpus(dir);
        expect({ articles: articles.map((a) => a.file), skipped }).toEqual(expected);
        return;
      }
      // Root reads every file whatever its mode, so the same load runs as the unprivileged "nobody".
      await chmod(dir, 0o755);
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'tests/support/load-corpus-child.ts', dir], { uid: NOBODY, gid: NOBODY });
      expect(JSON.parse(stdout)).toEqual(expected);
    });
  });
});
