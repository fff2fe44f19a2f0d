/** Hub models go through transformers.js's own download-and-cache path, proven against a stand-in hub. */
import { execFile } from 'node:child_process';
import { access, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveModelSpec } from '../../src/embeddings/models.js';
import { createTransformersEmbedder } from '../../src/embeddings/transformers-embedder.js';
import { ensureUseLiteModel } from '../../src/embeddings/use-lite/build-model.js';
import { AppError, ErrorCodes } from '../../src/errors.js';
import { type FakeHub, startFakeHub } from '../support/fake-hub.js';
import { freePort } from '../support/free-port.js';
import { makeTempDir } from '../support/temp-dir.js';
import { cosine } from '../support/vectors.js';

const run = promisify(execFile);
const HUB_ID = 'stand-in/use-lite-mirror';
const QUESTION = 'What did Putin demand?';

/** A URL on 127.0.0.1 where nothing listens: a port just released by a server we closed. */
async function closedPortUrl(): Promise<string> {
  return `http://127.0.0.1:${await freePort()}/`;
}

describe('hub models', () => {
  let scratch: string;
  let hub: FakeHub;
  let embeddedVector: Float32Array;

  beforeAll(async () => {
    scratch = await makeTempDir('hub');
    const { modelDir } = await ensureUseLiteModel(join(scratch, 'source'));
    hub = await startFakeHub({ [HUB_ID]: modelDir });
    const embedded = await createTransformersEmbedder({ model: resolveModelSpec('use-lite'), cacheDir: join(scratch, 'source') });
    embeddedVector = await embedded.embedQuery(QUESTION);
    await embedded.dispose();
  });

  afterAll(async () => {
    await hub.stop().catch(() => undefined);
    await rm(scratch, { recursive: true, force: true });
  });

  it('downloads on first load, then loads from the cache with the hub gone', async () => {
    const cacheDir = join(scratch, 'cache');
    const embedder = await createTransformersEmbedder({ model: resolveModelSpec(HUB_ID), cacheDir, hubUrl: hub.url });
    expect(embedder.dimensions).toBe(512);
    expect(cosine(await embedder.embedQuery(QUESTION), embeddedVector)).toBeCloseTo(1, 5);
    await embedder.dispose();
    expect(hub.requests).toContain(`/${HUB_ID}/resolve/main/onnx/model.onnx`);
    await access(join(cacheDir, HUB_ID, 'onnx', 'model.onnx'));

    await hub.stop();
    // A fresh process, so nothing can come from this one's memory.
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'tests/support/embed-query.ts', QUESTION], {
      env: { ...process.env, EMBEDDING_MODEL: HUB_ID, MODEL_CACHE_DIR: cacheDir, MODEL_HUB_URL: hub.url },
    });
    expect(cosine(JSON.parse(stdout) as number[], embeddedVector)).toBeCloseTo(1, 5);
  });

  it('fails with one clear message when a model is neither cached nor reachable', async () => {
    const cacheDir = join(scratch, 'empty-cache');
    const unreachable = await closedPortUrl();
    const failure = await createTransformersEmbedder({ model: resolveModelSpec('Xenova/all-MiniLM-L6-v2'), cacheDir, hubUrl: unreachable }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(AppError);
    const error = failure as AppError;
    expect(error.code).toBe(ErrorCodes.MODEL_UNAVAILABLE);
    expect(error.message).toContain('"Xenova/all-MiniLM-L6-v2"');
    expect(error.message).toContain(cacheDir);
    expect(error.message).toContain(unreachable);
    expect(error.message).toMatch(/Fix: .*EMBEDDING_MODEL=use-lite/);
  });
});
