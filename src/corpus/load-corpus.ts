/**
 * @module load-corpus: reads the story's articles from a folder. A file that cannot be used is
 * reported with its reason and skipped; the rest of the corpus still loads.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { Article, SkippedFile } from './article.js';
import { type ArticleFormat, cleanArticle } from './clean-article.js';
import { parseFrontMatter } from './front-matter.js';

export interface LoadedCorpus {
  /** Sorted by file name, so the same folder always loads the same way. */
  articles: Article[];
  skipped: SkippedFile[];
}

const FORMATS: Readonly<Record<string, ArticleFormat>> = { '.md': 'md', '.markdown': 'md', '.txt': 'txt' };
/** News and encyclopedia articles are tens of kilobytes; anything this large is not one. */
export const MAX_ARTICLE_BYTES = 5 * 1024 * 1024;
const MAX_TITLE_WORDS = 14;

/** A short title from the first sentence of the first paragraph, cut at a word boundary. */
function titleFromText(firstParagraph: string): string {
  const sentence = /^.*?[.!?](?=\s|$)/.exec(firstParagraph)?.[0] ?? firstParagraph;
  const words = sentence.split(/\s+/);
  return words.length <= MAX_TITLE_WORDS ? sentence : `${words.slice(0, MAX_TITLE_WORDS).join(' ')}…`;
}

function tooLarge(bytes: number): string {
  const mb = (n: number): string => (n / 1024 / 1024).toFixed(1);
  return `too large (${mb(bytes)} MB; an article is at most ${mb(MAX_ARTICLE_BYTES)} MB)`;
}

function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'not readable (permission denied)';
    case 'ENOENT':
      return 'disappeared while it was being read';
    case 'ELOOP':
      return 'a symbolic link that loops';
    case 'EISDIR':
      return 'a folder, not a file';
    default:
      return `could not be read (${code ?? String(error)})`;
  }
}

/** Reads one file; returns the article, or the reason it was skipped. */
async function loadArticle(dir: string, file: string, format: ArticleFormat): Promise<Article | string> {
  const path = join(dir, file);
  let bytes: Buffer;
  try {
    const info = await stat(path); // follows symbolic links; a loop fails with ELOOP
    if (!info.isFile()) return 'not a regular file';
    if (info.size > MAX_ARTICLE_BYTES) return tooLarge(info.size);
    bytes = await readFile(path);
  } catch (error) {
    return describeReadError(error);
  }
  // The file may have grown between stat and read.
  if (bytes.byteLength > MAX_ARTICLE_BYTES) return tooLarge(bytes.byteLength);
  if (bytes.includes(0)) return 'a binary file, not text';
  let source: string;
  try {
    source = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return 'not valid UTF-8 text (save it as UTF-8)';
  }
  if (source.trim() === '') return 'empty';
  let parsed: ReturnType<typeof parseFrontMatter>;
  try {
    parsed = parseFrontMatter(source);
  } catch (error) {
    return `its front matter is not valid YAML (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`;
  }
  const { paragraphs, heading } = cleanArticle(parsed.body, format);
  const [firstParagraph] = paragraphs;
  if (firstParagraph === undefined) return 'no article text left after removing page debris';
  const id = file.slice(0, file.length - extname(file).length);
  return {
    id,
    file,
    title: parsed.metadata.title ?? heading ?? titleFromText(firstParagraph),
    url: parsed.metadata.url,
    published: parsed.metadata.published,
    source: parsed.metadata.source,
    byline: parsed.metadata.byline,
    added: parsed.metadata.addedAt === undefined ? undefined : { at: parsed.metadata.addedAt, by: parsed.metadata.addedByName },
    paragraphs,
  };
}

/** The corpus folder's entries, hidden ones left out, sorted. */
export async function listCorpus(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => !name.startsWith('.')).sort();
}

/**
 * Loads every listed file (by default, what the folder holds now). A file listed but gone by the
 * time it is read, as when it is deleted during a reindex, is reported like any unusable file.
 */
export async function loadCorpus(dir: string, names?: readonly string[]): Promise<LoadedCorpus> {
  names ??= await listCorpus(dir);
  const articles: Article[] = [];
  const skipped: SkippedFile[] = [];
  const ids = new Map<string, string>();
  for (const file of names) {
    const format = FORMATS[extname(file).toLowerCase()];
    if (format === undefined) {
      skipped.push({ file, reason: 'not a .md or .txt file' });
      continue;
    }
    const result = await loadArticle(dir, file, format);
    if (typeof result === 'string') {
      skipped.push({ file, reason: result });
      continue;
    }
    const clash = ids.get(result.id);
    if (clash !== undefined) {
      skipped.push({ file, reason: `has the same name as ${clash}; rename one of them` });
      continue;
    }
    ids.set(result.id, file);
    articles.push(result);
  }
  return { articles, skipped };
}
