import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../tests/support/temp-dir.js';
import type { Passage, Span } from '../corpus/article.js';
import { PassageFile, encodePassages } from '../index/passage-file.js';
import { oneResultPerParagraph } from './paragraphs.js';

const passages: Passage[] = [
  { id: 'a#1', articleId: 'a', paragraph: 1, part: 1, text: 'A short paragraph.', sentences: [[0, 18]] },
  { id: 'a#2.1', articleId: 'a', paragraph: 2, part: 1, text: 'What is hydrolysis? It splits molecules.', sentences: [[0, 19], [20, 40]] },
  { id: 'a#2.2', articleId: 'a', paragraph: 2, part: 2, text: 'The catch is the waste.', sentences: [[0, 23]] },
  { id: 'a#3', articleId: 'a', paragraph: 3, part: 1, text: 'The end.', sentences: [[0, 8]] },
];

describe('oneResultPerParagraph', () => {
  let scratch: string;
  let file: PassageFile;
  beforeAll(async () => {
    scratch = await makeTempDir('paragraphs');
    await writeFile(join(scratch, 'passages.bin'), encodePassages([{ id: 'a', file: 'a.md', title: 'A', passageCount: 4 }], passages, new Uint16Array(5)));
    file = PassageFile.open(join(scratch, 'passages.bin'));
  });
  afterAll(async () => {
    file.close();
    await rm(scratch, { recursive: true, force: true });
  });

  const located = (label: number, highlight: Span) => ({ label, passage: passages[label] as Passage, highlight, score: 1 - label / 10 });
  const asked: number[] = [];
  const highlightOf = (entry: ReturnType<typeof located>): Span => {
    asked.push(entry.label);
    return entry.highlight;
  };

  it('shows a split paragraph whole, once, at its best part\'s place, with the highlight on the same sentence', () => {
    const ranked = [located(2, [0, 23]), located(0, [0, 18]), located(1, [20, 40]), located(3, [0, 8])];
    const results = oneResultPerParagraph(file, ranked, 10, highlightOf);
    expect(asked).toEqual([2, 0, 3]); // not the paragraph's other part
    expect(results.map((r) => r.passage.id)).toEqual(['a#2', 'a#1', 'a#3']);
    const [whole] = results;
    expect(whole?.passage.text).toBe('What is hydrolysis? It splits molecules. The catch is the waste.');
    expect(whole?.passage.text.slice(...(whole?.highlight ?? [0, 0]))).toBe('The catch is the waste.');
    expect(whole?.passage.sentences.map(([start, end]) => whole.passage.text.slice(start, end))).toEqual(['What is hydrolysis?', 'It splits molecules.', 'The catch is the waste.']);
    expect(results[1]).toEqual(located(0, [0, 18])); // a paragraph in one part is left as it is
    asked.length = 0;
    expect(oneResultPerParagraph(file, ranked, 2, highlightOf).map((r) => r.passage.id)).toEqual(['a#2', 'a#1']);
    expect(asked).toEqual([2, 0]); // nor the paragraphs past the limit
  });
});
