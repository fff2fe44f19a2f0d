/** @module front-matter: the optional YAML header of a Markdown article (title, url, published, source). */
import { parse } from 'yaml';

export interface ArticleMetadata {
  title?: string | undefined;
  url?: string | undefined;
  published?: string | undefined;
  source?: string | undefined;
}

const FRONT_MATTER = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

function text(value: unknown): string | undefined {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'string' || typeof value === 'number') {
    const trimmed = String(value).trim();
    return trimmed === '' ? undefined : trimmed;
  }
  return undefined;
}

/** A url is kept only when it is http(s): anything else must not become a clickable link. */
function webUrl(value: unknown): string | undefined {
  const candidate = text(value);
  if (candidate === undefined || !URL.canParse(candidate)) return undefined;
  return /^https?:$/.test(new URL(candidate).protocol) ? candidate : undefined;
}

/**
 * Splits a front-matter header from the body. Throws on a header that is not valid YAML, so the
 * caller can report the file instead of indexing its header as text.
 */
export function parseFrontMatter(source: string): { metadata: ArticleMetadata; body: string } {
  const match = FRONT_MATTER.exec(source);
  if (!match) return { metadata: {}, body: source };
  const fields: unknown = parse(match[1] ?? '');
  const record = typeof fields === 'object' && fields !== null ? (fields as Record<string, unknown>) : {};
  return {
    metadata: { title: text(record.title), url: webUrl(record.url), published: text(record.published), source: text(record.source) },
    body: source.slice(match[0].length),
  };
}
