import { describe, expect, it } from 'vitest';
import { encodeFragmentTerm, linkToSentence, textDirective } from './text-fragment.js';

describe('text fragments', () => {
  it('encodes what the fragment syntax reserves, quotes, parentheses and non-ASCII', () => {
    expect(encodeFragmentTerm('Kerry, Lavrov & co-chairs (Geneva) “agreed” — Üzümcü')).toBe(
      'Kerry%2C%20Lavrov%20%26%20co%2Dchairs%20%28Geneva%29%20%E2%80%9Cagreed%E2%80%9D%20%E2%80%94%20%C3%9Cz%C3%BCmc%C3%BC',
    );
    // Decoding gives back the text exactly.
    expect(decodeURIComponent(encodeFragmentTerm("it's 5-4, isn't it?"))).toBe("it's 5-4, isn't it?");
  });

  it('names a short sentence whole and a long one by its first and last five words', () => {
    expect(textDirective('Syria has agreed to the Russian plan.')).toBe('text=Syria%20has%20agreed%20to%20the%20Russian%20plan.');
    const long = 'But Russian President Vladimir Putin said on Tuesday that the plan to disarm will only work if the U.S. takes the possibility of military strikes completely off the table and renounces the use of force against Syria for good.';
    expect(textDirective(long)).toBe('text=But%20Russian%20President%20Vladimir%20Putin,force%20against%20Syria%20for%20good.');
  });

  it('replaces a fragment the address had, and keeps a query', () => {
    expect(linkToSentence('https://example.org/a?id=3#comments', 'Hello, world.')).toBe('https://example.org/a?id=3#:~:text=Hello%2C%20world.');
    expect(linkToSentence('https://example.org/a', '  ')).toBe('https://example.org/a');
  });
});
