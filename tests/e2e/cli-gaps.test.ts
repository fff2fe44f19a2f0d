/** `npm run gaps` as a user runs it, on a history database with a few questions and votes in it. */
import { execFile } from 'node:child_process';
import { cp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteHistory } from '../../src/history/sqlite-history.js';
import { OPERATOR_STORY_ID } from '../../src/stories/story.js';
import { fileMemberKey, memberHasher } from '../../src/member-id.js';
import { captureLogs } from '../support/log-capture.js';
import { makeTempDir } from '../support/temp-dir.js';

const run = promisify(execFile);
let scratch: string;

function gaps(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'gaps', ...args], {
    env: { ...process.env, CORPUS_DIR: join(scratch, 'corpus'), INDEX_DIR: join(scratch, 'index'), DATA_DIR: join(scratch, 'data'), MODEL_CACHE_DIR: '.cache/models', LOG_LEVEL: '' },
  });
}

beforeAll(async () => {
  scratch = await makeTempDir('cli-gaps');
  await cp('corpus', join(scratch, 'corpus'), { recursive: true });
  const dataDir = join(scratch, 'data');
  const store = SqliteHistory.open(dataDir, captureLogs().logger);
  const asked = [
    ['1', 'g1', 'What does Iran think of the plan?', false],
    ['2', 'g1', 'How did Iran react to the Russian proposal?', false],
    ['3', 'g2', "what is Iran's position on the deal", false],
    ['4', 'g1', 'Who is the Senate Majority Leader?', true],
  ] as const;
  for (const [answerId, guildId, question, answered] of asked) {
    store.recordQuestion({ answerId, askedAt: Date.now(), guildId, storyId: OPERATOR_STORY_ID, question, answered, buildId: 'b', passages: answered ? [{ id: 'x#1', score: 0.9 }] : [] });
  }
  const hash = memberHasher(await fileMemberKey(dataDir));
  await store.vote('4', hash('400000000000000001'), -1);
  await store.explainDownVote('4', hash('400000000000000001'), 'outdated', undefined);
  await store.close();
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('npm run gaps', () => {
  it('prints the declined questions grouped by meaning and the answers voted down, for every server', async () => {
    const { stdout } = await gaps();
    expect(stdout).toContain('What the story does not cover yet: 4 questions in the last 30 days');
    expect(stdout).toMatch(/ {2}1\. "[^"]+" ×3, last \d{4}-\d\d-\d\d; also asked as/);
    expect(stdout).toMatch(/Answers voted down:\n {2}1\. "Who is the Senate Majority Leader\?" 👎 1 👍 0 \(outdated ×1\)/);
  });

  it("--json --guild gives one server's report as data", async () => {
    const report = JSON.parse((await gaps('--json', '--guild', 'g1')).stdout) as { questions: number; declined: { count: number }[]; votedDown: { down: number }[] };
    expect(report.questions).toBe(3);
    expect(report.declined.map((group) => group.count)).toEqual([2]);
    expect(report.votedDown.map((entry) => entry.down)).toEqual([1]);
  });
});
