/** @module corpus-faults: one file of each kind the corpus loader must skip, with the reason it must give. */
import { chmod, symlink, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Writes a binary file, invalid UTF-8, an empty file, a 50 MB file (sparse), a symbolic link loop
 * and, unless running as root (who reads any file), an unreadable file into `dir`. Returns each
 * file name with the reason the loader must report it with.
 */
export async function writeCorpusFaults(dir: string): Promise<Record<string, string>> {
  const faults: Record<string, string> = {
    'binary.md': 'a binary file, not text',
    'cp1252.txt': 'not valid UTF-8 text (save it as UTF-8)',
    'empty.txt': 'empty',
    'huge.md': 'too large (50.0 MB; an article is at most 5.0 MB)',
    'loop.md': 'a symbolic link that loops',
  };
  await writeFile(join(dir, 'binary.md'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00]));
  await writeFile(join(dir, 'cp1252.txt'), Buffer.from('\x93Smart quotes\x94 from an old editor.', 'latin1'));
  await writeFile(join(dir, 'empty.txt'), '');
  await writeFile(join(dir, 'huge.md'), '');
  await truncate(join(dir, 'huge.md'), 50 * 1024 * 1024);
  await symlink('loop.md', join(dir, 'loop.md'));
  // The loader's own test stages this one as an unprivileged user when the tests run as root.
  if (process.getuid?.() !== 0) {
    await writeFile(join(dir, 'locked.txt'), 'Kept from everyone.');
    await chmod(join(dir, 'locked.txt'), 0o000);
    faults['locked.txt'] = 'not readable (permission denied)';
  }
  return faults;
}
