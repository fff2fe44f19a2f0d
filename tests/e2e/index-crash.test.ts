/**
 * A reindex killed with SIGKILL in the middle of writing: the previous index stays loadable and
 * keeps answering, and the next build cleans up after the dead one.
 */
import { spawn } from 'node:child_process';
import { cp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openOperatorStory } from '../support/open-story.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { closeIndex, loadIndex } from '../../src/index/index-store.js';
import { FROZEN_MARKER } from '../support/freeze-on-write.js';
import { makeTempDir } from '../support/temp-dir.js';

/** Runs `npm run reindex` as a child that freezes on the first write matching `freezeOn`, then SIGKILLs it there. */
async function reindexKilledAt(corpusDir: string, indexDir: string, freezeOn: string): Promise<NodeJS.Signals | null> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', './tests/support/freeze-on-write.ts', 'src/cli/main.ts', 'reindex'], {
    env: { ...process.env, CORPUS_DIR: corpusDir, INDEX_DIR: indexDir, MODEL_CACHE_DIR: '.cache/models', FREEZE_ON_WRITE: freezeOn },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(FROZEN_MARKER)) resolve();
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then(() => reject(new Error(`the reindex ended before the freeze point:\n${output}`)));
  });
  child.kill('SIGKILL');
  return exited;
}

describe('a reindex killed mid-write', () => {
  it.each([
    ['halfway through the new build’s files', String.raw`\.staging-[^/]+/lexical\.bin$`],
    ['after the new build is complete, before CURRENT is switched', String.raw`\.CURRENT\.`],
  ])('%s leaves the previous index loadable and serving', async (_when, freezeOn) => {
    const dir = await makeTempDir('crash-case');
    const corpusDir = join(dir, 'corpus');
    const indexDir = join(dir, 'index');
    await cp('corpus', corpusDir, { recursive: true });
    const config = loadConfig({ CORPUS_DIR: corpusDir, INDEX_DIR: indexDir, MODEL_CACHE_DIR: '.cache/models' });
    const logger = createLogger('silent');
    await (await openOperatorStory(config, { logger })).close();
    const before = await loadIndex(indexDir);
    closeIndex(before);

    await writeFile(join(corpusDir, 'paris.md'), '---\ntitle: Paris\n---\n\nKerry flew to Paris on Sunday to brief European allies.');
    expect(await reindexKilledAt(corpusDir, indexDir, freezeOn)).toBe('SIGKILL');
    expect((await readdir(join(indexDir, 'builds'))).length).toBe(2); // the live build and the dead one's leftovers

    const survivor = await loadIndex(indexDir);
    expect(survivor.manifest.builtAt).toBe(before.manifest.builtAt);
    closeIndex(survivor);
    const serving = await openOperatorStory(config, { logger, trustIndex: true });
    try {
      expect((await serving.ask('Who is the Senate Majority Leader?')).passages[0]?.passage.text).toContain('Harry Reid');
      expect(serving.sources().articles.map((a) => a.title)).not.toContain('Paris');
    } finally {
      await serving.close();
    }

    // The next start sees the corpus changed, builds again, and only the new build remains live.
    const healed = await openOperatorStory(config, { logger });
    try {
      expect(healed.sources().articles.map((a) => a.title)).toContain('Paris');
      const live = (await readFile(join(indexDir, 'CURRENT'), 'utf8')).trim();
      expect((await readdir(join(indexDir, 'builds'))).filter((name) => !name.startsWith('.staging-'))).toEqual([live]);
    } finally {
      await healed.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
