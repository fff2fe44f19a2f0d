/**
 * @module decode-text: bytes to text in the encoding the document declares, the way browsers
 * decide: a byte-order mark, then the Content-Type header, then `<meta charset>` in the page's
 * head; an undeclared page is UTF-8 when it decodes as such, else Windows-1252. Decoding is
 * iconv-lite's: Node 20's TextDecoder reads windows-1252 as Latin-1 (nodejs/node#56542), which
 * turns curly quotes and dashes into control characters.
 */
import iconv from 'iconv-lite';
import { AppError, ErrorCodes } from '../../errors.js';
import type { DocumentKind } from './document-kind.js';

/** Browsers look for `<meta charset>` in the first 1024 bytes; pages with long heads get some slack. */
const META_SNIFF_BYTES = 4096;

function byteOrderMark(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return undefined;
}

function metaCharset(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, META_SNIFF_BYTES)).toString('latin1');
  return (
    /<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head)?.[1] ??
    /<meta[^>]+content\s*=\s*["'][^"']*charset\s*=\s*([\w.:-]+)/i.exec(head)?.[1]
  );
}

function decodeAs(bytes: Uint8Array, label: string): string {
  const shown = label.slice(0, 40);
  if (!iconv.encodingExists(label)) {
    throw new AppError(ErrorCodes.ARTICLE_UNREADABLE, `No article to add: the page is in an encoding the bot cannot read ("${shown}"). Nothing was added.`);
  }
  // iconv-lite drops a byte-order mark by default, as browsers do.
  return iconv.decode(Buffer.from(bytes), label);
}

export function decodeText(bytes: Uint8Array, kind: DocumentKind, headerCharset: string | undefined): string {
  const declared = byteOrderMark(bytes) ?? headerCharset ?? (kind === 'html' ? metaCharset(bytes) : undefined);
  if (declared !== undefined) return decodeAs(bytes, declared);
  if (bytes.includes(0)) throw new AppError(ErrorCodes.ARTICLE_UNREADABLE, 'No article to add: the file is binary, not text. Nothing was added.');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return decodeAs(bytes, 'windows-1252');
  }
}
