import { describe, expect, it } from 'vitest';
import type { AnswerType } from './answer-type.js';
import { type BestEvidence, decide } from './answerability.js';
import type { AnalysedQuestion } from './query.js';

const question = (unmentioned: string[] = [], answerType?: AnswerType): AnalysedQuestion => ({
  original: 'q',
  text: 'q',
  corrections: [],
  terms: new Map(),
  answerType,
  unmentioned,
});

const evidence = (similarity: number, coverage: number, highlightHasAnswerType = false): BestEvidence => ({ similarity, coverage, highlightHasAnswerType });

describe('decide', () => {
  it('answers when a passage among the first three is close in meaning or in words', () => {
    expect(decide(question(), [evidence(0.2, 0.1), evidence(0.5, 0)]).answered).toBe(true);
    expect(decide(question(), [evidence(0.1, 0.3)]).answered).toBe(true);
  });

  it('declines when nothing is close in meaning or words, or when there are no passages', () => {
    expect(decide(question(), [evidence(0.2, 0.1)])).toMatchObject({ answered: false, reason: expect.stringContaining('too far') });
    expect(decide(question(), []).answered).toBe(false);
  });

  it('declines a question naming something the story never mentions', () => {
    expect(decide(question(['China']), [evidence(0.9, 0.9)])).toEqual({ answered: false, reason: 'the story never mentions China' });
  });

  it('declines a question much closer to everyday questions about other things, unless it shares many words with the story', () => {
    expect(decide(question(), [evidence(0.4, 0.2)], 0.7)).toMatchObject({ answered: false, reason: expect.stringContaining('everyday') });
    expect(decide(question(), [evidence(0.4, 0.2)], 0.55).answered).toBe(true);
    expect(decide(question(), [evidence(0.4, 0.6)], 0.9).answered).toBe(true);
  });

  it('declines a question asking for a time or a count when no highlighted sentence among the first three states one', () => {
    const close = evidence(0.7, 0.6);
    expect(decide(question([], 'quantity'), [close, close, close])).toEqual({ answered: false, reason: 'no passage states the quantity asked for' });
    expect(decide(question([], 'time'), [close, close, evidence(0.5, 0.3, true)]).answered).toBe(true);
    // Durations, people and places are often given loosely or by pronoun, so they are not required.
    expect(decide(question([], 'duration'), [close]).answered).toBe(true);
    expect(decide(question([], 'person'), [close]).answered).toBe(true);
  });
});
