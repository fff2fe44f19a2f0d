/** @module document-kind: which fetched or uploaded documents can hold an article, told by media type or file name. */
import { extname } from 'node:path';

export type DocumentKind = 'html' | 'text' | 'markdown';

const MEDIA_TYPES: Readonly<Record<string, DocumentKind>> = {
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'text/plain': 'text',
  'text/markdown': 'markdown',
  'text/x-markdown': 'markdown',
};

const EXTENSIONS: Readonly<Record<string, DocumentKind>> = { '.html': 'html', '.htm': 'html', '.txt': 'text', '.md': 'markdown', '.markdown': 'markdown' };

export const ACCEPTED_EXTENSIONS = ['.html', '.htm', '.txt', '.md'] as const;

/** The media type without parameters, lower case ("text/html; charset=utf-8" → "text/html"). */
export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** The charset parameter of a Content-Type header, if any. */
export function charsetOf(contentType: string | undefined): string | undefined {
  return /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '')?.[1];
}

export function kindOfFileName(name: string): DocumentKind | undefined {
  return EXTENSIONS[extname(name).toLowerCase()];
}

const MEDIA_FAMILIES: Readonly<Record<string, string>> = { image: 'an image', video: 'a video', audio: 'an audio file' };

/** What a media type that cannot hold an article is, in words, for the refusal. */
function describeMediaType(mediaType: string): string {
  if (mediaType === 'application/pdf') return 'a PDF';
  if (mediaType === '') return 'a document of unknown type';
  return MEDIA_FAMILIES[mediaType.split('/')[0] ?? ''] ?? `a ${mediaType} document`;
}

/**
 * The kind of document, by its media type or, when the server does not say (or says only
 * "application/octet-stream", as file hosts do), by its file name; a refusal reason otherwise.
 */
export function kindOfDocument(contentType: string | undefined, fileName: string): DocumentKind | { refusal: string } {
  const mediaType = mediaTypeOf(contentType);
  const byType = MEDIA_TYPES[mediaType];
  if (byType !== undefined) return byType;
  const byName = mediaType === '' || mediaType === 'application/octet-stream' ? kindOfFileName(fileName) : undefined;
  if (byName !== undefined) return byName;
  return { refusal: `it is ${describeMediaType(mediaType)}, not an article page (articles are web pages, .html, .txt or .md files)` };
}
