/** @module limits: Discord's size limits, and trimming text to fit them without breaking a word. */

/** Discord's embed limits (characters). */
export const EMBED_LIMITS = { title: 256, description: 4096, fieldName: 256, fieldValue: 1024, footer: 2048, total: 6000 } as const;

/** Discord's limit on a message's `content` (characters). */
export const MESSAGE_CONTENT_LIMIT = 2000;

export const ELLIPSIS = '…';

/** Cuts at the last whitespace before `max` (minus the ellipsis); a single overlong word is cut hard. */
export function trimAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = max - ELLIPSIS.length;
  const cut = text.slice(0, room + 1).search(/\s\S*$/);
  const end = cut > 0 ? cut : room;
  return `${text.slice(0, end).trimEnd()}${ELLIPSIS}`;
}

/**
 * Keeps whole sentences around the one that matters (`keep`, an index into `sentences`), adding
 * sentences after it, then before it, while they fit in `max`; marks each cut with an ellipsis.
 * `render` turns the chosen sentences into the final text, so markup added there is counted.
 */
export function fitSentences<T>(sentences: readonly T[], keep: number, max: number, render: (chosen: readonly T[], cutBefore: boolean, cutAfter: boolean) => string): string {
  let first = keep;
  let last = keep;
  const text = (): string => render(sentences.slice(first, last + 1), first > 0, last < sentences.length - 1);
  if (text().length > max) return trimAtWord(text(), max);
  while (last < sentences.length - 1) {
    last += 1;
    if (text().length > max) {
      last -= 1;
      break;
    }
  }
  while (first > 0) {
    first -= 1;
    if (text().length > max) {
      first += 1;
      break;
    }
  }
  return text();
}
