/** @module sentences: sentence boundaries for English news and encyclopedic text. */
import type { Span } from './article.js';

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/** Abbreviations that end in a period but rarely end a sentence (compared lower-case). */
const ABBREVIATIONS = new Set([
  'mr.', 'mrs.', 'ms.', 'dr.', 'prof.', 'sen.', 'rep.', 'gov.', 'gen.', 'lt.', 'col.', 'maj.', 'capt.', 'sgt.', 'adm.',
  'st.', 'jr.', 'sr.', 'rev.', 'hon.', 'pres.', 'amb.', 'inc.', 'corp.', 'co.', 'ltd.', 'vs.', 'etc.', 'e.g.', 'i.e.',
  'no.', 'nos.', 'vol.', 'approx.', 'dept.', 'est.', 'fig.', 'jan.', 'feb.', 'mar.', 'apr.', 'jun.', 'jul.', 'aug.',
  'sep.', 'sept.', 'oct.', 'nov.', 'dec.', 'mon.', 'tue.', 'tues.', 'wed.', 'thu.', 'thur.', 'thurs.', 'fri.', 'sat.', 'sun.',
  'a.m.', 'p.m.', 'u.s.', 'u.n.', 'u.k.', 'e.u.', 'u.s.a.', 'd.c.', 'ft.', 'mt.',
]);

/** True when a segment ends in something that only looks like a sentence end: "Mr.", "U.S.", an initial "J.". */
function endsInAbbreviation(segment: string): boolean {
  const lastWord = segment.trimEnd().split(/\s+/).at(-1)?.toLowerCase() ?? '';
  const bare = lastWord.replace(/^[("“‘'[]+/, '');
  return ABBREVIATIONS.has(bare) || /^[a-z]\.$/.test(bare);
}

/**
 * Splits text into sentences, as spans over the original string (trailing spaces excluded).
 * Intl.Segmenter follows Unicode's rules; on top, a break after a known abbreviation or an
 * initial is undone, since "U.S. Secretary of State" is one sentence.
 */
export function splitSentences(text: string): Span[] {
  const spans: [number, number][] = [];
  let mergeWithPrevious = false;
  for (const { segment, index } of segmenter.segment(text)) {
    const end = index + segment.trimEnd().length;
    const previous = spans.at(-1);
    if (mergeWithPrevious && previous) previous[1] = end;
    else if (end > index) spans.push([index + (segment.length - segment.trimStart().length), end]);
    mergeWithPrevious = endsInAbbreviation(segment);
  }
  return spans.filter(([start, end]) => end > start);
}
