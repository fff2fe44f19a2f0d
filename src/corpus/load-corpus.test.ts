import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withTempDir } from '../../tests/support/temp-dir.js';
import { MAX_ARTICLE_BYTES, loadCorpus } from './load-corpus.js';

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

  // Root reads everything, so the permission check can only be staged as another user.
  it.skipIf(process.getuid?.() === 0)('reports a file it may not read', async () => {
    await withTempDir('corpus', async (dir) => {
      await writeFile(join(dir, 'secret.txt'), 'Hidden text.');
      await chmod(join(dir, 'secret.txt'), 0o000);
      expect((await loadCorpus(dir)).skipped).toEqual([{ file: 'secret.txt', reason: 'not readable (permission denied)' }]);
    });
  });
});
