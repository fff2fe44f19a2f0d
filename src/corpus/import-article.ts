/**
 * @module import-article: an article to add, from a link, a file uploaded to Discord, or a local
 * file: fetched safely, decoded, extracted, and cleaned by the same rules the corpus loader applies,
 * so what is reported to the member is exactly what will become passages.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { AppError, ErrorCodes } from '../errors.js';
import { cleanArticle } from './clean-article.js';
import { type ArticleMetadata, parseFrontMatter } from './front-matter.js';
import { MAX_ARTICLE_BYTES } from './load-corpus.js';
import { decodeText } from './web/decode-text.js';
import { ACCEPTED_EXTENSIONS, type DocumentKind, kindOfFileName } from './web/document-kind.js';
import { NO_ARTICLE_TEXT, extractArticle } from './web/extract-article.js';
import { type FetchSettings, type FetchedDocument, fetchDocument, megabytes, parseLink } from './web/safe-fetch.js';

export type ArticleSource =
  /** A web page a member linked to. */
  | { kind: 'link'; link: string }
  /** A file a member uploaded to Discord, fetched from its CDN address. */
  | { kind: 'upload'; url: string; name: string; size: number }
  /** A file on this machine (the command line). */
  | { kind: 'file'; path: string };

export interface ArticleDraft {
  metadata: ArticleMetadata;
  /** As they will be indexed: extracted, then cleaned. */
  paragraphs: string[];
  /** Where the document was fetched from, after redirects (links only). */
  fetchedFrom: string | undefined;
}

/** Fewer words than this is a notice, a teaser list or a login prompt, not an article. */
const MIN_ARTICLE_WORDS = 40;

function unreadable(reason: string): AppError {
  return new AppError(ErrorCodes.ARTICLE_UNREADABLE, `No article to add: ${reason}. Nothing was added.`);
}

function tooLarge(bytes: number): AppError {
  return unreadable(`the file is too large (${megabytes(bytes)}; an article is at most ${megabytes(MAX_ARTICLE_BYTES)})`);
}

function fileKind(name: string): DocumentKind {
  const kind = kindOfFileName(name);
  if (kind === undefined) throw unreadable(`"${basename(name)}" is not an article file (accepted: ${ACCEPTED_EXTENSIONS.join(', ')})`);
  return kind;
}

async function readLocalFile(path: string): Promise<FetchedDocument> {
  const kind = fileKind(path);
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw unreadable(`${path} is not a file`);
    size = info.size;
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw unreadable(`${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  if (size > MAX_ARTICLE_BYTES) throw tooLarge(size);
  return { url: '', kind, charset: undefined, bytes: await readFile(path) };
}

async function documentOf(source: ArticleSource, settings: FetchSettings): Promise<FetchedDocument> {
  switch (source.kind) {
    case 'link':
      return fetchDocument(parseLink(source.link), settings);
    case 'upload': {
      fileKind(source.name);
      if (source.size > MAX_ARTICLE_BYTES) throw tooLarge(source.size);
      const fetched = await fetchDocument(parseLink(source.url), settings);
      // The CDN's address expires and names no article: the page's own canonical link (if any) is kept instead.
      return { ...fetched, url: '' };
    }
    case 'file':
      return readLocalFile(source.path);
  }
}

function wordCount(paragraphs: readonly string[]): number {
  return paragraphs.reduce((sum, paragraph) => sum + paragraph.split(/\s+/).filter(Boolean).length, 0);
}

/** How to fetch: the size limit is the corpus's own. */
export type ImportSettings = Omit<FetchSettings, 'maxBytes'>;

/**
 * The article a decoded document holds, cleaned as the corpus loader cleans; refused when too little
 * text is left to be an article. `url` is where it was found (resolves relative links), if known.
 */
export function draftFromDocument(text: string, kind: DocumentKind, url: string | undefined, fileName: string): ArticleDraft {
  let metadata: ArticleMetadata;
  let body: string;
  if (kind === 'html') {
    const extracted = extractArticle(text, url);
    metadata = { title: extracted.title, url: extracted.url, published: extracted.published, source: extracted.site, byline: extracted.byline };
    body = extracted.paragraphs.join('\n\n');
  } else {
    let parsed: ReturnType<typeof parseFrontMatter>;
    try {
      parsed = kind === 'markdown' ? parseFrontMatter(text) : { metadata: {}, body: text };
    } catch (error) {
      throw unreadable(`its front matter is not valid YAML (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`);
    }
    // Only what the file says about the article; who added it is recorded afresh.
    const { title, url: link, published, source: site, byline } = parsed.metadata;
    metadata = { title, url: link ?? url, published, source: site, byline };
    body = parsed.body;
  }
  const cleaned = cleanArticle(body, kind === 'text' ? 'txt' : 'md');
  if (wordCount(cleaned.paragraphs) < MIN_ARTICLE_WORDS) {
    throw unreadable(NO_ARTICLE_TEXT);
  }
  const title = metadata.title ?? cleaned.heading ?? (basename(fileName, extname(fileName)) || undefined);
  return { metadata: { ...metadata, title }, paragraphs: cleaned.paragraphs, fetchedFrom: url };
}

/** Reads the article at `source`; every failure is an AppError with a message fit for the member. */
export async function importArticle(source: ArticleSource, settings: ImportSettings): Promise<ArticleDraft> {
  const document = await documentOf(source, { ...settings, maxBytes: MAX_ARTICLE_BYTES });
  const text = decodeText(document.bytes, document.kind, document.charset);
  return draftFromDocument(text, document.kind, document.url === '' ? undefined : document.url, source.kind === 'link' ? '' : source.kind === 'file' ? source.path : source.name);
}
