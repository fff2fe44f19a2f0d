/**
 * @module extraction-eval: how well article extraction does on saved news pages, each beside an
 * `.expected.json` listing its real body paragraphs: how many of them come out word for word, and
 * how much of what comes out is not one of them (debris).
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { draftFromDocument } from '../corpus/import-article.js';
import { decodeText } from '../corpus/web/decode-text.js';
import { isAppError } from '../errors.js';

const expectedSchema = z.object({
  title: z.string(),
  paragraphs: z.array(z.string()),
  debris: z.array(z.string()),
});

export interface PageOutcome {
  page: string;
  expected: number;
  recovered: number;
  extracted: number;
  /** Extracted paragraphs that are not body paragraphs. */
  debris: string[];
  missing: string[];
  /** Set when the page was refused as holding no article. */
  refusal: string | undefined;
}

export interface ExtractionReport {
  pages: PageOutcome[];
  /** Body paragraphs recovered verbatim / body paragraphs. */
  recovered: number;
  /** Debris paragraphs / paragraphs extracted. */
  debrisKept: number;
  totals: { expected: number; recovered: number; extracted: number; debris: number };
}

/** A list item is written as a Markdown item ("- …"); its text is what the page shows. */
function shown(paragraph: string): string {
  return paragraph.replace(/^- /, '');
}

async function measurePage(dir: string, page: string): Promise<PageOutcome> {
  const expected = expectedSchema.parse(JSON.parse(await readFile(join(dir, page.replace(/\.html?$/, '.expected.json')), 'utf8')));
  let paragraphs: string[] = [];
  let refusal: string | undefined;
  try {
    paragraphs = draftFromDocument(decodeText(await readFile(join(dir, page)), 'html', undefined), 'html', undefined, page).paragraphs.map(shown);
  } catch (error) {
    if (!isAppError(error)) throw error;
    refusal = error.message;
  }
  const body = new Set(expected.paragraphs);
  const out = new Set(paragraphs);
  return {
    page,
    expected: expected.paragraphs.length,
    recovered: expected.paragraphs.filter((paragraph) => out.has(paragraph)).length,
    extracted: paragraphs.length,
    debris: paragraphs.filter((paragraph) => !body.has(paragraph)),
    missing: expected.paragraphs.filter((paragraph) => !out.has(paragraph)),
    refusal,
  };
}

export async function evaluateExtraction(dir: string): Promise<ExtractionReport> {
  const pages: PageOutcome[] = [];
  for (const page of (await readdir(dir)).filter((name) => /\.html?$/.test(name)).sort()) pages.push(await measurePage(dir, page));
  const sum = (pick: (outcome: PageOutcome) => number): number => pages.reduce((total, outcome) => total + pick(outcome), 0);
  const totals = { expected: sum((p) => p.expected), recovered: sum((p) => p.recovered), extracted: sum((p) => p.extracted), debris: sum((p) => p.debris.length) };
  return {
    pages,
    recovered: totals.expected === 0 ? 1 : totals.recovered / totals.expected,
    debrisKept: totals.extracted === 0 ? 0 : totals.debris / totals.extracted,
    totals,
  };
}
