/** @module fingerprint: a cheap identity for the corpus folder, to tell whether a reindex has anything to do. */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MAX_ARTICLE_BYTES, listCorpus } from './load-corpus.js';

/** Bump when cleaning or splitting changes, so indexes built by older rules are rebuilt. */
export const CORPUS_PIPELINE_VERSION = 2;

/** What identifies one file's content: its hash, or for a file too large to be an article, its size and time. */
async function contentOf(path: string): Promise<string> {
  const info = await stat(path);
  // Never read a huge file (a stray video, a database dump) just to learn it changed.
  if (info.size > MAX_ARTICLE_BYTES) return `large ${info.size} ${info.mtimeMs}`;
  return createHash('sha256').update(await readFile(path)).digest('hex');
}

/** Hash of every visible file's name and bytes (unreadable files count by name and error). */
export async function fingerprintCorpus(dir: string): Promise<string> {
  const hash = createHash('sha256').update(`pipeline ${CORPUS_PIPELINE_VERSION}\n`);
  for (const name of await listCorpus(dir)) {
    const content = await contentOf(join(dir, name)).catch((error: NodeJS.ErrnoException) => `error ${error.code ?? 'unknown'}`);
    hash.update(`${name}\0${content}\n`);
  }
  return hash.digest('hex');
}
