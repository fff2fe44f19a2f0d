import { describe, expect, it } from 'vitest';
import { bestSentence } from './highlight.js';

describe('bestSentence', () => {
  it("prefers the sentence with the question's words over a slightly closer paraphrase", () => {
    expect(
      bestSentence([
        { coverage: 0, similarity: 0.45, hasAnswerType: false },
        { coverage: 0.5, similarity: 0.4, hasAnswerType: false },
      ]),
    ).toBe(1);
  });

  it('uses similarity when neither sentence shares words, and the answer type to break ties', () => {
    expect(bestSentence([{ coverage: 0, similarity: 0.2, hasAnswerType: false }, { coverage: 0, similarity: 0.3, hasAnswerType: false }])).toBe(1);
    expect(bestSentence([{ coverage: 0.2, similarity: 0.3, hasAnswerType: false }, { coverage: 0.2, similarity: 0.3, hasAnswerType: true }])).toBe(1);
    expect(bestSentence([])).toBe(-1);
  });
});
