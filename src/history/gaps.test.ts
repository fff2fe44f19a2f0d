import { describe, expect, it } from 'vitest';
import { missingSubjects } from './gaps.js';

describe('missingSubjects', () => {
  const story = new Set(['russian', 'putin', 'kerry', 'syria']);
  const knows = (word: string): boolean => story.has(word.toLowerCase());

  it('names what a question asks about that the story never mentions', () => {
    expect(missingSubjects('How did Iran react to the Russian proposal?', knows)).toEqual(new Set(['Iran']));
    expect(missingSubjects("what is Iran's position on the deal", knows)).toEqual(new Set(['Iran']));
    expect(missingSubjects('What did Putin demand?', knows)).toEqual(new Set());
    expect(missingSubjects('Who will pay for destroying the weapons?', knows)).toEqual(new Set());
  });
});
