import { describe, expect, it } from 'vitest';
import { splitSentences } from './sentences.js';

const sentencesOf = (text: string): string[] => splitSentences(text).map(([start, end]) => text.slice(start, end));

describe('splitSentences', () => {
  it('splits at sentence ends and keeps offsets into the original text', () => {
    const text = 'Syria has agreed to the Russian plan. But Putin wants more.  Will it work?';
    expect(sentencesOf(text)).toEqual(['Syria has agreed to the Russian plan.', 'But Putin wants more.', 'Will it work?']);
  });

  it('does not split after abbreviations, acronyms and initials', () => {
    const text = 'U.S. Secretary of State John Kerry met Mr. Lavrov at 4 p.m. Tuesday. Gen. Smith and J. R. Tolkien agreed. The U.N. Security Council met.';
    expect(sentencesOf(text)).toEqual([
      'U.S. Secretary of State John Kerry met Mr. Lavrov at 4 p.m. Tuesday.',
      'Gen. Smith and J. R. Tolkien agreed.',
      'The U.N. Security Council met.',
    ]);
  });

  it('keeps closing quotes with their sentence', () => {
    const text = 'Kerry added, “We need a full resolution. That’s our belief.” Nothing is sure.';
    expect(sentencesOf(text)).toEqual(['Kerry added, “We need a full resolution.', 'That’s our belief.”', 'Nothing is sure.']);
  });

  it('returns one span for text with no sentence end, and none for blank text', () => {
    expect(sentencesOf('Russian Syria deal: This would')).toEqual(['Russian Syria deal: This would']);
    expect(splitSentences('   ')).toEqual([]);
  });
});
