import { describe, expect, it } from 'vitest';
import { fitSentences, trimAtWord } from './limits.js';

describe('trimAtWord', () => {
  it('leaves short text alone and cuts long text at a word boundary with an ellipsis', () => {
    expect(trimAtWord('Kerry met Lavrov.', 50)).toBe('Kerry met Lavrov.');
    expect(trimAtWord('Kerry met Lavrov in Geneva on Saturday.', 20)).toBe('Kerry met Lavrov in…');
    expect(trimAtWord('Kerry met Lavrov in Geneva on Saturday.', 20).length).toBeLessThanOrEqual(20);
  });

  it('cuts a single overlong word hard rather than return nothing', () => {
    expect(trimAtWord('x'.repeat(30), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});

describe('fitSentences', () => {
  const sentences = ['One one one.', 'Two two two.', 'Three three three.', 'Four four four.'];
  const render = (chosen: readonly string[], before: boolean, after: boolean): string => `${before ? '… ' : ''}${chosen.join(' ')}${after ? ' …' : ''}`;

  it('keeps everything when it fits', () => {
    expect(fitSentences(sentences, 1, 200, render)).toBe(sentences.join(' '));
  });

  it('keeps the key sentence and whole neighbours, following sentences first, marking the cuts', () => {
    expect(fitSentences(sentences, 1, 35, render)).toBe('… Two two two. Three three three. …');
    expect(fitSentences(sentences, 3, 40, render)).toBe('… Three three three. Four four four.');
  });

  it('trims the key sentence itself at a word when even it is too long', () => {
    const text = fitSentences(['A very long key sentence indeed.'], 0, 15, render);
    expect(text).toBe('A very long…');
  });
});
