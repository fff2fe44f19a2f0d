/**
 * @module entities: which kinds of named thing each sentence mentions (a date, a number, a sum of
 * money, a person, an organisation, a place), as a bit set stored with the index. Tagging costs
 * about a millisecond a sentence, too slow for the hundreds a question reads, so it is done once,
 * when the story is indexed.
 *
 * Two taggers, each for what it does best (measured on SQuAD answer sentences against the other
 * sentences of their paragraphs): wink-nlp's entities for dates, times, durations and numbers
 * (fewer false numbers than compromise: 40% of non-answer sentences against 57%), compromise's
 * lexicon-driven tags for people, organisations and places (wink-nlp's English model has none).
 */
import nlp from 'compromise';
import model from 'wink-eng-lite-web-model';
import winkNLP, { type ItemEntity } from 'wink-nlp';

/** Bump when what gets tagged changes: indexes tagged otherwise are then re-tagged (not re-embedded). */
export const ENTITY_TAGGER_VERSION = 1;

export const ENTITY = {
  date: 1 << 0,
  time: 1 << 1,
  duration: 1 << 2,
  number: 1 << 3,
  money: 1 << 4,
  percent: 1 << 5,
  person: 1 << 6,
  organisation: 1 << 7,
  place: 1 << 8,
  /** A name no tagger knew: capitalised words in a row inside the sentence ("Ridgeline Builders", "Vault Cobra"), or a title ("spokesman"). */
  name: 1 << 9,
} as const;
export type EntityKind = keyof typeof ENTITY;

/** wink-nlp's entity types, as our kinds. */
const WINK_KINDS: Readonly<Record<string, EntityKind>> = {
  DATE: 'date',
  TIME: 'time',
  DURATION: 'duration',
  CARDINAL: 'number',
  MONEY: 'money',
  PERCENT: 'percent',
};
const COMPROMISE_KINDS: readonly [string, EntityKind][] = [
  ['#Person', 'person'],
  ['#Organization', 'organisation'],
  ['#Place', 'place'],
];

/**
 * What the taggers miss in news, found by hand (measured on our news stories' answer sentences):
 * AP-style month abbreviations ("Sept. 17", which wink-nlp reads as a number), and names of
 * companies and groups too new for compromise's lexicon, with the titles news uses for people.
 */
const MONTH_DAY = /\b(?:Jan|Feb|Aug|Sept?|Oct|Nov|Dec)\.\s+\d{1,2}\b/;
const NAME = /(?<=\S\s+)\p{Lu}\p{Ll}+(?:\s+(?:\p{Lu}\.|&))?\s+\p{Lu}\p{Ll}+|\b(?:spokesman|spokeswoman|spokesperson|official|officials|chief executive|director|commissioner|minister|mayor|judge)\b/u;

let wink: ReturnType<typeof winkNLP> | undefined;

/** The kinds of entity a sentence mentions, as a bit set of ENTITY values. */
export function entitiesOf(sentence: string): number {
  wink ??= winkNLP(model);
  const its = wink.its;
  let kinds = 0;
  wink
    .readDoc(sentence)
    .entities()
    .each((entity: ItemEntity) => {
      const kind = WINK_KINDS[entity.out(its.type)];
      if (kind) kinds |= ENTITY[kind];
    });
  const tagged = nlp(sentence);
  for (const [tag, kind] of COMPROMISE_KINDS) if (tagged.has(tag)) kinds |= ENTITY[kind];
  if (MONTH_DAY.test(sentence)) kinds |= ENTITY.date;
  if (NAME.test(sentence)) kinds |= ENTITY.name;
  return kinds;
}
