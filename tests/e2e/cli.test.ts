/** The CLI as a user runs it: a child process, results on stdout, progress and logs on stderr. */
import { execFile } from 'node:child_process';
import { cp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCorpusFaults } from '../support/corpus-faults.js';
import { makeTempDir } from '../support/temp-dir.js';

const run = promisify(execFile);
let scratch: string;
let corpusDir: string;
let indexDir: string;

function cli(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    env: { ...process.env, CORPUS_DIR: corpusDir, INDEX_DIR: indexDir, MODEL_CACHE_DIR: '.cache/models', LOG_LEVEL: '' },
  });
}

beforeAll(async () => {
  scratch = await makeTempDir('cli');
  corpusDir = join(scratch, 'corpus');
  indexDir = join(scratch, 'index');
  await cp('corpus', corpusDir, { recursive: true });
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('cli', () => {
  it('ask builds the missing index, then prints the cited passages with the best sentence marked', async () => {
    const { stdout, stderr } = await cli('ask', 'what did Putin demand');
    expect(stderr).toContain('Embedding passages (13 passages)');
    const [, first] = stdout.split(/\n1\. /);
    expect(first).toMatch(/^A deal on Syria’s chemical weapons is far from done\. — paragraph 3/);
    expect(first).toContain('**But Russian President Vladimir Putin said on Tuesday that the plan to disarm will only work if the U.S. takes the possibility of military strikes completely off the table.**');
  });

  it('ask --json prints exactly one JSON object in the documented shape', async () => {
    const { stdout } = await cli('ask', '--json', '--top', '2', 'what did Putin demand');
    const answer = JSON.parse(stdout) as Record<string, unknown>;
    expect(Object.keys(answer)).toEqual(['question', 'answered', 'passages']);
    expect(answer).toMatchObject({ question: 'what did Putin demand', answered: true });
    const passages = answer.passages as Record<string, unknown>[];
    expect(passages).toHaveLength(2);
    expect(Object.keys(passages[0] ?? {})).toEqual(['id', 'doc', 'title', 'paragraph', 'text', 'highlight', 'score']);
    expect(passages[0]).toMatchObject({ id: '000_224c5ab2ccd913b3#3', doc: '000_224c5ab2ccd913b3.txt', paragraph: 3 });
    expect(String(passages[0]?.text)).toContain('off the table');
  });

  it('ask --json declines a question the story does not answer', async () => {
    const { stdout } = await cli('ask', '--json', 'Who wrote Hamlet?');
    expect(JSON.parse(stdout)).toEqual({ question: 'Who wrote Hamlet?', answered: false, passages: [] });
  });

  it('reindex summarises what it did, and reports skipped files', async () => {
    await writeFile(join(corpusDir, 'broken.txt'), Buffer.from([0xff, 0xfe, 0x00, 0x41]));
    await writeFile(join(corpusDir, 'paris.md'), '---\ntitle: Paris\n---\n\nKerry flew to Paris on Sunday to brief European allies.');
    const { stdout } = await cli('reindex');
    expect(stdout).toContain('Index rebuilt.');
    expect(stdout).toContain('articles: 2');
    expect(stdout).toContain('passages: 14 (1 embedded, 13 reused)');
    expect(stdout).toContain('skipped broken.txt: a binary file, not text');
    expect((await cli('reindex')).stdout).toContain('already up to date');
  });

  it('reindex names every unusable file with its reason, in its summary and in the log, and indexes the rest', async () => {
    const faults = await writeCorpusFaults(corpusDir);
    await writeFile(join(corpusDir, 'geneva.md'), '---\ntitle: Geneva\n---\n\nThe talks in Geneva ran late into Friday night.');
    const { stdout, stderr } = await cli('reindex');
    expect(stdout).toContain('Index rebuilt.');
    expect(stdout).toContain('articles: 3'); // the seed, paris.md and geneva.md
    const logged = stderr.split('\n').filter((line) => line.includes('corpus file skipped')).map((line) => JSON.parse(line) as { file: string; reason: string });
    for (const [file, reason] of Object.entries(faults)) {
      expect(stdout).toContain(`skipped ${file}: ${reason}`);
      expect(logged).toContainEqual(expect.objectContaining({ file, reason }));
    }
  });

  it('eval --json prints the metrics object, the bold sentence’s share included', async () => {
    const questions = join(scratch, 'questions.jsonl');
    await writeFile(questions, '{"q": "Who is the Senate Majority Leader?", "expect": ["Harry Reid"]}\n{"q": "Who wrote Hamlet?", "expect": null}\n');
    const { stdout } = await cli('eval', '--json', questions);
    expect(JSON.parse(stdout)).toEqual({ n: 2, hit1: 1, hit3: 1, mrr: 1, declined_oos: 1, false_declines: 0, bold: 1 });
  });

  it('eval --ceiling --json prints every method\'s hit@1 and the best a per-question choice among them reaches', async () => {
    const questions = join(scratch, 'questions.jsonl');
    await writeFile(questions, '{"q": "Who is the Senate Majority Leader?", "expect": ["Harry Reid"]}\n{"q": "what did Putin demand", "expect": ["off the table"]}\n');
    const ceiling = JSON.parse((await cli('eval', '--ceiling', '--json', questions)).stdout) as Record<string, number>;
    expect(Object.keys(ceiling)).toEqual(['ranker', 'bm25', 'dense', 'rrf', 'any_method']);
    expect(ceiling.ranker).toBe(1);
    expect(ceiling.any_method).toBeGreaterThanOrEqual(Math.max(ceiling.bm25 ?? 1, ceiling.dense ?? 1, ceiling.rrf ?? 1));
  });

  it('explains its usage and exits with status 2 on a bad command line', async () => {
    const failure = await cli('ask').catch((error: unknown) => error as { code: number; stderr: string });
    expect(failure).toMatchObject({ code: 2, stderr: expect.stringContaining('usage: npm run ask') });
  });
});
