/**
 * `npm run story -- list|create|delete` and `--story <owner>/<name>` on the other commands, as the
 * host's operator runs them: a server's story made, filled, asked, reindexed and deleted from the
 * command line, the operator's story untouched throughout.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotFolder } from '../support/folder-snapshot.js';
import { makeTempDir } from '../support/temp-dir.js';

const run = promisify(execFile);
const SERVER = '100000000000000001';
const STORY = `${SERVER}/inspections`;
let scratch: string;
let corpusBefore: Record<string, string>;

function cli(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    env: { ...process.env, CORPUS_DIR: join(scratch, 'corpus'), INDEX_DIR: join(scratch, 'index'), DATA_DIR: join(scratch, 'data'), MODEL_CACHE_DIR: '.cache/models', LOG_LEVEL: '' },
  });
}

async function failing(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    await cli(args);
  } catch (error) {
    return error as { code: number; stdout: string; stderr: string };
  }
  throw new Error(`${args.join(' ')} succeeded`);
}

beforeAll(async () => {
  scratch = await makeTempDir('cli-story');
  await cp('corpus', join(scratch, 'corpus'), { recursive: true });
  corpusBefore = await snapshotFolder(join(scratch, 'corpus'));
});

afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('npm run story', () => {
  it('creates a server’s story, which --story then fills, asks and reindexes', async () => {
    expect((await cli(['story', 'create', STORY])).stdout).toContain(`Created ${STORY}`);
    expect((await failing(['story', 'create', STORY])).stderr).toContain('already has a story called "inspections"');
    const added = await cli(['article', '--story', STORY, 'add', 'tests/fixtures/pages/e2e-news-page.html']);
    expect(added.stdout).toContain('Added first-chemical-weapons-inspectors-arrive-in-damascus.md');
    const answer = await cli(['ask', '--story', STORY, '--json', 'How many inspectors crossed into Syria from Lebanon?']);
    const parsed = JSON.parse(answer.stdout) as { passages: { doc: string; text: string }[] };
    expect(parsed.passages[0]?.doc).toBe('first-chemical-weapons-inspectors-arrive-in-damascus.md');
    // The operator's story does not have it.
    const operator = JSON.parse((await cli(['ask', '--json', 'How many inspectors crossed into Syria from Lebanon?'])).stdout) as { passages: { doc: string }[] };
    expect(operator.passages.map((passage) => passage.doc)).not.toContain('first-chemical-weapons-inspectors-arrive-in-damascus.md');
    expect((await cli(['reindex', '--story', STORY])).stdout).toContain('The index was already up to date.');
    expect((await cli(['article', '--story', STORY, 'list'])).stdout).toContain('first-chemical-weapons-inspectors-arrive-in-damascus.md: First chemical weapons inspectors arrive in Damascus');
  });

  it('lists every story with its size, and refuses an unknown story or a bad name', async () => {
    const { stdout } = await cli(['story', 'list']);
    expect(stdout).toContain("operator/shared: the operator's story");
    expect(stdout).toContain(`${STORY}: 1 article, 6 passages`);
    const unknown = await failing(['ask', '--story', `${SERVER}/nothing`, 'anything?']);
    expect(unknown).toMatchObject({ code: 7, stderr: expect.stringContaining(`There is no story "${SERVER}/nothing"`) });
    expect(await failing(['story', 'create', `${SERVER}/Not OK!`])).toMatchObject({ code: 2, stderr: expect.stringContaining('A story name is 1-32 letters') });
    expect(await failing(['story', 'create', 'someone/news'])).toMatchObject({ code: 7, stderr: expect.stringContaining('is not a server id') });
  });

  it('deletes the story and its files; the operator’s story cannot be deleted, and its corpus stayed as it was', async () => {
    expect((await cli(['story', 'delete', STORY])).stdout).toContain(`Deleted ${STORY}`);
    expect(existsSync(join(scratch, 'data', 'stories', SERVER, 'inspections'))).toBe(false);
    expect((await failing(['story', 'delete', 'operator/shared'])).stderr).toContain("The operator's story cannot be deleted");
    expect(await snapshotFolder(join(scratch, 'corpus'))).toEqual(corpusBefore);
  });
});
