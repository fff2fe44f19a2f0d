/**
 * @module answer-type: what kind of answer a question asks for (a time, a quantity, a person, a
 * place), and whether a sentence contains one. A sentence that can answer the question at all
 * deserves a nudge over one that merely shares its words.
 */

export type AnswerType = 'time' | 'quantity' | 'duration' | 'person' | 'place';

/**
 * "When" asks for a time at the start of a question, before an auxiliary ("when did", "and when
 * are they") or at the end ("call when"); elsewhere it joins clauses ("what does it turn into
 * when it's neutralized").
 */
const WHEN_ASKED = /^\W*when\b|\bwhen\s+(?:did|does|do|is|was|were|will|would|can|could|should|has|have|had|are|am)\b|\bwhen\W*$/i;

const QUESTION_CUES: readonly [AnswerType, RegExp][] = [
  ['time', WHEN_ASKED],
  ['time', /\b(?:what (?:time|day|date|year|month)|which (?:day|date|year|month)|how long ago|since when)\b/i],
  ['quantity', /\b(?:how (?:many|much)|death toll|toll|number of|what (?:percentage|share|proportion)|how big|how large)\b/i],
  ['duration', /\bhow long\b/i],
  ['person', /\b(?:who|whom|whose|which (?:official|person|leader|minister|senator|spokesman|spokeswoman))\b/i],
  ['place', /\b(?:where|which (?:country|city|town|port|region|place))\b/i],
];

export function answerTypeOf(question: string): AnswerType | undefined {
  return QUESTION_CUES.find(([, cue]) => cue.test(question))?.[0];
}

const MONTHS = 'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const TIME = new RegExp(
  [
    `\\b(?:${MONTHS})\\.?\\s+\\d{1,2}\\b`,
    `\\b\\d{1,2}\\s+(?:${MONTHS})\\b`,
    '\\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\\b',
    '\\b\\d{1,2}(?::\\d{2})?\\s*(?:a\\.m\\.|p\\.m\\.|am|pm)(?=\\W|$)',
    '\\b(?:1[89]|20)\\d{2}\\b',
    '\\b(?:yesterday|today|tonight|tomorrow|this (?:morning|afternoon|evening|week|month|year)|last (?:night|week|month|year)|next (?:week|month|year)|(?:morning|afternoon|evening|night))\\b',
    '\\b(?:within|after|for)\\s+(?:\\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten)\\s+(?:hours?|days?|weeks?|months?|years?)\\b',
  ].join('|'),
  'i',
);
const QUANTITY = /\b\d[\d,.]*\b|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundreds?|thousands?|millions?|billions?|dozens?|half|quarter|third)\b/i;
/** Two capitalised words in a row that do not start the sentence ("Harry Reid", "Sergey Lavrov"), or a title and a name. */
const PERSON = /(?<=\S\s+)\p{Lu}\p{Ll}+(?:\s+\p{Lu}\.)?\s+\p{Lu}\p{Ll}+|\b(?:President|Secretary|Minister|Leader|Senator|Sen\.|Gen\.|General|Chairman|Chancellor|Prime Minister|spokesman|spokeswoman|official)\b/u;
const PLACE = /\b(?:in|at|from|to|near|outside|into)\s+(?:the\s+)?\p{Lu}\p{Ll}+/u;

const DETECTORS: Readonly<Record<AnswerType, RegExp>> = { time: TIME, quantity: QUANTITY, duration: QUANTITY, person: PERSON, place: PLACE };

export function containsAnswerType(sentence: string, type: AnswerType): boolean {
  return DETECTORS[type].test(sentence);
}
