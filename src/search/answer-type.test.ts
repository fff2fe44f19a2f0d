import { describe, expect, it } from 'vitest';
import { answerTypeOf, containsAnswerType } from './answer-type.js';

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

  it('finds times, quantities, people and places in sentences', () => {
    expect(containsAnswerType('Reid said Monday night that he would delay the vote.', 'time')).toBe(true);
    expect(containsAnswerType('The meeting was at 4 p.m.', 'time')).toBe(true);
    expect(containsAnswerType('He allegedly did it on Aug. 21.', 'time')).toBe(true);
    expect(containsAnswerType('It is far from done.', 'time')).toBe(false);
    expect(containsAnswerType('At least 1,400 people died.', 'quantity')).toBe(true);
    expect(containsAnswerType('Nothing is a sure-fire bet.', 'quantity')).toBe(false);
    expect(containsAnswerType('Kerry spoke to foreign minister Sergey Lavrov.', 'person')).toBe(true);
    expect(containsAnswerType('The talks were held in Geneva.', 'place')).toBe(true);
  });
});
