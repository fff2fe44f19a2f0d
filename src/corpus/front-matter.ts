/**
 * @module front-matter: the optional YAML header of a Markdown article (title, url, published,
 * source, byline; and for articles added from Discord or the CLI, who added them and when).
 */
import { parse, stringify } from 'yaml';

export interface ArticleMetadata {
  title?: string | undefined;
  url?: string | undefined;
  published?: string | undefined;
  source?: string | undefined;
  byline?: string | undefined;
  /** Who added the article: a keyed hash of their member id, never the id itself. */
  addedBy?: string | undefined;
  /** Their display name when they added it, for /sources. */
  addedByName?: string | undefined;
  /** ISO timestamp. */
  addedAt?: string | undefined;
}

/** Field names as they are written in the file. */
const FIELD_NAMES = {
  title: 'title',
  url: 'url',
  published: 'published',
  source: 'source',
  byline: 'byline',
  addedBy: 'added_by',
  addedByName: 'added_by_name',
  addedAt: 'added_at',
} as const satisfies Record<keyof ArticleMetadata, string>;

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
    metadata: {
      title: text(record.title),
      url: webUrl(record.url),
      published: text(record.published),
      source: text(record.source),
      byline: text(record.byline),
      addedBy: text(record.added_by),
      addedByName: text(record.added_by_name),
      addedAt: text(record.added_at),
    },
    body: source.slice(match[0].length),
  };
}

/** The header for `metadata`, fields in a fixed order, unset ones left out. */
export function renderFrontMatter(metadata: ArticleMetadata): string {
  const fields: Record<string, string> = {};
  for (const [key, name] of Object.entries(FIELD_NAMES) as [keyof ArticleMetadata, string][]) {
    const value = metadata[key];
    if (value !== undefined) fields[name] = value;
  }
  return `---\n${stringify(fields, { lineWidth: 0 })}---\n`;
}
