/** `npm run article -- add|remove|list` as a user runs it: the same code path and messages as /article in Discord. */
import { execFile } from 'node:child_process';
import { cp, readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotFolder } from '../support/folder-snapshot.js';
import { type NewsSite, page, startNewsSite } from '../support/news-site.js';
import { makeTempDir } from '../support/temp-dir.js';

const run = promisify(execFile);
const ADDED_FILE = 'first-chemical-weapons-inspectors-arrive-in-damascus.md';
let scratch: string;
let corpusDir: string;
let site: NewsSite;

function article(args: string[], env: Record<string, string> = {}): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'article', ...args], {
    env: { ...process.env, CORPUS_DIR: corpusDir, INDEX_DIR: join(scratch, 'index'), DATA_DIR: join(scratch, 'data'), MODEL_CACHE_DIR: '.cache/models', LOG_LEVEL: '', FETCH_ALLOWED_HOSTS: '', ...env },
  });
}

/** The exit code and output of a run expected to fail. */
async function failing(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    await article(args, env);
  } catch (error) {
    return error as { code: number; stdout: string; stderr: string };
  }
  throw new Error(`npm run article -- ${args.join(' ')} succeeded`);
}

beforeAll(async () => {
  scratch = await makeTempDir('cli-article');
  corpusDir = join(scratch, 'corpus');
  await cp('corpus', corpusDir, { recursive: true });
  site = await startNewsSite({ '/geneva-cafe': page(await readFile('tests/fixtures/pages/10-windows-1252.html'), 'text/html') });
});

afterAll(async () => {
  await site?.stop();
  await rm(scratch, { recursive: true, force: true });
});

describe('npm run article', () => {
  it('add FILE extracts a saved page, embeds only its passages, and prints what was added', async () => {
    const { stdout, stderr } = await article(['add', 'tests/fixtures/pages/e2e-news-page.html']);
    expect(stderr).toContain('Fetching the article…');
    expect(stdout).toContain(`Added ${ADDED_FILE}: "First chemical weapons inspectors arrive in Damascus"`);
    expect(stdout).toContain('  site: The World Examiner');
    expect(stdout).toMatch(/ {2}paragraphs: 6 \(6 passages; 6 embedded, 13 reused/);
    expect(stdout).toContain('  first paragraph: DAMASCUS — The first team of international chemical weapons inspectors');
  });

  it('add URL refuses a private address unless FETCH_ALLOWED_HOSTS lists it, and then adds the page', async () => {
    const before = await snapshotFolder(corpusDir);
    const refused = await failing(['add', site.url('/geneva-cafe')]);
    expect(refused.code).toBe(6);
    expect(refused.stderr).toContain('That link is refused: 127.0.0.1 is a loopback address (this machine). Nothing was added.');
    expect(await snapshotFolder(corpusDir)).toEqual(before);
    const { stdout } = await article(['add', site.url('/geneva-cafe')], { FETCH_ALLOWED_HOSTS: site.host });
    expect(stdout).toContain('Added at-the-intercontinental-a-cafe-becomes-the-worlds-waiting.md');
  });

  it('list shows every article with its site, date, and who added it', async () => {
    const { stdout } = await article(['list']);
    expect(stdout).toContain('000_224c5ab2ccd913b3.txt: (untitled)\n  in the corpus folder');
    expect(stdout).toContain(`${ADDED_FILE}: First chemical weapons inspectors arrive in Damascus\n  The World Examiner · published 2013-10-01 · added ${new Date().toISOString().slice(0, 10)} by ${userInfo().username} (command line)\n  https://news.example.org/world/2013/10/01/inspectors-arrive-damascus`);
  });

  it('remove moves the article to corpus/.removed and reindexes', async () => {
    const { stdout } = await article(['remove', ADDED_FILE]);
    expect(stdout).toContain(`Removed ${ADDED_FILE}: "First chemical weapons inspectors arrive in Damascus"; it is kept in the corpus folder as .removed/${ADDED_FILE}.`);
    expect(stdout).toContain('the story now has 2 articles');
    expect(await readdir(join(corpusDir, '.removed'))).toEqual([ADDED_FILE]);
  });

  it('puts an article back when removing it would leave the story empty', async () => {
    await article(['remove', 'at-the-intercontinental-a-cafe-becomes-the-worlds-waiting']);
    const before = await snapshotFolder(corpusDir);
    const failure = await failing(['remove', '000_224c5ab2ccd913b3.txt']);
    expect(failure.code).toBe(3);
    expect(failure.stderr).toContain('No usable article in');
    expect(await snapshotFolder(corpusDir)).toEqual(before);
  });

  it('explains its usage', async () => {
    const failure = await failing(['rename', 'x']);
    expect(failure).toMatchObject({ code: 2, stderr: 'usage: npm run article -- [--story <owner>/<name>] add <url|file> | remove <name> | list\n' });
  });
});
