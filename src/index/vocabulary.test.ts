import { describe, expect, it } from 'vitest';
import { Vocabulary, editDistance } from './vocabulary.js';

const vocabulary = new Vocabulary(new Map([['kerry', 9], ['security', 4], ['hydrolysis', 3], ['told', 5], ['states', 2], ['section', 1], ['attack', 2], ['the', 50]]));

describe('Vocabulary', () => {
  it('measures edits, counting a swap of neighbours as one', () => {
    expect(editDistance('kery', 'kerry', 2)).toBe(1);
    expect(editDistance('teh', 'the', 2)).toBe(1);
    expect(editDistance('election', 'section', 1)).toBe(2);
  });

  it("restores a dropped letter and fixes one edit in long words, using the story's own words", () => {
    expect(vocabulary.correct('kery')).toBe('kerry');
    expect(vocabulary.correct('securty')).toBe('security');
    expect(vocabulary.correct('atack')).toBe('attack');
    expect(vocabulary.correct('hydrolisis')).toBe('hydrolysis');
  });

  it('leaves alone known words, short words, and words one substitution from another real word', () => {
    expect(vocabulary.correct('kerry')).toBeUndefined();
    expect(vocabulary.correct('wat')).toBeUndefined();
    expect(vocabulary.correct('toll')).toBeUndefined();
    expect(vocabulary.correct('status')).toBeUndefined();
    expect(vocabulary.correct('election')).toBeUndefined();
  });
});
