/**
 * @module text-fragment: a link that opens the article scrolled to the quoted sentence and
 * highlights it (URL text fragments, `#:~:text=`, supported by Chrome, Edge, Safari and Firefox).
 * A long sentence is named by its first and last words (`text=start,end`), which keeps the link
 * short; the browser highlights everything between them.
 */

/** Past this many characters, the encoded sentence is replaced by its first and last words. */
const MAX_FRAGMENT_LENGTH = 240;
/** Words kept at each end of a long sentence: enough to be unique in an article. */
const EDGE_WORDS = 5;

/**
 * Percent-encodes a fragment term. Beyond encodeURIComponent, the characters the fragment syntax
 * reserves (`-` and `,`; `&` is already encoded) and the parentheses that would end a Markdown link
 * are encoded too.
 */
export function encodeFragmentTerm(text: string): string {
  return encodeURIComponent(text).replace(/[-!'()*~]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The `text=` directive for a sentence, whole or as `start,end`. */
export function textDirective(sentence: string): string {
  const words = sentence.trim().split(/\s+/).filter(Boolean);
  const whole = encodeFragmentTerm(words.join(' '));
  if (whole.length <= MAX_FRAGMENT_LENGTH || words.length <= 2 * EDGE_WORDS) return `text=${whole}`;
  return `text=${encodeFragmentTerm(words.slice(0, EDGE_WORDS).join(' '))},${encodeFragmentTerm(words.slice(-EDGE_WORDS).join(' '))}`;
}

/** The article's address opening at `sentence`; a fragment the address already had is replaced. */
export function linkToSentence(url: string, sentence: string): string {
  const base = url.replace(/#.*$/, '');
  return sentence.trim() === '' ? url : `${base}#:~:${textDirective(sentence)}`;
}
