/**
 * `npm run train` as a user runs it, on a five-article slice of the data: from nothing (no vectors,
 * no corpora built) it must write exactly the committed slice model, byte for byte, with a summary.
 */
import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRankingModel } from '../../src/search/ranker.js';
import { makeTempDir } from '../support/temp-dir.js';

const run = promisify(execFile);
let scratch: string;
beforeAll(async () => {
  scratch = await makeTempDir('train');
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('npm run train', () => {
  it('rebuilds the committed slice model byte for byte from the slice of the data, and says what it did', async () => {
    const out = join(scratch, 'ranking-model.json');
    const { stderr } = await run(process.execPath, ['--import', 'tsx', 'scripts/train.ts', '--data', 'tests/fixtures/squad-slice', '--slice', '3', '--out', out, '--work', join(scratch, 'work')], {
      env: { ...process.env, MODEL_CACHE_DIR: '.cache/models' },
      maxBuffer: 16 * 1024 * 1024,
    });
    const written = await readFile(out, 'utf8');
    expect(written).toBe(await readFile('tests/fixtures/squad-slice/ranking-model.json', 'utf8'));
    const model = parseRankingModel(JSON.parse(written));
    expect(model.credit).toContain('SQuAD v1.1');
    expect(stderr).toMatch(/examples: \d+ training \/ \d+ validation questions for ranking/);
    expect(stderr).toMatch(/linear .*\n.*mlp .*\n.*lambdamart /);
    expect(stderr).toMatch(/← chosen/);
    expect(stderr).toMatch(/answerability: threshold 0\.\d+/);
  });
});
