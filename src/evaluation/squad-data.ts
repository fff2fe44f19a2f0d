/**
 * @module squad-data: the data folder (`../shared/data/squad-train`): SQuAD v1.1's training set
 * laid out as story corpora (one Markdown file per article, questions with answer spans), and the
 * split of its articles into training and validation recorded once in `squad-split.json`.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError, ErrorCodes } from '../errors.js';

export interface DataQuestion {
  q: string;
  /** The article's file name without `.md`. */
  article: string;
  /** 1-based paragraph the question was written about. */
  paragraph: number;
  /** Answer spans, substrings of that paragraph (another paragraph may hold them too). */
  answers: string[];
}

export interface StoryData {
  dir: string;
  /** Article names (file names without `.md`), sorted. */
  articles: string[];
  /** Each article's questions, in the data file's order. */
  questions: ReadonlyMap<string, readonly DataQuestion[]>;
}

export interface ArticleSplit {
  training: string[];
  validation: string[];
}

const questionLine = z.object({ q: z.string().min(1), article: z.string().min(1), paragraph: z.number().int().positive(), answers: z.array(z.string()).min(1) });
const splitFile = z.object({ training: z.array(z.string()), validation: z.array(z.string()) });

export const DEFAULT_DATA_DIR = '../shared/data/squad-train';
const SPLIT_FILE = new URL('./squad-split.json', import.meta.url);

export function articlePath(data: StoryData, article: string): string {
  return join(data.dir, 'corpus', `${article}.md`);
}

export async function loadStoryData(dir: string = DEFAULT_DATA_DIR): Promise<StoryData> {
  let names: string[];
  let lines: string;
  try {
    names = await readdir(join(dir, 'corpus'));
    lines = await readFile(join(dir, 'questions.jsonl'), 'utf8');
  } catch (cause) {
    throw new AppError(ErrorCodes.CORPUS_EMPTY, `The data folder ${dir} needs corpus/*.md and questions.jsonl (${String(cause)}).`, { cause });
  }
  const articles = names.filter((name) => name.endsWith('.md')).map((name) => name.slice(0, -3)).sort();
  const questions = new Map<string, DataQuestion[]>();
  lines.split('\n').forEach((line, k) => {
    if (line.trim() === '') return;
    const parsed = questionLine.safeParse(JSON.parse(line));
    if (!parsed.success) throw new AppError(ErrorCodes.CORPUS_EMPTY, `${join(dir, 'questions.jsonl')} line ${k + 1}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    const list = questions.get(parsed.data.article) ?? [];
    list.push(parsed.data);
    questions.set(parsed.data.article, list);
  });
  return { dir, articles, questions };
}

/** The recorded split, restricted to the articles this data folder has. */
export async function loadSplit(data: StoryData): Promise<ArticleSplit> {
  const split = splitFile.parse(JSON.parse(await readFile(SPLIT_FILE, 'utf8')));
  const present = new Set(data.articles);
  return { training: split.training.filter((a) => present.has(a)), validation: split.validation.filter((a) => present.has(a)) };
}
