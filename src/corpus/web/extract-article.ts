/**
 * @module extract-article: the article inside a news web page (its title, byline, date, site,
 * canonical link and body paragraphs), found by Mozilla's Readability (Firefox Reader View) over a
 * linkedom DOM. Page furniture Readability keeps inside the body (figure captions, pull-quote
 * asides, link lists) is left out here; the paragraphs themselves are kept word for word.
 */
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { AppError, ErrorCodes } from '../../errors.js';

/** The part of the DOM used here; linkedom implements it (the project does not load TypeScript's DOM lib). */
interface DomNode {
  readonly nodeType: number;
  readonly textContent: string | null;
}
interface DomElement extends DomNode {
  readonly tagName: string;
  readonly parentElement: DomElement | null;
  readonly childNodes: Iterable<DomNode>;
  readonly ownerDocument: { createElement(tagName: string): DomElement };
  insertBefore(node: DomNode, before: DomNode): void;
  appendChild(node: DomNode): void;
  remove(): void;
  getAttribute(name: string): string | null;
  querySelector(selectors: string): DomElement | null;
  querySelectorAll(selectors: string): Iterable<DomElement>;
  closest(selectors: string): DomElement | null;
}
type DomDocument = Pick<DomElement, 'querySelector' | 'querySelectorAll'>;

export interface ExtractedArticle {
  title: string | undefined;
  byline: string | undefined;
  /** YYYY-MM-DD when the page gives a date. */
  published: string | undefined;
  site: string | undefined;
  /** The page's canonical address, or the address it was fetched from. */
  url: string | undefined;
  paragraphs: string[];
}

/** Why a page yields no article, in words a member can act on. */
export const NO_ARTICLE_TEXT = 'no article text found (the page may need a login, list other articles rather than hold one, or be empty)';

/** Blocks that hold body text; a list item is written as a Markdown list item so short ones survive cleaning. */
const TEXT_BLOCKS = 'p, li, blockquote, pre';
/** Inside these, text is page furniture even when Readability kept it. */
const FURNITURE = 'figure, figcaption, aside, nav, footer, form, button, [role="complementary"]';
/** Elements that flow inside a line of text (HTML's phrasing content, the common ones). */
const PHRASING = new Set('A ABBR B BDI BDO BR CITE CODE DATA DFN EM FONT I KBD MARK Q S SAMP SMALL SPAN STRONG SUB SUP TIME U VAR WBR'.split(' '));
const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
/** In-page links back to a footnote's marker show a return arrow. */
const FOOTNOTE_BACKLINK = /^[↩↑^⤴]\uFE0E?$/u;
/** A block that is mostly link text is a "read more" line or a list of other stories. */
const MAX_LINK_SHARE = 0.5;
/** Social posts embedded with the platforms' own markup quote someone else's post, not the article. */
const SOCIAL_EMBEDS = 'blockquote.twitter-tweet, blockquote.instagram-media, blockquote.tiktok-embed, .fb-post';
/** Text this short around a form is the form's own: a sign-up box, a login prompt, a paywall offer. */
const MAX_FORM_BOX_WORDS = 60;
/** A block this short holding a <time> is a dateline ("Published 14 Sep 2013 08.40 BST, updated …"). */
const MAX_DATELINE_WORDS = 25;

function words(text: string | null | undefined): number {
  return collapse(text).split(' ').filter(Boolean).length;
}

