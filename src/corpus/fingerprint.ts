/** @module fingerprint: a cheap identity for the corpus folder, to tell whether a reindex has anything to do. */
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Bump when cleaning or splitting changes, so indexes built by older rules are rebuilt. */
export const CORPUS_PIPELINE_VERSION = 1;

/** Hash of every visible file's name and bytes (unreadable files count by name and error). */
export async function fingerprintCorpus(dir: string): Promise<string> {
  const hash = createHash('sha256').update(`pipeline ${CORPUS_PIPELINE_VERSION}\n`);
  const names = (await readdir(dir)).filter((name) => !name.startsWith('.')).sort();
  for (const name of names) {
    const content = await readFile(join(dir, name)).then(
      (bytes) => createHash('sha256').update(bytes).digest('hex'),
      (error: NodeJS.ErrnoException) => `error ${error.code ?? 'unknown'}`,
    );
    hash.update(`${name}\0${content}\n`);
  }
  return hash.digest('hex');
}
