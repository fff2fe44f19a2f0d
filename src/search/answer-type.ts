/**
 * @module answer-type: what kind of answer a question asks for (a time, a quantity, a sum of money,
 * a person, an organisation, a place), and whether a sentence holds one, by the entities tagged in
 * it at indexing. A sentence that can answer the question at all deserves a nudge over one that
 * merely shares its words.
 */
import { ENTITY } from '../corpus/entities.js';

export type AnswerType = 'time' | 'quantity' | 'money' | 'duration' | 'person' | 'organisation' | 'place';

/**
 * "When" asks for a time at the start of a question, before an auxiliary ("when did", "and when
 * are they") or at the end ("call when"); elsewhere it joins clauses ("what does it turn into
 * when it's neutralized").
 */
const WHEN_ASKED = /^\W*when\b|\bwhen\s+(?:did|does|do|is|was|were|will|would|can|could|should|has|have|had|are|am)\b|\bwhen\W*$/i;

const QUESTION_CUES: readonly [AnswerType, RegExp][] = [
  ['time', WHEN_ASKED],
  ['time', /\b(?:what (?:time|day|date|year|month)|which (?:day|date|year|month)|how long ago|since when)\b/i],
  ['money', /\b(?:how much (?:money|cash|funding)|how much\b.{0,40}\b(?:cost|costs|pay|paid|spend|spent|raise|raised|worth)\b|what (?:price|cost)|at what price)\b/i],
  ['quantity', /\b(?:how (?:many|much)|death toll|toll|number of|what (?:percentage|share|proportion)|how big|how large)\b/i],
  ['duration', /\bhow long\b/i],
  ['organisation', /\b(?:which|what) (?:company|firm|organi[sz]ation|agency|group|party|team|network|newspaper|bank|university|union)\b/i],
  ['person', /\b(?:who|whom|whose|which (?:official|person|leader|minister|senator|spokesman|spokeswoman))\b/i],
  ['place', /\b(?:where|which (?:country|city|town|port|region|place))\b/i],
];

export function answerTypeOf(question: string): AnswerType | undefined {
  return QUESTION_CUES.find(([, cue]) => cue.test(question))?.[0];
}

/** The entity kinds (corpus/entities.ts) that answer each type: "who" is as often a body as a person ("who will pay"). */
const ANSWERING_ENTITIES: Readonly<Record<AnswerType, number>> = {
  time: ENTITY.date | ENTITY.time,
  quantity: ENTITY.number | ENTITY.money | ENTITY.percent,
  money: ENTITY.money,
  duration: ENTITY.duration | ENTITY.date | ENTITY.number,
  person: ENTITY.person | ENTITY.organisation,
  organisation: ENTITY.organisation,
  place: ENTITY.place,
};

/**
 * Kinds that may answer too, less surely: wink-nlp tags "since March 9" and "until 2028" as
 * durations, and news names companies and groups no lexicon knows ("Vault Cobra"). On SQuAD's
 * answer sentences they find more answers and many more non-answers, so they are evidence of
 * their own, which the trained models weigh.
 */
const POSSIBLY_ANSWERING_ENTITIES: Readonly<Record<AnswerType, number>> = {
  ...ANSWERING_ENTITIES,
  time: ANSWERING_ENTITIES.time | ENTITY.duration,
  person: ANSWERING_ENTITIES.person | ENTITY.name,
  organisation: ANSWERING_ENTITIES.organisation | ENTITY.name,
};

/** Whether a sentence with these entity kinds (a bit set of ENTITY) holds an answer of this type. */
export function holdsAnswerType(entities: number, type: AnswerType): boolean {
  return (entities & ANSWERING_ENTITIES[type]) !== 0;
}

/** Whether it may hold one (holdsAnswerType, or a kind that sometimes answers). */
export function mayHoldAnswerType(entities: number, type: AnswerType): boolean {
  return (entities & POSSIBLY_ANSWERING_ENTITIES[type]) !== 0;
}
