/**
 * @module article-store: adds articles to the corpus folder and takes them out, losing nothing.
 * A new article is written to a hidden temporary file and linked into place, so no reader ever sees
 * half a file and an existing file is never overwritten; a removed one moves to `.removed/`.
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { AppError, ErrorCodes } from '../errors.js';
import { type ArticleMetadata, parseFrontMatter, renderFrontMatter } from './front-matter.js';
import { listCorpus } from './load-corpus.js';

/** Where removed articles go; hidden, so loading the corpus never reads them. */
export const REMOVED_FOLDER = '.removed';
const MAX_SLUG_LENGTH = 60;
/** Query parameters that say how a reader arrived, not which page they read. */
const TRACKING_PARAMETER = /^(?:utm_\w+|fbclid|gclid|mc_cid|mc_eid|ocid|cmpid|smid)$/i;

export interface CorpusEntry {
  file: string;
  metadata: ArticleMetadata;
}

/** A file name from a title: lower-case ASCII words joined by dashes, cut at a word. */
export function slugOf(title: string): string {
  const words = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  let slug = '';
  for (const word of words) {
    const next = slug === '' ? word : `${slug}-${word}`;
    if (next.length > MAX_SLUG_LENGTH) break;
    slug = next;
  }
  return slug === '' ? 'article' : slug;
}

/** The form two links to the same article share: no fragment, no tracking parameters, no trailing slash. */
export function sameArticleUrl(link: string): string {
  const url = new URL(link);
  url.hash = '';
  for (const name of [...url.searchParams.keys()]) if (TRACKING_PARAMETER.test(name)) url.searchParams.delete(name);
  url.hostname = url.hostname.replace(/^www\./, '');
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}${url.search}`;
}

/** Every article file with its front matter (files whose header does not parse count with none). */
export async function readCorpusEntries(corpusDir: string): Promise<CorpusEntry[]> {
  const entries: CorpusEntry[] = [];
  for (const file of await listCorpus(corpusDir)) {
    if (!/^\.(?:md|markdown|txt)$/i.test(extname(file))) continue;
    let metadata: ArticleMetadata = {};
    try {
      metadata = parseFrontMatter(await readFile(join(corpusDir, file), 'utf8')).metadata;
    } catch {
      // An unreadable file or header is reported by the loader; here it simply has no metadata.
    }
    entries.push({ file, metadata });
  }
  return entries;
}

/** The file already holding the article at any of these links, if one does. */
export async function findArticleByUrl(corpusDir: string, links: readonly string[]): Promise<CorpusEntry | undefined> {
  const wanted = new Set(links.filter((candidate) => URL.canParse(candidate)).map(sameArticleUrl));
  return (await readCorpusEntries(corpusDir)).find(({ metadata }) => metadata.url !== undefined && wanted.has(sameArticleUrl(metadata.url)));
}

/**
 * Writes a new article as `<slug>.md` (or `<slug>-2.md`… when the name is taken) and returns the
 * file name. The file appears complete or not at all.
 */
export async function saveNewArticle(corpusDir: string, metadata: ArticleMetadata, paragraphs: readonly string[]): Promise<string> {
  const slug = slugOf(metadata.title ?? paragraphs[0] ?? '');
  const temporary = join(corpusDir, `.adding-${randomBytes(6).toString('hex')}.md`);
  await writeFile(temporary, `${renderFrontMatter(metadata)}\n${paragraphs.join('\n\n')}\n`, { flag: 'wx' });
  try {
    for (let attempt = 1; ; attempt += 1) {
      const file = attempt === 1 ? `${slug}.md` : `${slug}-${attempt}.md`;
      try {
        await link(temporary, join(corpusDir, file)); // unlike rename, never replaces an existing file
        return file;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
  } finally {
    await unlink(temporary);
  }
}

/** Deletes an article this process has just saved (its index could not be built); nothing else. */
export async function discardNewArticle(corpusDir: string, file: string): Promise<void> {
  await unlink(join(corpusDir, file));
}

/** The corpus file a member means by `name`: its file name, its name without extension, or its title. */
export async function resolveArticle(corpusDir: string, name: string): Promise<CorpusEntry> {
  const wanted = name.trim().toLowerCase();
  const entries = await readCorpusEntries(corpusDir);
  const found =
    entries.find(({ file }) => file.toLowerCase() === wanted) ??
    entries.find(({ file }) => file.slice(0, file.length - extname(file).length).toLowerCase() === wanted) ??
    entries.find(({ metadata }) => metadata.title?.toLowerCase() === wanted);
  if (!found) throw new AppError(ErrorCodes.ARTICLE_NOT_FOUND, `No article in the corpus is called "${name.trim().slice(0, 200)}". See the articles with /sources (Discord) or npm run article -- list.`);
  return found;
}

/** A name in `.removed/` not yet taken: the file's own, or with the time of removal added. */
function removedName(file: string, taken: ReadonlySet<string>): string {
  if (!taken.has(file)) return file;
  const extension = extname(file);
  return `${file.slice(0, file.length - extension.length)}.${new Date().toISOString().replace(/[:.]/g, '-')}${extension}`;
}

/** Moves an article to `.removed/`; the returned function puts it back (when its index could not be rebuilt). */
export async function retireArticle(corpusDir: string, file: string): Promise<{ movedTo: string; restore(): Promise<void> }> {
  const removedDir = join(corpusDir, REMOVED_FOLDER);
  await mkdir(removedDir, { recursive: true });
  const movedTo = join(REMOVED_FOLDER, removedName(file, new Set(await listCorpus(removedDir))));
  await rename(join(corpusDir, file), join(corpusDir, movedTo));
  return { movedTo, restore: () => rename(join(corpusDir, movedTo), join(corpusDir, file)) };
}
