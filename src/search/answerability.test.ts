import { describe, expect, it } from 'vitest';
import { decide } from './answerability.js';
import type { AnalysedQuestion } from './query.js';

const question = (unmentioned: string[] = []): AnalysedQuestion => ({
  original: 'q',
  text: 'q',
  corrections: [],
  terms: new Map(),
  answerType: undefined,
  unmentioned,
});

describe('decide', () => {
  it('answers when a passage among the first three is close in meaning or in words', () => {
    expect(decide(question(), [{ similarity: 0.2, coverage: 0.1 }, { similarity: 0.5, coverage: 0 }]).answered).toBe(true);
    expect(decide(question(), [{ similarity: 0.1, coverage: 0.3 }]).answered).toBe(true);
  });

  it('declines when nothing is close in meaning or words, or when there are no passages', () => {
    expect(decide(question(), [{ similarity: 0.2, coverage: 0.1 }])).toMatchObject({ answered: false, reason: expect.stringContaining('too far') });
    expect(decide(question(), []).answered).toBe(false);
  });

  it('declines a question naming something the story never mentions', () => {
    expect(decide(question(['China']), [{ similarity: 0.9, coverage: 0.9 }])).toEqual({ answered: false, reason: 'the story never mentions China' });
  });

  it('declines a question much closer to everyday questions about other things, unless it shares many words with the story', () => {
    expect(decide(question(), [{ similarity: 0.4, coverage: 0.2 }], 0.7)).toMatchObject({ answered: false, reason: expect.stringContaining('everyday') });
    expect(decide(question(), [{ similarity: 0.4, coverage: 0.2 }], 0.55).answered).toBe(true);
    expect(decide(question(), [{ similarity: 0.4, coverage: 0.6 }], 0.9).answered).toBe(true);
  });
});
