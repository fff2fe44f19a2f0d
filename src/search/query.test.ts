import { describe, expect, it } from 'vitest';
import { termsOf } from '../index/terms.js';
import { Vocabulary } from '../index/vocabulary.js';
import { wordSet } from './dictionary.js';
import { type TermStatistics, analyseQuestion } from './query.js';

const story = [
  'Kerry said the United Nations Security Council must back the plan.',
  'Putin told RT that Russia wants the U.S. to renounce the use of force.',
  'The Organisation for the Prohibition of Chemical Weapons met in 2013.',
];

function statistics(): TermStatistics {
  const words = new Map<string, number>();
  const documentFrequency = new Map<string, number>();
  for (const text of story) {
    for (const word of text.toLowerCase().match(/[a-z0-9.]+/g) ?? []) words.set(word.replace(/\./g, ''), 1);
    for (const term of new Set(termsOf(text))) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  }
  words.set('opcw', 1);
  return { vocabulary: new Vocabulary(words), documentFrequency, passageCount: story.length };
}

describe('analyseQuestion', () => {
  it("corrects misspellings to the story's words and searches the corrected text", () => {
    const question = analyseQuestion('wat did kery say about the securty council', statistics());
    expect(question.corrections).toEqual([['kery', 'kerry'], ['securty', 'security']]);
    expect(question.text).toBe('wat did kerry say about the security council');
  });

  it('weights rarer terms more', () => {
    const { terms } = analyseQuestion('Did Putin and Kerry talk about force?', statistics());
    expect([...terms.keys()]).toEqual(['putin', 'kerri', 'talk', 'forc']);
    expect(terms.get('talk')).toBeGreaterThan(terms.get('putin') ?? Infinity); // "talk" is in no passage
  });

  it('notes names and years the story never mentions, but not known ones, aliases or acronyms', () => {
    expect(analyseQuestion('What did China say in 2012?', statistics()).unmentioned).toEqual(['China', '2012']);
    expect(analyseQuestion('What did Moscow and the UN and the OPCW say in 2013?', statistics()).unmentioned).toEqual([]);
    expect(analyseQuestion('Where is the plan?', statistics()).unmentioned).toEqual([]); // capitalised only as the first word
  });

  it('takes an uncapitalised word found neither in the story nor in English for a name, but not a typo of an English word', () => {
    const englishWords = wordSet(['what', 'protests', 'started', 'start', 'attack', 'killed', 'doctors', 'without', 'borders', 'talks']);
    expect(analyseQuestion('what started the gezi protests', { ...statistics(), englishWords }).unmentioned).toEqual(['gezi']);
    expect(analyseQuestion('who was killed in the atack', { ...statistics(), englishWords }).unmentioned).toEqual([]);
    expect(analyseQuestion('What did Doctors Without Borders say?', { ...statistics(), englishWords }).unmentioned).toEqual([]);
    expect(analyseQuestion("Why didn't the talks start?", { ...statistics(), englishWords }).unmentioned).toEqual([]);
  });

  it('never corrects a word into a stopword', () => {
    expect(analyseQuestion('What is the lethal dose?', { ...statistics(), vocabulary: new Vocabulary(new Map([['does', 3]])) }).corrections).toEqual([]);
  });

  it('reads the answer type from the corrected question', () => {
    expect(analyseQuestion('wen did kery speak', statistics()).answerType).toBeUndefined();
    expect(analyseQuestion('When did kery speak', statistics()).answerType).toBe('time');
  });
});
