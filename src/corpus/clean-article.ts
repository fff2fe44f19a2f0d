/**
 * @module clean-article: turns an article body copied from a web page into its real paragraphs.
 * Lines are dropped whole or kept verbatim, never edited, so every quote stays true to the source.
 */

export type ArticleFormat = 'md' | 'txt';

export interface CleanedArticle {
  paragraphs: string[];
  /** The text of the first Markdown "# heading", a natural title when there is no front matter. */
  heading?: string | undefined;
}

/** Page furniture that is never part of a story: browser notices, cookie banners, share and sign-up prompts. */
const PAGE_NOTICES = [
  /\b(?:IE|Internet Explorer)\s*\d*\s+is not supported\b/i,
  /\bfor an? (?:optimal|better|best) experience\b/i,
  /\b(?:update|upgrade|switch) (?:to a (?:newer|different) )?(?:your )?browser\b/i,
  /\b(?:enable|turn on) javascript\b/i,
  /\bcookies?\b.*\b(?:accept|consent|preferences|settings|policy)\b/i,
  /^(?:advertisement|sponsored(?: content)?|continue reading(?: below)?|read more|most (?:read|popular|viewed)|skip to (?:main )?content)\b/i,
  /^(?:share|print|email|copy link)(?: (?:this|the) (?:article|story|page))?\b/i,
  /^(?:sign up|subscribe)\b/i,
  /^(?:related|see also|more on this|watch|listen)\s*:/i,
  /^(?:©|\(c\)|copyright\b)|\ball rights reserved\b/i,
];

/** Words a complete headline or caption does not end on; a line ending on one was cut off. */
const DANGLING_WORDS = new Set(
  'a an the this that these those of to in on at by for from with as and or but nor so is are was were be been will would could should can may might must has have had its their his her our your which who whom whose than'.split(
    ' ',
  ),
);

const SENTENCE_END = /[.!?…]["”’')\]]*$|[.!?…]["”’')\]]*\s/;
/** Prose without a sentence end this long is still a paragraph (e.g. a long quote ending in a dash). */
const MIN_WORDS_WITHOUT_SENTENCE_END = 15;
/** Notices are short; a long paragraph that happens to mention cookies is kept. */
const MAX_NOTICE_WORDS = 60;

function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

function isPageNotice(line: string): boolean {
  return wordCount(line) <= MAX_NOTICE_WORDS && PAGE_NOTICES.some((pattern) => pattern.test(line));
}

/** "Russian Syria deal: This would", "…following repeated airstrikes by...": cut mid-phrase. */
function isTruncated(line: string): boolean {
  const lastWord = /([\p{L}']+)\s*(?:\.\.\.|…)?$/u.exec(line)?.[1]?.toLowerCase();
  const endsOpen = !/[.!?"”’)\]]$/.test(line) || /(?:\.\.\.|…)$/.test(line);
  return endsOpen && lastWord !== undefined && DANGLING_WORDS.has(lastWord);
}

/** Headings, labels, bylines and menus: short and without a single sentence end. */
function isLabel(line: string): boolean {
  return !SENTENCE_END.test(line) && wordCount(line) < MIN_WORDS_WITHOUT_SENTENCE_END;
}

function isMarkdownListItem(line: string): boolean {
  return /^(?:[-*+•]|\d+[.)])\s+\S/.test(line);
}

/**
 * Lines are joined into one paragraph only when the first was hard-wrapped mid-sentence
 * (it does not end a sentence and the next starts lower-case); otherwise each line stands alone,
 * as in text copied from a web page.
 */
function paragraphsOf(block: string): string[] {
  const paragraphs: string[] = [];
  for (const line of block.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const previous = paragraphs.at(-1);
    if (previous !== undefined && !/[.!?…:"”’]$/.test(previous) && /^[\p{Ll}\d(]/u.test(line)) {
      paragraphs[paragraphs.length - 1] = `${previous} ${line}`;
    } else {
      paragraphs.push(line);
    }
  }
  return paragraphs;
}

function sameText(text: string): string {
  return text.replace(/\s+/g, ' ').trim().toLowerCase();
}

export function cleanArticle(body: string, format: ArticleFormat): CleanedArticle {
  const blocks = body.replace(/\r\n?/g, '\n').split(/\n[ \t]*\n/);
  const seen = new Set<string>();
  const paragraphs: string[] = [];
  let heading: string | undefined;
  for (const paragraph of blocks.flatMap(paragraphsOf)) {
    const markdownHeading = format === 'md' ? /^#{1,6}\s+(.+?)\s*#*$/.exec(paragraph) : null;
    if (markdownHeading) {
      heading ??= markdownHeading[1];
      continue;
    }
    const listItem = format === 'md' && isMarkdownListItem(paragraph);
    if (isPageNotice(paragraph) || isTruncated(paragraph) || (isLabel(paragraph) && !listItem)) continue;
    const key = sameText(paragraph);
    if (seen.has(key)) continue; // pages repeat decks and pull quotes; the first copy is the real one
    seen.add(key);
    paragraphs.push(paragraph);
  }
  return { paragraphs, heading };
}
