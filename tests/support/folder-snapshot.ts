/** @module folder-snapshot: every file under a folder (hidden ones included) by path, with its bytes' hash, to show nothing changed. */
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';

export async function snapshotFolder(root: string): Promise<Record<string, string>> {
  const snapshot: Record<string, string> = {};
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  for (const entry of entries.filter((e) => e.isFile())) {
    const path = join(entry.parentPath, entry.name);
    snapshot[relative(root, path)] = createHash('sha256').update(await readFile(path)).digest('hex');
  }
  return snapshot;
}
