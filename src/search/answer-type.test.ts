import { describe, expect, it } from 'vitest';
import { entitiesOf } from '../corpus/entities.js';
import { type AnswerType, answerTypeOf, holdsAnswerType, mayHoldAnswerType } from './answer-type.js';

describe('answer types', () => {
  it('reads the kind of answer from the question', () => {
    expect(answerTypeOf('When did Reid announce the delay?')).toBe('time');
    expect(answerTypeOf('death toll?')).toBe('quantity');
    expect(answerTypeOf('how many ppl were killed')).toBe('quantity');
    expect(answerTypeOf('Who is the Senate Majority Leader?')).toBe('person');
    expect(answerTypeOf('Where were the talks held?')).toBe('place');
    expect(answerTypeOf('What did Putin demand?')).toBeUndefined();
    expect(answerTypeOf('how long will the us wait')).toBe('duration');
  });

  it('takes "when" for a question word only where it asks, not where it joins clauses', () => {
    expect(answerTypeOf('kerry lavrov call when')).toBe('time');
    expect(answerTypeOf('who is sending the plan and when are they supposed to arrive')).toBe('time');
    expect(answerTypeOf('What does DF turn into when it is neutralized?')).toBeUndefined();
  });

  it('reads sums of money and organisations apart from other quantities and people', () => {
    expect(answerTypeOf('How much will the destruction cost?')).toBe('money');
    expect(answerTypeOf('how much money did the UN ask for')).toBe('money');
    expect(answerTypeOf('how much sarin does Syria have')).toBe('quantity');
    expect(answerTypeOf('Which agency will inspect the sites?')).toBe('organisation');
  });

  it('finds times, quantities, money, people and places among a sentence\'s tagged entities', () => {
    const holds = (sentence: string, type: AnswerType) => holdsAnswerType(entitiesOf(sentence), type);
    expect(holds('Reid said Monday night that he would delay the vote.', 'time')).toBe(true);
    expect(holds('He allegedly did it on Aug. 21.', 'time')).toBe(true);
    expect(holds('It is far from done.', 'time')).toBe(false);
    expect(holds('At least 1,400 people died.', 'quantity')).toBe(true);
    expect(holds('Nothing is a sure-fire bet.', 'quantity')).toBe(false);
    expect(holds('The plan would cost $1 billion.', 'money')).toBe(true);
    expect(holds('At least 1,400 people died.', 'money')).toBe(false);
    expect(holds('Kerry spoke to foreign minister Sergey Lavrov.', 'person')).toBe(true);
    expect(holds('The weapons would be handed to the United Nations.', 'person')).toBe(true);
    expect(holds('The talks were held in Geneva.', 'place')).toBe(true);
    expect(holds('The talks were held in Geneva.', 'person')).toBe(false);
  });

  it('takes names no tagger knew and durations as possible answers only', () => {
    const sentence = 'The hackers, a group known as Vault Cobra, demanded $4.5 million.';
    expect(holdsAnswerType(entitiesOf(sentence), 'person')).toBe(false);
    expect(mayHoldAnswerType(entitiesOf(sentence), 'person')).toBe(true);
    expect(mayHoldAnswerType(entitiesOf('The plan put the work off until 2028.'), 'time')).toBe(true);
    expect(mayHoldAnswerType(entitiesOf('The plan was put off.'), 'time')).toBe(false);
  });
});
