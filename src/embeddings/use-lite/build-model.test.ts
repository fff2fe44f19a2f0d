/** Building the embedded model: once, atomically, and only from the exact package it was written for. */
import { spawn } from 'node:child_process';
import { cp, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withTempDir } from '../../../tests/support/temp-dir.js';
import { isAppError } from '../../errors.js';
import { USE_LITE_FOLDER, USE_LITE_PACKAGE, ensureUseLiteModel } from './build-model.js';

const MODEL_FILES = ['onnx/model.onnx', 'tokenizer.json', 'tokenizer_config.json', 'config.json'];

function packageDist(): string {
  return join(dirname(createRequire(import.meta.url).resolve(`${USE_LITE_PACKAGE}/package.json`)), 'dist');
}

async function expectCompleteModel(modelDir: string): Promise<void> {
  for (const file of MODEL_FILES) expect((await readFile(join(modelDir, file))).byteLength, file).toBeGreaterThan(0);
}

describe('ensureUseLiteModel', () => {
  it('builds the model folder once, then finds it up to date', async () => {
    await withTempDir('build', async (cacheDir) => {
      const first = await ensureUseLiteModel(cacheDir);
      expect(first).toEqual({ modelDir: join(cacheDir, USE_LITE_FOLDER), built: true });
      await expectCompleteModel(first.modelDir);
      expect(await ensureUseLiteModel(cacheDir)).toEqual({ modelDir: first.modelDir, built: false });
      expect(await readdir(cacheDir)).toEqual([USE_LITE_FOLDER]); // no staging folders left behind
    });
  });

  it('replaces a half-written model folder instead of loading it', async () => {
    await withTempDir('build', async (cacheDir) => {
      const modelDir = join(cacheDir, USE_LITE_FOLDER);
      await mkdir(join(modelDir, 'onnx'), { recursive: true });
      await writeFile(join(modelDir, 'onnx', 'model.onnx'), 'truncated');
      expect((await ensureUseLiteModel(cacheDir)).built).toBe(true);
      await expectCompleteModel(modelDir);
      expect((await readFile(join(modelDir, 'onnx', 'model.onnx'))).byteLength).toBeGreaterThan(1_000_000);
    });
  });

  it('leaves no model behind when the building process is killed', async () => {
    await withTempDir('build', async (cacheDir) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'tests/support/build-model.ts', cacheDir], { stdio: 'ignore' });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      // Kill as soon as the staging folder exists, i.e. in the middle of writing.
      for (let tries = 0; tries < 2_000; tries += 1) {
        const entries = await readdir(cacheDir);
        if (entries.some((name) => name.includes('building'))) break;
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      child.kill('SIGKILL');
      await exited;
      const entries = await readdir(cacheDir);
      expect(entries.some((name) => name.includes('building')), 'the build had started').toBe(true);
      expect(entries).not.toContain(USE_LITE_FOLDER);
      const next = await ensureUseLiteModel(cacheDir);
      expect(next.built).toBe(true);
      await expectCompleteModel(next.modelDir);
    });
  });

  it('survives two builds racing for the same folder', async () => {
    await withTempDir('build', async (cacheDir) => {
      const results = await Promise.all([ensureUseLiteModel(cacheDir), ensureUseLiteModel(cacheDir)]);
      expect(results.map((r) => r.modelDir)).toEqual([join(cacheDir, USE_LITE_FOLDER), join(cacheDir, USE_LITE_FOLDER)]);
      await expectCompleteModel(join(cacheDir, USE_LITE_FOLDER));
      expect(await readdir(cacheDir)).toEqual([USE_LITE_FOLDER]);
    });
  });

  it('refuses weights that differ from the recorded hashes, naming the file', async () => {
    await withTempDir('build', async (scratch) => {
      const sourceDir = join(scratch, 'package');
      await cp(packageDist(), sourceDir, { recursive: true });
      const shard = join(sourceDir, 'group1-shard3of7');
      const bytes = await readFile(shard);
      bytes[1000] = (bytes[1000] ?? 0) ^ 0xff;
      await writeFile(shard, bytes);
      const failure = await ensureUseLiteModel(join(scratch, 'cache'), { sourceDir }).catch((error: unknown) => error);
      expect(isAppError(failure, 'MODEL_SOURCE_MISMATCH')).toBe(true);
      expect((failure as Error).message).toContain('group1-shard3of7');
      expect((failure as Error).message).toContain('npm ci');
      await expect(readdir(join(scratch, 'cache'))).rejects.toThrow(); // nothing was written
    });
  });
});
