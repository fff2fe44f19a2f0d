import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withTempDir } from '../tests/support/temp-dir.js';
import { fileMemberKey, memberHasher } from './member-id.js';

const hasherIn = async (dir: string) => memberHasher(await fileMemberKey(dir));

describe('memberHasher', () => {
  it('hashes with a key made once, private to the owner, the same for every process that opens it', () =>
    withTempDir('member', async (dir) => {
      const [one, two] = await Promise.all([hasherIn(dir), hasherIn(dir)]);
      const id = '400000000000000042';
      expect(one(id)).toMatch(/^hmac-sha256:[0-9a-f]{32}$/);
      expect(one(id)).toBe(two(id));
      expect(one(id)).not.toBe(one('400000000000000043'));
      expect(one(id)).not.toContain(id);
      expect((await stat(join(dir, 'member-key'))).mode & 0o777).toBe(0o600);
      expect(await readFile(join(dir, 'member-key'), 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    }));

  it('gives different hashes under different keys', () =>
    withTempDir('member', (a) => withTempDir('member', async (b) => expect((await hasherIn(a))('1')).not.toBe((await hasherIn(b))('1')))));
});
