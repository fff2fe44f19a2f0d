import { describe, expect, it } from 'vitest';
import { anyRunHit1, boldHoldsAnswer, firstHit, parseQuestions, report } from './evaluate.js';

describe('evaluate', () => {
  it('matches expected text ignoring case, spacing and quote style', () => {
    expect(firstHit(['Nothing here.', 'Kerry said, “We’ll  see.”'], ['"we\'ll see.'])).toBe(2);
    expect(firstHit(['Nothing here.'], ['absent'])).toBeUndefined();
  });

  it('reports hit@1, hit@3, MRR, both kinds of decline, and how often the bold sentence of a right first passage holds the answer', () => {
    const outcomes = [
      { question: { q: 'a', expect: ['x'] }, answered: true, ranking: ['x', 'y', 'z'], bold: 'x' },
      { question: { q: 'b', expect: ['z'] }, answered: true, ranking: ['x', 'y', 'z'], bold: 'x' },
      { question: { q: 'c', expect: ['w'] }, answered: false, ranking: ['x', 'y', 'z'], bold: 'x' },
      { question: { q: 'a2', expect: ['x y'] }, answered: true, ranking: ['x y', 'z'], bold: 'y' },
      { question: { q: 'd', expect: null }, answered: false, ranking: ['x'], bold: 'x' },
      { question: { q: 'e', expect: null }, answered: true, ranking: ['x'], bold: 'x' },
    ];
    expect(report(outcomes)).toEqual({ n: 6, hit1: 2 / 4, hit3: 3 / 4, mrr: (1 + 1 / 3 + 1) / 4, declined_oos: 0.5, false_declines: 1 / 4, bold: 2 / 2 });
    expect(report([{ question: { q: 'f', expect: ['4 tons'] }, answered: true, ranking: ['It has 4 tons. Kerry spoke.'], bold: 'Kerry spoke.' }]).bold).toBe(0);
  });

  it('takes a bold sentence as holding the answer when it contains it, or lies within a longer expected passage', () => {
    expect(boldHoldsAnswer('Putin said the U.S. must take strikes off the table.', ['strikes off the table'])).toBe(true);
    expect(boldHoldsAnswer('Kerry spoke.', ['Kerry spoke. Then he left.'])).toBe(true);
    expect(boldHoldsAnswer('Kerry spoke to Lavrov.', ['1,000 tons'])).toBe(false);
  });

  it('parses JSON lines and names the line of a bad one', () => {
    expect(parseQuestions('{"q": "Who?", "expect": ["Reid"]}\n\n{"q": "Hamlet?", "expect": null}\n')).toEqual([
      { q: 'Who?', expect: ['Reid'] },
      { q: 'Hamlet?', expect: null },
    ]);
    expect(() => parseQuestions('{"q": "ok", "expect": null}\n{"q": 3}')).toThrow('line 2');
  });

  it('counts an answerable question as a ceiling hit when any run ranks an answer first', () => {
    const run = (...firsts: string[]) => firsts.map((first, k) => ({ question: { q: String(k), expect: k < 3 ? [`a${k}`] : null }, answered: true, ranking: [first], bold: first }));
    expect(anyRunHit1([run('a0', 'x', 'x', 'a3'), run('x', 'a1', 'x', 'x')])).toBe(2 / 3);
    expect(anyRunHit1([run('x', 'x', 'x', 'x')])).toBe(0);
  });
});