function collapse(text: string | null | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

function optional(text: string | null | undefined): string | undefined {
  const collapsed = collapse(text);
  return collapsed === '' ? undefined : collapsed;
}

/** YYYY-MM-DD from an ISO timestamp or any date Date can read. */
export function calendarDate(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const iso = /^\d{4}-\d{2}-\d{2}/.exec(value.trim())?.[0];
  if (iso !== undefined) return iso;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString().slice(0, 10);
}

function webAddress(href: string | null | undefined, base: string | undefined): string | undefined {
  if (href === null || href === undefined || href.trim() === '' || !URL.canParse(href.trim(), base)) return undefined;
  const url = new URL(href.trim(), base);
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
}

function linkShare(block: DomElement): number {
  const text = collapse(block.textContent).length;
  if (text === 0) return 0;
  const linked = [...block.querySelectorAll('a')].reduce((sum, link) => sum + collapse(link.textContent).length, 0);
  return linked / text;
}

function isElement(node: DomNode): node is DomElement {
  return node.nodeType === ELEMENT_NODE;
}

/** Text in these is never a body paragraph of its own. */
const NOT_CONTAINERS = new Set('H1 H2 H3 H4 H5 H6 CAPTION FIGCAPTION LABEL LEGEND SUMMARY BUTTON OPTION TITLE'.split(' '));

function isInline(node: DomNode): boolean {
  return node.nodeType === TEXT_NODE || (isElement(node) && PHRASING.has(node.tagName) && node.querySelector(TEXT_BLOCKS) === null);
}

/**
 * Wraps text standing loose in a container (old layouts separate paragraphs with <br><br> inside a
 * <td> or <font>; Readability turns the breaks into <p>s, but not the text before the first break).
 */
function wrapLooseText(content: DomElement): void {
  for (const container of [content, ...content.querySelectorAll('*')]) {
    if (container.closest(TEXT_BLOCKS) !== null || isInline(container) || NOT_CONTAINERS.has(container.tagName)) continue;
    let run: DomNode[] = [];
    const flush = (): void => {
      const [first] = run;
      if (first !== undefined && collapse(run.map((node) => node.textContent).join('')) !== '') {
        const paragraph = container.ownerDocument.createElement('p');
        container.insertBefore(paragraph, first);
        for (const node of run) paragraph.appendChild(node);
      }
      run = [];
    };
    for (const child of [...container.childNodes]) {
      if (isInline(child)) run.push(child);
      else flush();
    }
    flush();
  }
}

function isFootnote(block: DomElement): boolean {
  return [...block.querySelectorAll('a[href^="#"]')].some((link) => FOOTNOTE_BACKLINK.test(collapse(link.textContent)));
}

/** A block's text, or undefined for furniture, nested blocks (their own text is taken), link lines and footnotes. */
function blockText(block: DomElement): string | undefined {
  if (block.closest(FURNITURE) !== null || isFootnote(block)) return undefined;
  // A quote or list item made of paragraphs is read through those paragraphs.
  if (block.tagName !== 'P' && block.querySelector('p') !== null) return undefined;
  if (linkShare(block) > MAX_LINK_SHARE) return undefined;
  if (block.querySelector('time') !== null && words(block.textContent) <= MAX_DATELINE_WORDS) return undefined;
  const text = collapse(block.textContent);
  if (text === '') return undefined;
  return block.tagName === 'LI' ? `- ${text}` : text;
}

/** A sentence end, perhaps followed by a footnote marker ("… in 2013.[1]"). */
const ENDS_SENTENCE = /[.!?…]["”’')\]]*(?:\s*\[\d+\]|\d{1,2})?$/;

/**
 * The body's text blocks. Those before the first one ending a sentence that do not end one
 * themselves are the standfirst and summary points a news page opens with (headline style, no full
 * stop); the story repeats what they say. So does a pull quote.
 */
function bodyParagraphs(content: DomElement): string[] {
  wrapLooseText(content);
  const blocks = [...content.querySelectorAll(TEXT_BLOCKS)].map(blockText).filter((text): text is string => text !== undefined);
  const firstSentence = blocks.findIndex((text) => ENDS_SENTENCE.test(text));
  const body = firstSentence <= 0 ? blocks : blocks.slice(firstSentence);
  // A pull quote repeats a sentence the body holds in full.
  return body.filter((text) => !body.some((other) => other !== text && other.length > text.length && other.includes(text)));
}

/**
 * Removes what Readability would keep as prose but is not the article's: social embeds, and the
 * boxes around forms (Readability drops the form and keeps its sign-up or paywall wording).
 */
function removeFurniture(document: DomDocument): void {
  for (const embed of [...document.querySelectorAll(SOCIAL_EMBEDS)]) embed.remove();
  for (const control of [...document.querySelectorAll('form, input, button, select, textarea')]) {
    let box: DomElement | undefined;
    for (let node = control.parentElement; node !== null && node.tagName !== 'BODY' && words(node.textContent) <= MAX_FORM_BOX_WORDS; node = node.parentElement) box = node;
    box?.remove();
  }
}

function firstTimeElement(document: DomDocument): string | undefined {
  return document.querySelector('article time[datetime], time[datetime]')?.getAttribute('datetime') ?? undefined;
}

function metaContent(document: DomDocument, selector: string): string | undefined {
  return optional(document.querySelector(selector)?.getAttribute('content'));
}

/**
 * Extracts the article; throws ARTICLE_UNREADABLE when the page holds none (a login wall, a list
 * of results, an empty page). `pageUrl` resolves relative links and is the fallback address.
 */
export function extractArticle(html: string, pageUrl: string | undefined): ExtractedArticle {
  const { document } = parseHTML(html) as unknown as { document: DomDocument };
  const canonical =
    webAddress(document.querySelector('link[rel="canonical"]')?.getAttribute('href'), pageUrl) ??
    webAddress(metaContent(document, 'meta[property="og:url"]'), pageUrl) ??
    pageUrl;
  const fallbackDate = calendarDate(metaContent(document, 'meta[property="article:published_time"], meta[name="date"], meta[itemprop="datePublished"]') ?? firstTimeElement(document));
  removeFurniture(document);
  // Readability is typed against the DOM lib, which this project does not load; linkedom's document is what it reads.
  const reader = new Readability<DomElement>(document as never, { serializer: (node) => node as unknown as DomElement });
  const parsed = reader.parse();
  const paragraphs = parsed?.content ? bodyParagraphs(parsed.content) : [];
  if (parsed === null || paragraphs.length === 0) {
    throw new AppError(ErrorCodes.ARTICLE_UNREADABLE, `No article to add: ${NO_ARTICLE_TEXT}. Nothing was added.`);
  }
  return {
    title: optional(parsed.title) ?? optional(document.querySelector('title')?.textContent),
    byline: optional(parsed.byline),
    published: calendarDate(optional(parsed.publishedTime)) ?? fallbackDate,
    site: optional(parsed.siteName) ?? (canonical === undefined ? undefined : new URL(canonical).hostname.replace(/^www\./, '')),
    url: canonical,
    paragraphs,
  };
}
