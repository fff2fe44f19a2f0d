import { readFile } from 'node:fs/promises';
import wordListPath from 'word-list';
import { describe, expect, it } from 'vitest';
import { loadEnglishWords, wordSet } from './dictionary.js';

describe('dictionary', () => {
  it('answers membership for the words it was given, and not for others', () => {
    const words = wordSet(['alpha', 'beta', 'gamma']);
    expect(['alpha', 'beta', 'gamma'].map((w) => words.has(w))).toEqual([true, true, true]);
    expect(['delta', 'Alpha', ''].map((w) => words.has(w))).toEqual([false, false, false]);
  });

  it('knows common English words and not names', async () => {
    const english = await loadEnglishWords();
    expect(['weapons', 'optimistic', 'hopeful', 'killed'].every((w) => english.has(w))).toBe(true);
    expect(['morsi', 'istanbul', 'brexit', 'lavrov'].some((w) => english.has(w))).toBe(false);
  });

  it('hashes the list from its bytes exactly as it hashes the words as strings', async () => {
    const english = await loadEnglishWords();
    const lines = (await readFile(wordListPath, 'utf8')).split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(270_000);
    expect(lines.filter((word) => !english.has(word))).toEqual([]);
  });
});
