import { describe, expect, it } from 'vitest';
import { anyRunHit1, firstHit, parseQuestions, report } from './evaluate.js';

describe('evaluate', () => {
  it('matches expected text ignoring case, spacing and quote style', () => {
    expect(firstHit(['Nothing here.', 'Kerry said, “We’ll  see.”'], ['"we\'ll see.'])).toBe(2);
    expect(firstHit(['Nothing here.'], ['absent'])).toBeUndefined();
  });

  it('reports hit@1, hit@3, MRR and both kinds of decline', () => {
    const outcomes = [
      { question: { q: 'a', expect: ['x'] }, answered: true, ranking: ['x', 'y', 'z'] },
      { question: { q: 'b', expect: ['z'] }, answered: true, ranking: ['x', 'y', 'z'] },
      { question: { q: 'c', expect: ['w'] }, answered: false, ranking: ['x', 'y', 'z'] },
      { question: { q: 'd', expect: null }, answered: false, ranking: ['x'] },
      { question: { q: 'e', expect: null }, answered: true, ranking: ['x'] },
    ];
    expect(report(outcomes)).toEqual({ n: 5, hit1: 1 / 3, hit3: 2 / 3, mrr: (1 + 1 / 3) / 3, declined_oos: 0.5, false_declines: 1 / 3 });
  });

  it('parses JSON lines and names the line of a bad one', () => {
    expect(parseQuestions('{"q": "Who?", "expect": ["Reid"]}\n\n{"q": "Hamlet?", "expect": null}\n')).toEqual([
      { q: 'Who?', expect: ['Reid'] },
      { q: 'Hamlet?', expect: null },
    ]);
    expect(() => parseQuestions('{"q": "ok", "expect": null}\n{"q": 3}')).toThrow('line 2');
  });

  it('counts an answerable question as a ceiling hit when any run ranks an answer first', () => {
    const run = (...firsts: string[]) => firsts.map((first, k) => ({ question: { q: String(k), expect: k < 3 ? [`a${k}`] : null }, answered: true, ranking: [first] }));
    expect(anyRunHit1([run('a0', 'x', 'x', 'a3'), run('x', 'a1', 'x', 'x')])).toBe(2 / 3);
    expect(anyRunHit1([run('x', 'x', 'x', 'x')])).toBe(0);
  });
});
